import type { ApiKey } from '../../generated/prisma/client.ts';

export type ApiKeyStatus = 'ACTIVE' | 'INACTIVE' | 'EXPIRED';

/** What a key's state and expiry add up to at `now` (`ApiKey.status`, webhook payloads). */
export function apiKeyStatus(key: Pick<ApiKey, 'state' | 'expiresAt'>, now: Date): ApiKeyStatus {
  if (key.state === 'INACTIVE') return 'INACTIVE';
  if (key.expiresAt && key.expiresAt <= now) return 'EXPIRED';
  return 'ACTIVE';
}
