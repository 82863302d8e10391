import { v7 as uuidv7 } from 'uuid';
import type { Goal, Milestone, Prisma } from '../../generated/prisma/client.ts';
import type { GoalChangeKind } from '../../generated/prisma/enums.ts';
import type { RequestScope } from '../../core/request-scope.ts';
import { principalActor } from '../actors/actor-record.ts';

/**
 * Goal history: every change to a goal or its milestones is one GoalChange row, written in
 * the transaction of the change (a change that rolls back leaves none). `changes` holds
 * `{ field: { before, after } }` of the fields that changed, as JSON: days as YYYY-MM-DD,
 * instants as ISO 8601, references (ownerId, projectId) as row ids (the API shows global ids).
 */

type Tx = Prisma.TransactionClient;
export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

/** The goal's fields that history records, in the order a client reads them. */
export const GOAL_FIELDS = [
  'title',
  'description',
  'status',
  'progress',
  'startsOn',
  'dueOn',
  'ownerId',
  'projectId',
  'externalId',
] as const;
export const MILESTONE_FIELDS = ['title', 'dueOn', 'completedAt'] as const;
/** Columns that hold a day (`@db.Date`): recorded as YYYY-MM-DD. */
export const DAY_FIELDS = new Set(['startsOn', 'dueOn']);

/** A column's value as history stores it. */
export function historyValue(field: string, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return DAY_FIELDS.has(field) ? value.toISOString().slice(0, 10) : value.toISOString();
  return value;
}

/** The fields whose value differs between two versions of a row (before: null for a new row, after: null for a removed one). */
export function changedFields<Row extends object>(
  fields: readonly string[],
  before: Row | null,
  after: Row | null,
): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of fields) {
    const was = historyValue(field, before ? (before as Record<string, unknown>)[field] : null);
    const is = historyValue(field, after ? (after as Record<string, unknown>)[field] : null);
    if (JSON.stringify(was) !== JSON.stringify(is)) changes[field] = { before: was, after: is };
  }
  return changes;
}

/** A new goal's history: each field it was created with (nulls left out). */
export const createdChanges = (goal: Goal, milestones: Milestone[] = []): FieldChanges => {
  const changes = changedFields(GOAL_FIELDS, null, goal);
  if (milestones.length) {
    changes.milestones = {
      before: null,
      after: milestones.map((m) => ({ title: m.title, dueOn: historyValue('dueOn', m.dueOn) })),
    };
  }
  return changes;
};

/** The columns of a GoalChange row for this request: who (the admin or the key) and the request id. */
export function changeRow(
  ctx: RequestScope,
  goalId: string,
  kind: GoalChangeKind,
  changes: FieldChanges,
  milestoneId: string | null = null,
): Prisma.GoalChangeUncheckedCreateInput {
  const actor = principalActor(ctx);
  return {
    // This process's ids only grow (uuid's v7 is monotonic), so entries of one millisecond keep their order.
    id: uuidv7(),
    organizationId: ctx.principal.organizationId,
    goalId,
    milestoneId,
    kind,
    changes: changes as Prisma.InputJsonObject,
    actorUserId: actor.userId,
    actorApiKeyId: actor.apiKeyId,
    requestId: ctx.requestId,
  };
}

/** Records a change inside the caller's transaction; a change of nothing (no field differs) records nothing. */
export async function recordChange(
  tx: Tx,
  ctx: RequestScope,
  goalId: string,
  kind: GoalChangeKind,
  changes: FieldChanges,
  milestoneId: string | null = null,
): Promise<void> {
  if (kind === 'UPDATED' || kind === 'MILESTONE_UPDATED') {
    if (Object.keys(changes).length === 0) return;
  }
  await tx.goalChange.create({ data: changeRow(ctx, goalId, kind, changes, milestoneId), select: { id: true } });
}
