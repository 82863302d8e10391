import type { PrismaClient } from '../generated/prisma/client.ts';
import type { ApiKeyPrincipal } from '../core/principal.ts';
import { hashSecret, issueToken, parseToken, secretMatches } from './tokens.ts';

/** Expired tokens are kept this long (so their use answers "expired"), then removed at the next issue. */
const EXPIRED_KEPT_MS = 24 * 60 * 60 * 1000;

export interface IssuedAccessToken {
  accessToken: string;
  expiresIn: number;
}

/**
 * Exchanges an authenticated API key for a short-lived `cgt_` token. The token records the
 * key secret it was exchanged for, so cycling the key ends it together with that secret;
 * every use reads the key again (see authenticate), so revoking, deactivating, deleting or
 * expiring the key ends it on the next request on every instance. It never outlives the
 * key's own expiry. `scope: 'read'` narrows it to reads (authenticate); null keeps the key's
 * own rights at each use. Issuance is audited as a key event, in the same transaction.
 */
export async function issueAccessToken(
  prisma: PrismaClient,
  key: ApiKeyPrincipal,
  keyToken: string,
  options: { now: Date; ttlSeconds: number; scope?: 'read' | null; requestId: string },
): Promise<IssuedAccessToken> {
  const { now, ttlSeconds, scope = null, requestId } = options;
  const keySecret = parseToken(keyToken)?.secret;
  if (!keySecret) throw new Error('issueAccessToken needs the key token that authenticated');
  const expiresIn = key.expiresAt
    ? Math.min(ttlSeconds, Math.floor((key.expiresAt.getTime() - now.getTime()) / 1000))
    : ttlSeconds;
  const expiresAt = new Date(now.getTime() + expiresIn * 1000);
  const issued = issueToken('cgt');
  await prisma.$transaction([
    prisma.accessToken.deleteMany({
      where: { apiKeyId: key.apiKeyId, expiresAt: { lt: new Date(now.getTime() - EXPIRED_KEPT_MS) } },
    }),
    prisma.accessToken.create({
      data: {
        organizationId: key.organizationId,
        apiKeyId: key.apiKeyId,
        tokenId: issued.id,
        secretHash: issued.secretHash,
        keySecretHash: hashSecret(keySecret),
        scope,
        expiresAt,
      },
    }),
    prisma.apiKeyEvent.create({
      data: {
        organizationId: key.organizationId,
        apiKeyId: key.apiKeyId,
        action: 'TOKEN_ISSUED',
        changes: {
          accessToken: { before: null, after: { tokenId: issued.id, expiresAt: expiresAt.toISOString(), scope } },
        },
        requestId,
      },
    }),
  ]);
  return { accessToken: issued.token, expiresIn };
}

/**
 * RFC 7009 revocation of an access token by the key it was issued for: deletes the token and
 * records a `TOKEN_REVOKED` key event in the same transaction. Returns whether a token was
 * revoked: false for anything that is not one of this key's access tokens (malformed, unknown,
 * already revoked, wrong secret, another key's), which stays untouched. Expired tokens still
 * kept are revoked too. Deleting the row empties every instance's credential cache (trigger);
 * the caller waits for that (CredentialCache.settle) before answering.
 */
export async function revokeAccessToken(
  prisma: PrismaClient,
  key: ApiKeyPrincipal,
  token: string,
  options: { requestId: string },
): Promise<boolean> {
  const parsed = parseToken(token);
  if (parsed?.prefix !== 'cgt') return false;
  const row = await prisma.accessToken.findUnique({
    where: { tokenId: parsed.id },
    select: { id: true, apiKeyId: true, secretHash: true, expiresAt: true, scope: true },
  });
  // Always one hash comparison, whether or not the id exists (as authenticate does).
  const matches = secretMatches(parsed.secret, row?.secretHash);
  if (!row || !matches || row.apiKeyId !== key.apiKeyId) return false;
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.accessToken.deleteMany({ where: { id: row.id, apiKeyId: key.apiKeyId } });
    // Revoked meanwhile by a concurrent request: that one recorded it.
    if (count === 0) return false;
    await tx.apiKeyEvent.create({
      data: {
        organizationId: key.organizationId,
        apiKeyId: key.apiKeyId,
        action: 'TOKEN_REVOKED',
        changes: {
          accessToken: {
            before: { tokenId: parsed.id, expiresAt: row.expiresAt.toISOString(), scope: row.scope },
            after: null,
          },
        },
        requestId: options.requestId,
      },
    });
    return true;
  });
}
