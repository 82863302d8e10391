import type { Goal } from '../../generated/prisma/client.ts';
import { changedFields, type FieldKind } from '../../core/external-id.ts';
import type { RequestScope } from '../../core/request-scope.ts';
import { upsertEach } from '../sync/bulk-upsert.service.ts';
import { upsertByExternalId } from '../sync/upsert.service.ts';
import { createGoal, updateGoal, type CreateGoalInput } from './goal.service.ts';

export interface UpsertGoalInput extends Omit<CreateGoalInput, 'externalId'> {
  externalId: string;
}

/** How the fields updateGoal changes compare with the stored goal (core/external-id.ts); milestones are for create only. */
const FIELDS = {
  title: 'text',
  description: 'optionalText',
  status: 'defaulted',
  progress: 'defaulted',
  startsOn: 'date',
  dueOn: 'date',
  ownerId: 'value',
  projectId: 'value',
} as const satisfies Partial<Record<keyof UpsertGoalInput, FieldKind>>;

/**
 * Creates the goal with this externalId (createGoal, with its milestones), or updates the
 * fields that differ (updateGoal, which records them in the goal's history); milestones
 * are left as they are on update. A replay writes nothing, history included.
 */
export function upsertGoal(ctx: RequestScope, { externalId, ...input }: UpsertGoalInput) {
  return upsertByExternalId<Goal, { goal: Goal | null }>(ctx, 'goal', externalId, {
    create: (scoped, id) => createGoal(scoped, { ...input, externalId: id }),
    update: async (scoped, stored) => {
      const changes = changedFields(stored, input, FIELDS);
      if (!Object.keys(changes).length) return { goal: stored };
      return updateGoal(scoped, stored.id, changes);
    },
  });
}

/** upsertGoal for up to 100 goals, all or nothing (sync/bulk-upsert.service.ts). */
export async function upsertGoals(ctx: RequestScope, goals: UpsertGoalInput[]) {
  const results = await upsertEach(ctx, 'goals', goals, upsertGoal);
  return { goals: results.map((result) => result.goal!) };
}
