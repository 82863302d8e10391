import type { AdminRole } from '../../generated/prisma/enums.ts';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { issueToken } from '../../auth/tokens.ts';

export interface CreatedAdmin {
  organizationId: string;
  userId: string;
  /** The plain admin token; shown once, only its hash is stored. */
  token: string;
}

/**
 * Creates the organisation if needed, the admin if needed, and a new admin token for
 * them, in one transaction. Calling it again for the same email issues another token.
 */
export async function createAdmin(
  prisma: PrismaClient,
  input: { organizationName: string; email: string; name?: string; role?: AdminRole },
): Promise<CreatedAdmin> {
  const issued = issueToken('cga');
  return prisma.$transaction(async (tx) => {
    const organization = await tx.organization.upsert({
      where: { name: input.organizationName },
      create: { name: input.organizationName },
      update: {},
    });
    const user = await tx.user.upsert({
      where: { organizationId_email: { organizationId: organization.id, email: input.email.toLowerCase() } },
      create: {
        organizationId: organization.id,
        email: input.email.toLowerCase(),
        name: input.name,
        role: input.role ?? 'OWNER',
      },
      update: {},
    });
    await tx.adminToken.create({
      data: { organizationId: organization.id, userId: user.id, tokenId: issued.id, secretHash: issued.secretHash },
    });
    return { organizationId: organization.id, userId: user.id, token: issued.token };
  });
}
