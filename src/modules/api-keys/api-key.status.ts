import type { ApiKey, Prisma } from '../../generated/prisma/client.ts';

export type ApiKeyStatus = 'ACTIVE' | 'INACTIVE' | 'EXPIRED';
/** What `ApiKey.status` shows: a deleted key (readable for its history) is DELETED. */
export type ApiKeyListStatus = ApiKeyStatus | 'DELETED';

/** What a key's state and expiry add up to at `now` (`ApiKey.status`, webhook payloads). */
export function apiKeyStatus(key: Pick<ApiKey, 'state' | 'expiresAt'>, now: Date): ApiKeyStatus {
  if (key.state === 'INACTIVE') return 'INACTIVE';
  if (key.expiresAt && key.expiresAt <= now) return 'EXPIRED';
  return 'ACTIVE';
}

/** `ApiKey.status`: DELETED before anything else, then `apiKeyStatus`. */
export function apiKeyListStatus(key: Pick<ApiKey, 'state' | 'expiresAt' | 'deletedAt'>, now: Date): ApiKeyListStatus {
  return key.deletedAt ? 'DELETED' : apiKeyStatus(key, now);
}

/** The rows whose `apiKeyListStatus` at `now` is `status`: the same rules as a where clause. */
export function apiKeyStatusWhere(status: ApiKeyListStatus, now: Date): Prisma.ApiKeyWhereInput {
  switch (status) {
    case 'DELETED':
      return { deletedAt: { not: null } };
    case 'INACTIVE':
      return { deletedAt: null, state: 'INACTIVE' };
    case 'EXPIRED':
      return { deletedAt: null, state: 'ACTIVE', expiresAt: { lte: now } };
    case 'ACTIVE':
      return { deletedAt: null, state: 'ACTIVE', OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
  }
}
