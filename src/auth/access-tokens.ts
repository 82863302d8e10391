import type { PrismaClient } from '../generated/prisma/client.ts';
import type { ApiKeyPrincipal } from '../core/principal.ts';
import { hashSecret, issueToken, parseToken } from './tokens.ts';

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
 * key's own expiry. Issuance is audited as a key event, in the same transaction.
 */
export async function issueAccessToken(
  prisma: PrismaClient,
  key: ApiKeyPrincipal,
  keyToken: string,
  options: { now: Date; ttlSeconds: number; requestId: string },
): Promise<IssuedAccessToken> {
  const { now, ttlSeconds, requestId } = options;
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
        expiresAt,
      },
    }),
    prisma.apiKeyEvent.create({
      data: {
        organizationId: key.organizationId,
        apiKeyId: key.apiKeyId,
        action: 'TOKEN_ISSUED',
        changes: { accessToken: { before: null, after: { tokenId: issued.id, expiresAt: expiresAt.toISOString() } } },
        requestId,
      },
    }),
  ]);
  return { accessToken: issued.token, expiresIn };
}
