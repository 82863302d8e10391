import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { recordKeyWebhookEvent } from '../modules/webhooks/webhook.events.ts';
import { writeAuditEvent } from '../modules/audit/audit.record.ts';

/** `ApiKey.revokedReason` of a key the server revoked because nobody used it. */
export const IDLE_REASON = 'IDLE';

/** At most this many keys per round; the next round (a minute later) takes the rest. */
const ROUND_LIMIT = 500;

/**
 * The instant a key has been idle since: its last use, else its creation, or its last
 * reactivation when later (a reactivated key gets a full idle period again). GREATEST
 * ignores NULLs.
 */
const IDLE_SINCE = `GREATEST(k."lastUsedAt", k."createdAt",
  (SELECT max(e."createdAt") FROM "ApiKeyEvent" e WHERE e."apiKeyId" = k.id AND e.action = 'REACTIVATED'))`;

/**
 * Revokes the keys idle longer than their organisation's `revokeIdleKeysAfterDays`
 * (docs/organization-settings.md): state INACTIVE and revokedReason IDLE, an ApiKeyEvent
 * REVOKED without an actor, an `api_key.revoked` event of the audit log and an
 * `api_key.revoked` webhook with `reason: "IDLE"`, in one transaction per key. Deleted,
 * inactive and expired keys are left alone.
 *
 * Safe on several instances at once: each key is locked (FOR UPDATE), then checked again
 * (still active, still idle), so only the first instance to reach a key revokes it and
 * records it; the others find it revoked and record nothing. A key used meanwhile is not
 * revoked.
 */
export async function revokeIdleKeys(prisma: PrismaClient, now: Date): Promise<number> {
  const due = await prisma.$queryRawUnsafe<{ id: string }[]>(
    `SELECT k.id FROM "ApiKey" k JOIN "Organization" o ON o.id = k."organizationId"
      WHERE o."revokeIdleKeysAfterDays" IS NOT NULL
        AND k."deletedAt" IS NULL AND k.state = 'ACTIVE'
        AND (k."expiresAt" IS NULL OR k."expiresAt" > $1::timestamptz)
        AND ${IDLE_SINCE} < $1::timestamptz - make_interval(days => o."revokeIdleKeysAfterDays")
      ORDER BY k.id
      LIMIT ${ROUND_LIMIT}`,
    now,
  );
  let revoked = 0;
  for (const { id } of due) {
    if (await revokeIfIdle(prisma, id, now)) revoked++;
  }
  return revoked;
}

async function revokeIfIdle(prisma: PrismaClient, id: string, now: Date): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    // Lock the key first; the check below then reads what every transaction before ours committed.
    await tx.$queryRaw`SELECT 1 FROM "ApiKey" WHERE id = ${id}::uuid FOR UPDATE`;
    const [key] = await tx.$queryRawUnsafe<
      { organizationId: string; revokedReason: string | null; idleSince: Date; days: number }[]
    >(
      `SELECT k."organizationId", k."revokedReason", ${IDLE_SINCE} AS "idleSince", o."revokeIdleKeysAfterDays" AS days
         FROM "ApiKey" k JOIN "Organization" o ON o.id = k."organizationId"
        WHERE k.id = $1::uuid AND k.state = 'ACTIVE' AND k."deletedAt" IS NULL
          AND (k."expiresAt" IS NULL OR k."expiresAt" > $2::timestamptz)
          AND o."revokeIdleKeysAfterDays" IS NOT NULL
          AND ${IDLE_SINCE} < $2::timestamptz - make_interval(days => o."revokeIdleKeysAfterDays")`,
      id,
      now,
    );
    if (!key) return false; // used meanwhile, revoked by another instance, or the setting changed
    await tx.apiKey.update({ where: { id }, data: { state: 'INACTIVE', revokedReason: IDLE_REASON } });
    const organizationId = key.organizationId;
    const changes = {
      state: { before: 'ACTIVE', after: 'INACTIVE' },
      revokedReason: { before: key.revokedReason, after: IDLE_REASON },
    };
    await tx.apiKeyEvent.create({
      data: {
        organizationId,
        apiKeyId: id,
        actorId: null,
        action: 'REVOKED',
        changes: changes as Prisma.InputJsonValue,
        createdAt: now,
      },
    });
    const projects = await tx.project.findMany({
      where: { apiKeys: { some: { id } } },
      select: { id: true },
      orderBy: { id: 'asc' },
    });
    await writeAuditEvent(
      tx,
      { organizationId, at: now },
      {
        action: 'api_key.revoked',
        targetType: 'ApiKey',
        targetId: id,
        projectIds: projects.map((p) => p.id),
        changes: {
          ...changes,
          reason: IDLE_REASON,
          idleSince: key.idleSince.toISOString(),
          revokeIdleKeysAfterDays: key.days,
        },
      },
    );
    await recordKeyWebhookEvent(tx, {
      organizationId,
      apiKeyId: id,
      type: 'api_key.revoked',
      now,
      reason: IDLE_REASON,
    });
    return true;
  });
}
