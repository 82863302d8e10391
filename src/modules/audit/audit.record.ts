import { v7 as uuidv7 } from 'uuid';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { RequestScope } from '../../core/request-scope.ts';

export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

export interface AuditEntry {
  /** `<target>.<verb>`, e.g. `webhook_endpoint.updated`. */
  action: string;
  /** The GraphQL type of what changed, e.g. `WebhookEndpoint`. */
  targetType: string;
  targetId: string | null;
  /** The projects the target belongs to: a project admin reads the events inside theirs. */
  projectIds?: string[];
  changes?: FieldChanges | Record<string, unknown>;
}

/**
 * Writes one event of the organisation's audit log, in the transaction of the change it
 * records (`tx`), with the principal who made it and the request id. Never pass a secret.
 */
export async function recordAudit(tx: Prisma.TransactionClient, ctx: RequestScope, entry: AuditEntry) {
  const principal = ctx.principal;
  await tx.auditEvent.create({
    data: {
      // uuid's v7 only grows within this process: events of one millisecond keep their order.
      id: uuidv7(),
      organizationId: principal.organizationId,
      actorUserId: principal.kind === 'ADMIN' ? principal.userId : null,
      actorApiKeyId: principal.kind === 'API_KEY' ? principal.apiKeyId : null,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      projectIds: entry.projectIds ?? [],
      changes: (entry.changes ?? {}) as Prisma.InputJsonValue,
      requestId: ctx.requestId,
      createdAt: ctx.now(),
    },
  });
}

/** `{ field: { before, after } }` of the fields whose values differ (compared as JSON). */
export function changedFields(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])) {
    const was = before?.[field] ?? null;
    const is = after?.[field] ?? null;
    if (JSON.stringify(was) !== JSON.stringify(is)) changes[field] = { before: was, after: is };
  }
  return changes;
}
