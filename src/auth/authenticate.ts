import type { Database } from '../db/database.ts';
import { credentialRequired, ipNotAllowed, unauthenticated } from '../core/errors.ts';
import { findAccessToken, findAdminToken, findApiKey, type KeyRow } from './credential-lookup.ts';
import { ipAllowed } from './ip-allow-list.ts';
import type { ApiKeyPrincipal, Principal } from '../core/principal.ts';
import { permissionListFromJson } from '../core/permissions.ts';
import { parseToken, secretMatches } from './tokens.ts';

/**
 * What a refused token is told: the kind of credential it is (from its prefix), never whether
 * it exists; a deleted, cycled-out or mistyped one reads the same.
 */
const INVALID = {
  cga: 'This admin token is not valid (it may have been revoked or mistyped).',
  cgk: 'This API key is not valid (it may have been cycled, deleted or mistyped).',
  cgt: 'This access token is not valid (it may have been revoked, or its key cycled); request a new one.',
} as const;
const MALFORMED =
  'The token is malformed: expected an admin token (cga_…), an API key (cgk_…) or an access token (cgt_…).';

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
 * Resolves the principal behind a token, from its row as `db` reads it (the credential cache
 * in the server, db/credential-cache.ts): every check runs on every call, and a revocation,
 * deletion or cycle elsewhere takes effect on the very next request.
 * Throws a coded 401 GraphQLError otherwise.
 */
export async function authenticate(
  db: Pick<Database, 'query'>,
  credential: string | null,
  now = new Date(),
  /** The client address, checked against a key's IP allow-list; null when unknown. */
  ip: string | null = null,
): Promise<Principal> {
  if (!credential) throw credentialRequired();
  const parsed = parseToken(credential);
  if (!parsed) throw unauthenticated(MALFORMED);

  if (parsed.prefix === 'cga') {
    const token = await findAdminToken(db, parsed.id);
    if (!secretMatches(parsed.secret, token?.secretHash) || !token || token.revokedAt || token.deactivatedAt) {
      throw unauthenticated(INVALID.cga);
    }
    if (token.expiresAt && token.expiresAt <= now) throw unauthenticated('This admin token has expired.');
    return {
      kind: 'ADMIN',
      organizationId: token.organizationId,
      userId: token.userId,
      role: token.role,
      projectIds: token.role === 'PROJECT_ADMIN' ? token.projectIds : null,
      tokenId: token.tokenId,
    };
  }

  if (parsed.prefix === 'cgk') {
    const key = await findApiKey(db, parsed.id);
    const graceHash = liveGraceHash(key, now);
    if (!secretMatches(parsed.secret, key?.secretHash, graceHash) || !key) throw unauthenticated(INVALID.cgk);
    return keyPrincipal(key, now, ip, null);
  }

  if (parsed.prefix === 'cgt') {
    const token = await findAccessToken(db, parsed.id);
    if (!secretMatches(parsed.secret, token?.tokenSecretHash) || !token) throw unauthenticated(INVALID.cgt);
    // The key secret it was exchanged for must still be valid: a cycle kills it (after any grace).
    const issuedFrom = Buffer.from(token.keySecretHash);
    const graceHash = liveGraceHash(token, now);
    if (!issuedFrom.equals(token.secretHash) && !(graceHash && issuedFrom.equals(graceHash))) {
      throw unauthenticated(INVALID.cgt);
    }
    // The key's own state first: its errors say more than "expired" when both apply.
    const principal = keyPrincipal(token, now, ip, {
      tokenId: token.tokenId,
      expiresAt: token.tokenExpiresAt,
      scope: token.tokenScope,
    });
    if (token.tokenExpiresAt <= now) throw unauthenticated('This access token has expired; request a new one.');
    return principal;
  }

  throw unauthenticated(MALFORMED);
}

/** The hash of the secret a cycle replaced, while its grace period lasts. */
function liveGraceHash(key: KeyRow | null, now: Date): Uint8Array | null {
  return key?.previousSecretExpiresAt && key.previousSecretExpiresAt > now ? key.previousSecretHash : null;
}

/** The principal of a key whose secret matched: refused when deleted, inactive, expired or called from outside its allow-list. */
function keyPrincipal(
  key: KeyRow,
  now: Date,
  ip: string | null,
  accessToken: ApiKeyPrincipal['accessToken'],
): ApiKeyPrincipal {
  if (key.deletedAt) throw unauthenticated(accessToken ? INVALID.cgt : INVALID.cgk);
  if (key.state === 'INACTIVE') throw unauthenticated('This API key has been deactivated.', 'API_KEY_INACTIVE');
  if (key.expiresAt && key.expiresAt <= now) throw unauthenticated('This API key has expired.', 'API_KEY_EXPIRED');
  if (!ipAllowed(ip, key.allowedIps)) throw ipNotAllowed();
  const allowWrites = key.allowWrites && accessToken?.scope !== 'read';
  return {
    kind: 'API_KEY',
    organizationId: key.organizationId,
    apiKeyId: key.id,
    keyId: key.keyId,
    allowWrites,
    canReadQualificationData: key.canReadQualificationData,
    canWritePeople: allowWrites && key.canWritePeople,
    projectIds: key.projectIds,
    permissions: permissionListFromJson(key.permissions),
    persistedDocumentsOnly: key.persistedDocumentsOnly,
    expiresAt: key.expiresAt,
    rateLimit:
      key.rateLimitRequests && key.rateLimitPerSeconds
        ? { requests: key.rateLimitRequests, perSeconds: key.rateLimitPerSeconds }
        : null,
    accessTokenTtlSeconds: key.accessTokenTtlSeconds,
    accessToken,
  };
}
