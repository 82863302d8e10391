import type { AdminToken, Prisma } from '../../generated/prisma/client.ts';
import { issueToken } from '../../auth/tokens.ts';
import { forbidden, notFound } from '../../core/errors.ts';
import type { Principal } from '../../core/principal.ts';
import type { RequestScope } from '../../core/request-scope.ts';
import { InputCheck, UserErrors, userError } from '../../core/user-errors.ts';
import { recordAudit, type FieldChanges } from '../audit/audit.record.ts';

type Tx = Prisma.TransactionClient;

const DAY_MS = 86_400_000;
export const MAX_ADMIN_TOKEN_NAME_LENGTH = 100;

/**
 * The admin tokens a principal may see: an OWNER every admin token of the organisation,
 * another admin (ADMIN, PROJECT_ADMIN) their own; an API key none.
 */
export function visibleAdminTokens(p: Principal): Prisma.AdminTokenWhereInput {
  if (p.kind !== 'ADMIN') return { id: { in: [] } };
  return p.role === 'OWNER'
    ? { organizationId: p.organizationId }
    : { organizationId: p.organizationId, userId: p.userId };
}

export type AdminTokenStatus = 'ACTIVE' | 'REVOKED' | 'EXPIRED';

export function adminTokenStatus(token: Pick<AdminToken, 'revokedAt' | 'expiresAt'>, now: Date): AdminTokenStatus {
  if (token.revokedAt) return 'REVOKED';
  if (token.expiresAt && token.expiresAt <= now) return 'EXPIRED';
  return 'ACTIVE';
}

/**
 * What the organisation's cap on admin-token lifetime (`maxAdminTokenLifetimeDays`; null:
 * none) says about a token expiring at `expiresAt` (null: never): null when it is allowed,
 * `MISSING` when the cap requires an expiry, `TOO_LATE` when it is further away than the cap.
 */
export function lifetimeCapProblem(
  maxDays: number | null,
  expiresAt: Date | null,
  now: Date,
): 'MISSING' | 'TOO_LATE' | null {
  if (maxDays == null) return null;
  if (!expiresAt) return 'MISSING';
  return expiresAt.getTime() > now.getTime() + maxDays * DAY_MS ? 'TOO_LATE' : null;
}

/** The latest expiry the cap allows for a token made now (null: no cap). */
export const latestExpiryAllowed = (maxDays: number | null, now: Date) =>
  maxDays == null ? null : new Date(now.getTime() + maxDays * DAY_MS);

const lifetimeCapOf = async (tx: Tx, organizationId: string) =>
  (
    await tx.organization.findUniqueOrThrow({
      where: { id: organizationId },
      select: { maxAdminTokenLifetimeDays: true },
    })
  ).maxAdminTokenLifetimeDays;

function policyError(maxDays: number) {
  const days = maxDays === 1 ? '1 day' : `${maxDays} days`;
  return new UserErrors([
    userError(
      ['input', 'expiresAt'],
      'POLICY',
      `The organisation allows admin tokens of at most ${days}: give an expiresAt within ${days} from now.`,
    ),
  ]);
}

/** The audit log's record of a change to an admin token (never its secret or hash). */
const recordEvent = (
  tx: Tx,
  ctx: RequestScope,
  action: 'admin_token.created' | 'admin_token.revoked',
  token: AdminToken,
  changes: FieldChanges,
) => recordAudit(tx, ctx, { action, targetType: 'AdminToken', targetId: token.id, changes });

/**
 * A new admin token for the calling admin; the token is returned once, only its hash is
 * kept. With the organisation's cap, an expiry is required and at most that far away.
 */
export async function createAdminToken(ctx: RequestScope, input: { name: string; expiresAt?: Date | null }) {
  const principal = ctx.principal;
  if (principal.kind !== 'ADMIN') throw forbidden();
  const check = new InputCheck();
  const name = check.text(['input', 'name'], input.name, { max: MAX_ADMIN_TOKEN_NAME_LENGTH });
  const now = ctx.now();
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt && expiresAt <= now)
    check.add(['input', 'expiresAt'], 'NOT_IN_FUTURE', 'expiresAt must be in the future.');
  check.throwIfAny();
  const issued = issueToken('cga');
  return ctx.prisma.$transaction(async (tx) => {
    const maxDays = await lifetimeCapOf(tx, principal.organizationId);
    if (lifetimeCapProblem(maxDays, expiresAt, now)) throw policyError(maxDays!);
    const adminToken = await tx.adminToken.create({
      data: {
        organizationId: principal.organizationId,
        userId: principal.userId,
        createdById: principal.userId,
        tokenId: issued.id,
        secretHash: issued.secretHash,
        name,
        expiresAt,
        createdAt: now,
      },
    });
    await recordEvent(tx, ctx, 'admin_token.created', adminToken, {
      name: { before: null, after: name },
      expiresAt: { before: null, after: expiresAt?.toISOString() ?? null },
    });
    return { adminToken, token: issued.token };
  });
}

/**
 * Revokes an admin token: from the next request on it is refused on every instance (the
 * change empties the credential caches). An admin revokes their own tokens, an owner any
 * of the organisation's; anything else is NOT_FOUND. Revoking a revoked token returns it.
 */
export async function revokeAdminToken(ctx: RequestScope, id: string) {
  const principal = ctx.principal;
  return ctx.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "AdminToken"
      WHERE id = ${id}::uuid AND "organizationId" = ${principal.organizationId}::uuid FOR UPDATE`;
    const stored = await tx.adminToken.findFirst({ where: { id, AND: [visibleAdminTokens(principal)] } });
    if (!stored) throw notFound('Admin token');
    if (stored.revokedAt) return { adminToken: stored };
    const revokedAt = ctx.now();
    const adminToken = await tx.adminToken.update({ where: { id }, data: { revokedAt } });
    await recordEvent(tx, ctx, 'admin_token.revoked', adminToken, {
      revokedAt: { before: null, after: revokedAt.toISOString() },
    });
    return { adminToken };
  });
}

/** The token a new admin gets from createAdmin: it expires as late as the organisation's cap allows. */
export async function firstTokenExpiry(tx: Tx, organizationId: string, now: Date) {
  return latestExpiryAllowed(await lifetimeCapOf(tx, organizationId), now);
}

/** The CLI's `create-admin` asked for a token the organisation's cap does not allow (one readable line). */
export class AdminTokenPolicyError extends Error {}

/** The CLI's check of the cap, inside its transaction once the organisation is known. */
export async function checkCliTokenLifetime(
  tx: Tx,
  organization: { id: string; name: string },
  expiresAt: Date | null,
  now: Date,
) {
  const maxDays = await lifetimeCapOf(tx, organization.id);
  const problem = lifetimeCapProblem(maxDays, expiresAt, now);
  if (!problem) return;
  const limit = `organisation "${organization.name}" allows admin tokens of at most ${maxDays} days`;
  throw new AdminTokenPolicyError(
    problem === 'MISSING'
      ? `${limit}: give --expires-in (at most ${maxDays}d)`
      : `${limit}: --expires-in is longer than that (at most ${maxDays}d)`,
  );
}
