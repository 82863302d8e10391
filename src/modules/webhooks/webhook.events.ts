import { randomUUID } from 'node:crypto';
import type { Prisma } from '../../generated/prisma/client.ts';
import { toGlobalId } from '../../core/ids.ts';
import { apiKeyListStatus } from '../api-keys/api-key.status.ts';

type Tx = Prisma.TransactionClient;

/** Every event type an endpoint can subscribe to (contract section 9). */
export const WEBHOOK_EVENT_TYPES = [
  'api_key.created',
  'api_key.updated',
  'api_key.cycled',
  'api_key.revoked',
  'api_key.reactivated',
  'api_key.deleted',
  'api_key.expiring',
  'api_key.expired',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const isWebhookEventType = (value: string): value is WebhookEventType =>
  (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);

/**
 * The webhook event of a key's audit action. `updateApiKey` records UPDATED even when it
 * only flips `active`; that stays `api_key.updated` (the body's `status` tells the new
 * state), while `revokeApiKey` / `reactivateApiKey` send `api_key.revoked` / `.reactivated`.
 */
const ACTION_EVENTS: Record<string, WebhookEventType> = {
  CREATED: 'api_key.created',
  UPDATED: 'api_key.updated',
  CYCLED: 'api_key.cycled',
  REVOKED: 'api_key.revoked',
  REACTIVATED: 'api_key.reactivated',
  DELETED: 'api_key.deleted',
};
export const webhookEventOfAction = (action: string): WebhookEventType | undefined => ACTION_EVENTS[action];

/** graphile-worker task that delivers one WebhookDelivery (PostgreSQL only). */
export const DELIVERY_TASK = 'crewgraph_webhook_delivery';

/**
 * Queues deliveries inside the caller's transaction. On PostgreSQL with graphile-worker
 * installed (the worker installs it at start) this adds one job per delivery with
 * `graphile_worker.add_job`, so the job exists exactly when the change commits. Without
 * it (PGlite, or before any worker ever started) the PENDING rows themselves are the
 * queue: the worker's poller (and, on PostgreSQL, its sweep) picks them up.
 */
export async function enqueueDeliveries(tx: Tx, deliveryIds: string[], runAt: Date | null) {
  if (!deliveryIds.length) return;
  const [{ installed }] = await tx.$queryRaw<{ installed: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_proc
                   WHERE proname = 'add_job' AND pronamespace = to_regnamespace('graphile_worker')::oid) AS installed`;
  if (!installed) return;
  // A savepoint keeps the change if the queue cannot take the job (e.g. another instance is
  // installing graphile-worker's schema right now): the PENDING rows stay, and the sweep sends them.
  await tx.$executeRaw`SAVEPOINT enqueue_webhooks`;
  try {
    await tx.$executeRaw`
      SELECT 1 FROM unnest(${deliveryIds}::uuid[]) AS d(id),
        LATERAL graphile_worker.add_job(${DELIVERY_TASK}, json_build_object('deliveryId', d.id),
          run_at := ${runAt}::timestamptz, job_key := 'webhook-delivery:' || d.id::text)`;
    await tx.$executeRaw`RELEASE SAVEPOINT enqueue_webhooks`;
  } catch {
    await tx.$executeRaw`ROLLBACK TO SAVEPOINT enqueue_webhooks`;
  }
}

export interface KeyEventInput {
  organizationId: string;
  apiKeyId: string;
  type: WebhookEventType;
  now: Date;
  /** Why the server made the change itself (e.g. IDLE for an idle key revoked): `data.reason` of the body. */
  reason?: string;
}

/**
 * The outbox write. Inside the transaction of the change: reads the key as it now is,
 * and when active endpoints of the organisation subscribe to `type`, writes the event
 * (its `payload` is the exact body delivered), one delivery per endpoint, and queues
 * them. One statement (the endpoint lookup) when nobody listens. Never a secret or hash.
 */
export async function recordKeyWebhookEvent(tx: Tx, { organizationId, apiKeyId, type, now, reason }: KeyEventInput) {
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { organizationId, active: true, events: { has: type } },
    select: { id: true },
  });
  if (!endpoints.length) return null;
  const key = await tx.apiKey.findUniqueOrThrow({
    where: { id: apiKeyId },
    include: { projects: { select: { id: true } } },
  });
  const id = randomUUID();
  const payload = {
    id,
    type,
    createdAt: now.toISOString(),
    data: {
      apiKey: {
        id: toGlobalId('ApiKey', key.id),
        keyId: key.keyId,
        name: key.name,
        description: key.description,
        // A deleted key (api_key.deleted) is DELETED, as `ApiKey.status` shows it, not its last state.
        status: apiKeyListStatus(key, now),
        allowWrites: key.allowWrites,
        canReadQualificationData: key.canReadQualificationData,
        canWritePeople: key.canWritePeople,
        // The key's own list as set ([] when it has none): what an admin chose, before the flags' caps.
        permissions: key.permissions,
        persistedDocumentsOnly: key.persistedDocumentsOnly,
        expiresAt: key.expiresAt?.toISOString() ?? null,
        projectIds: key.projects.map((p) => toGlobalId('Project', p.id)).sort(),
        allowedIps: key.allowedIps,
        createdAt: key.createdAt.toISOString(),
        updatedAt: key.updatedAt.toISOString(),
        lastCycledAt: key.lastCycledAt?.toISOString() ?? null,
        deletedAt: key.deletedAt?.toISOString() ?? null,
      },
      ...(reason ? { reason } : {}),
    },
  };
  await tx.webhookEvent.create({ data: { id, organizationId, type, apiKeyId, payload, createdAt: now } });
  const deliveries = await tx.webhookDelivery.createManyAndReturn({
    data: endpoints.map((endpoint) => ({
      organizationId,
      endpointId: endpoint.id,
      eventId: id,
      nextAttemptAt: now,
      createdAt: now,
    })),
    select: { id: true },
  });
  await enqueueDeliveries(
    tx,
    deliveries.map((d) => d.id),
    null,
  );
  return { eventId: id, deliveryIds: deliveries.map((d) => d.id) };
}
