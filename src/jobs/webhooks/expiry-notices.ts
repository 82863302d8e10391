import type { PrismaClient } from '../../generated/prisma/client.ts';
import { recordKeyWebhookEvent } from '../../modules/webhooks/webhook.events.ts';

type NoticeKind = 'EXPIRING_7D' | 'EXPIRING_1D' | 'EXPIRED';

/** How far back an expiry still earns an `api_key.expired` notice (a server down for days catches up; history does not). */
const EXPIRED_CATCH_UP = '7 days';

/**
 * Emits the due expiry notices: `api_key.expiring` when a key is within 7 days and again
 * within 1 day of its `expiresAt`, `api_key.expired` once it has passed. Only the most
 * specific notice due is sent (a key created 12 hours before expiry gets the 1-day one,
 * not both). Each notice is an ApiKeyExpiryNotice row (key, kind, expiry instant)
 * inserted with ON CONFLICT DO NOTHING in the same transaction as its event, so
 * restarts and several instances running this at once never send one twice, and a
 * changed expiresAt makes new notices due. Keys deleted or revoked get none.
 */
export async function emitExpiryNotices(prisma: PrismaClient, now: Date): Promise<number> {
  const due = await prisma.$queryRaw<{ id: string; organizationId: string; expiresAt: Date; kind: NoticeKind }[]>`
    SELECT d.id, d."organizationId", d."expiresAt", d.kind FROM (
      SELECT k.id, k."organizationId", k."expiresAt",
             CASE WHEN k."expiresAt" <= ${now}::timestamptz THEN 'EXPIRED'
                  WHEN k."expiresAt" <= ${now}::timestamptz + interval '1 day' THEN 'EXPIRING_1D'
                  ELSE 'EXPIRING_7D' END AS kind
        FROM "ApiKey" k
       WHERE k."deletedAt" IS NULL AND k.state = 'ACTIVE' AND k."expiresAt" IS NOT NULL
         AND k."expiresAt" <= ${now}::timestamptz + interval '7 days'
         AND k."expiresAt" > ${now}::timestamptz - ${EXPIRED_CATCH_UP}::interval
    ) d
    WHERE NOT EXISTS (SELECT 1 FROM "ApiKeyExpiryNotice" n
                       WHERE n."apiKeyId" = d.id AND n.kind = d.kind AND n."expiresAt" = d."expiresAt")
    ORDER BY d."expiresAt"
    LIMIT 500`;
  let sent = 0;
  for (const notice of due) {
    await prisma.$transaction(async (tx) => {
      const inserted = await tx.$executeRaw`
        INSERT INTO "ApiKeyExpiryNotice" ("apiKeyId", kind, "expiresAt", "createdAt")
        VALUES (${notice.id}::uuid, ${notice.kind}, ${notice.expiresAt}::timestamptz, ${now}::timestamptz)
        ON CONFLICT DO NOTHING`;
      if (!inserted) return; // another instance (or an earlier run) sent it
      sent++;
      await recordKeyWebhookEvent(tx, {
        organizationId: notice.organizationId,
        apiKeyId: notice.id,
        type: notice.kind === 'EXPIRED' ? 'api_key.expired' : 'api_key.expiring',
        now,
      });
    });
  }
  return sent;
}
