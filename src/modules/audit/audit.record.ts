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

/** Who made a change and when: a principal's request (recordAudit), or the system (a job). */
export interface AuditActor {
  organizationId: string;
  actorUserId?: string | null;
  actorApiKeyId?: string | null;
  requestId?: string | null;
  at: Date;
}

function eventRow(actor: AuditActor, entry: AuditEntry): Prisma.AuditEventCreateManyInput {
  return {
    // uuid's v7 only grows within this process: events of one millisecond keep their order.
    id: uuidv7(),
    organizationId: actor.organizationId,
    actorUserId: actor.actorUserId ?? null,
    actorApiKeyId: actor.actorApiKeyId ?? null,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    projectIds: entry.projectIds ?? [],
    changes: (entry.changes ?? {}) as Prisma.InputJsonValue,
    requestId: actor.requestId ?? null,
    createdAt: actor.at,
  };
}

/**
 * A key's events belong to its projects, before and after a change of them (the event's
 * `projectIds` unless the writer gave them): a project admin reads the events of a key only
 * while every project it had or has is theirs.
 */
async function keyProjectIds(tx: Prisma.TransactionClient, entry: AuditEntry): Promise<string[]> {
  const key = await tx.apiKey.findUnique({
    where: { id: entry.targetId ?? undefined },
    select: { projects: { select: { id: true } } },
  });
  const changed = (entry.changes as { projectIds?: { before?: unknown; after?: unknown } } | undefined)?.projectIds;
  const listed = [changed?.before, changed?.after].flatMap((ids) => (Array.isArray(ids) ? (ids as string[]) : []));
  return [...new Set([...(key?.projects.map((project) => project.id) ?? []), ...listed])].sort();
}

/** Writes one event of the organisation's audit log in `tx`, the transaction of the change. Never pass a secret. */
export async function writeAuditEvent(tx: Prisma.TransactionClient, actor: AuditActor, entry: AuditEntry) {
  const projectIds =
    entry.projectIds ?? (entry.targetType === 'ApiKey' && entry.targetId ? await keyProjectIds(tx, entry) : []);
  await tx.auditEvent.create({ data: eventRow(actor, { ...entry, projectIds }) });
}

/** The principal of a request as the actor of its changes. */
function requestActor(ctx: RequestScope): AuditActor {
  const principal = ctx.principal;
  return {
    organizationId: principal.organizationId,
    actorUserId: principal.kind === 'ADMIN' ? principal.userId : null,
    actorApiKeyId: principal.kind === 'API_KEY' ? principal.apiKeyId : null,
    requestId: ctx.requestId,
    at: ctx.now(),
  };
}

/** An audit event of a request: the principal who made the change, and the request id. */
export function recordAudit(tx: Prisma.TransactionClient, ctx: RequestScope, entry: AuditEntry) {
  return writeAuditEvent(tx, requestActor(ctx), entry);
}

/** Several events of one request in one statement, in the order given (a bulk upsert's items). */
export async function recordAuditEvents(tx: Prisma.TransactionClient, ctx: RequestScope, entries: AuditEntry[]) {
  if (!entries.length) return;
  if (entries.length === 1) return recordAudit(tx, ctx, entries[0]);
  const actor = requestActor(ctx);
  await tx.auditEvent.createMany({ data: entries.map((entry) => eventRow(actor, entry)) });
}

/** `{ field: { before, after } }` of the fields whose values differ (compared as JSON). */
export function changedFields(before: object | null, after: object | null): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])) {
    const was = (before as Record<string, unknown> | null)?.[field] ?? null;
    const is = (after as Record<string, unknown> | null)?.[field] ?? null;
    if (JSON.stringify(was) !== JSON.stringify(is)) changes[field] = { before: was, after: is };
  }
  return changes;
}
