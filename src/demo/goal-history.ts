import type { Prisma } from '../generated/prisma/client.ts';
import type { GoalRating } from '../generated/prisma/enums.ts';
import { changedFields, createdChanges, GOAL_FIELDS, MILESTONE_FIELDS } from '../modules/goals/goal-history.ts';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const RATINGS: GoalRating[] = ['MEETS', 'EXCEEDS', 'PARTIALLY_MEETS', 'MEETS', 'DOES_NOT_MEET'];

/**
 * The demo goals' history and assessments: each goal's CREATED entry by the demo admin, an
 * UPDATED entry for its progress and the completion of its first milestone; and one
 * assessment per goal for October, by the demo admin (the directory has no person with the
 * admin's email, so the assessor is the admin).
 */
export async function seedGoalHistory(tx: Prisma.TransactionClient, organizationId: string) {
  const admin = await tx.user.findFirstOrThrow({ where: { organizationId }, orderBy: { createdAt: 'asc' } });
  const goals = await tx.goal.findMany({
    where: { organizationId },
    include: { milestones: { orderBy: { position: 'asc' } } },
    orderBy: { id: 'asc' },
  });
  const actor = { organizationId, actorUserId: admin.id, requestId: 'demo-seed' };
  for (const [i, goal] of goals.entries()) {
    const started = { ...goal, status: 'NOT_STARTED' as const, progress: 0 };
    const [first] = goal.milestones;
    await tx.goalChange.create({
      data: {
        ...actor,
        goalId: goal.id,
        kind: 'CREATED',
        changes: createdChanges(started, goal.milestones) as Prisma.InputJsonObject,
        createdAt: new Date('2026-09-28T09:00:00Z'),
      },
    });
    if (first?.completedAt) {
      await tx.goalChange.create({
        data: {
          ...actor,
          goalId: goal.id,
          milestoneId: first.id,
          kind: 'MILESTONE_UPDATED',
          changes: changedFields(MILESTONE_FIELDS, { ...first, completedAt: null }, first) as Prisma.InputJsonObject,
          createdAt: first.completedAt,
        },
      });
    }
    const updated = changedFields(GOAL_FIELDS, started, goal);
    if (Object.keys(updated).length) {
      await tx.goalChange.create({
        data: {
          ...actor,
          goalId: goal.id,
          kind: 'UPDATED',
          changes: updated as Prisma.InputJsonObject,
          createdAt: new Date('2026-10-20T16:30:00Z'),
        },
      });
    }
    await tx.goalAssessment.create({
      data: {
        organizationId,
        goalId: goal.id,
        score: 40 + ((i * 13) % 60),
        rating: RATINGS[i % RATINGS.length],
        comment: i % 2 ? 'Behind on paperwork, ahead on site work.' : 'On plan for the quarter.',
        periodStart: day('2026-10-01'),
        periodEnd: day('2026-10-31'),
        assessorUserId: admin.id,
      },
    });
  }
}
