import type { PrismaClient } from '../generated/prisma/client.ts';
import { unauthenticated } from '../graphql/errors.ts';
import type { Principal } from './principal.ts';
import { parseToken, secretMatches } from './tokens.ts';

const INVALID = 'The access token is missing, malformed or not valid.';

/** The credential from `Authorization: Bearer <token>` or `X-Api-Key: <token>`. */
export function credentialFrom(headers: Headers): string | null {
  const authorization = headers.get('authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match ? match[1] : '';
  }
  return headers.get('x-api-key')?.trim() ?? null;
}

/**
 * Resolves the principal behind a token, reading the database on every call so that a
 * revocation, deletion or cycle elsewhere takes effect on the very next request.
 * Throws a coded 401 GraphQLError otherwise.
 */
export async function authenticate(
  prisma: PrismaClient,
  credential: string | null,
  now = new Date(),
): Promise<Principal> {
  if (!credential) throw unauthenticated('Authentication required: send `Authorization: Bearer <token>`.');
  const parsed = parseToken(credential);
  if (!parsed) throw unauthenticated(INVALID);

  if (parsed.prefix === 'cga') {
    const token = await prisma.adminToken.findUnique({
      where: { tokenId: parsed.id },
      include: { user: { include: { projects: { select: { id: true } } } } },
    });
    if (!secretMatches(parsed.secret, token?.secretHash) || !token || token.revokedAt || token.user.deactivatedAt) {
      throw unauthenticated(INVALID);
    }
    return {
      kind: 'ADMIN',
      organizationId: token.organizationId,
      userId: token.userId,
      role: token.user.role,
      projectIds: token.user.role === 'PROJECT_ADMIN' ? token.user.projects.map((p) => p.id) : null,
      tokenId: token.tokenId,
    };
  }

  if (parsed.prefix === 'cgk') {
    const key = await prisma.apiKey.findUnique({
      where: { keyId: parsed.id },
      include: { projects: { select: { id: true } } },
    });
    const graceHash = key?.previousSecretExpiresAt && key.previousSecretExpiresAt > now ? key.previousSecretHash : null;
    if (!secretMatches(parsed.secret, key?.secretHash, graceHash) || !key || key.deletedAt) {
      throw unauthenticated(INVALID);
    }
    if (key.state === 'INACTIVE') throw unauthenticated('This API key has been deactivated.', 'API_KEY_INACTIVE');
    if (key.expiresAt && key.expiresAt <= now) throw unauthenticated('This API key has expired.', 'API_KEY_EXPIRED');
    return {
      kind: 'API_KEY',
      organizationId: key.organizationId,
      apiKeyId: key.id,
      keyId: key.keyId,
      allowWrites: key.allowWrites,
      canReadQualificationData: key.canReadQualificationData,
      projectIds: key.projects.map((p) => p.id),
      expiresAt: key.expiresAt,
    };
  }

  throw unauthenticated(INVALID);
}
