import type { Prisma } from '../../generated/prisma/client.ts';
import type { ApiKeyPrincipal } from '../../core/principal.ts';
import { writeAuditEvent } from './audit.record.ts';

/** What an access-token event records of the token: its public id, expiry and scope; never the token. */
export interface AccessTokenFacts {
  tokenId: string;
  expiresAt?: string;
  scope?: string | null;
}

/**
 * `access_token.issued` or `access_token.revoked` in the organisation's audit log, written in
 * `tx` (the transaction that issues or deletes the token): the key is both the actor and the
 * target, and the event has the key's projects, like the key's other events.
 */
export function recordAccessTokenEvent(
  tx: Prisma.TransactionClient,
  key: ApiKeyPrincipal,
  event: {
    action: 'access_token.issued' | 'access_token.revoked';
    token: AccessTokenFacts;
    at: Date;
    requestId: string;
  },
) {
  const issued = event.action === 'access_token.issued';
  return writeAuditEvent(
    tx,
    { organizationId: key.organizationId, actorApiKeyId: key.apiKeyId, requestId: event.requestId, at: event.at },
    {
      action: event.action,
      targetType: 'ApiKey',
      targetId: key.apiKeyId,
      projectIds: key.projectIds,
      changes: { accessToken: { before: issued ? null : event.token, after: issued ? event.token : null } },
    },
  );
}
