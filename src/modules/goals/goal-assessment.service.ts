import type { GoalRating } from '../../generated/prisma/enums.ts';
import { lockScoped } from '../../auth/lock-scoped.ts';
import { requireTarget } from '../../auth/visible.ts';
import type { RequestScope } from '../../core/request-scope.ts';
import { InputCheck } from '../../core/user-errors.ts';
import { authorOf } from '../actors/actor-record.ts';

export interface CreateGoalAssessmentInput {
  goalId: string;
  score?: number | null;
  rating?: GoalRating | null;
  comment?: string | null;
  periodStart: Date;
  periodEnd: Date;
}

export const MAX_ASSESSMENT_COMMENT = 5000;

/**
 * A periodic assessment of a goal: a score (0–100), a rating or both, for a period of days.
 * The assessor is recorded as a comment's author is (actors/actor.ts authorOf). The goal is
 * locked against deletion while the assessment is written (as for a comment).
 */
export async function createGoalAssessment(ctx: RequestScope, input: CreateGoalAssessmentInput) {
  await requireTarget(ctx, 'goal', input.goalId);
  const check = new InputCheck();
  if (input.score == null && input.rating == null) {
    check.add(['input', 'score'], 'BLANK', 'An assessment needs a score, a rating or both.');
  }
  check.range(['input', 'score'], input.score, 0, 100);
  const comment =
    check.text(['input', 'comment'], input.comment, { max: MAX_ASSESSMENT_COMMENT, required: false }) || null;
  check.datesInOrder('periodStart', 'periodEnd', input);
  check.throwIfAny();
  const assessor = await authorOf(ctx);
  return ctx.prisma.$transaction(async (tx) => {
    const goal = await lockScoped(tx, ctx.principal, 'goal', input.goalId, 'keyShare');
    const goalAssessment = await tx.goalAssessment.create({
      data: {
        organizationId: ctx.principal.organizationId,
        goalId: goal.id,
        score: input.score ?? null,
        rating: input.rating ?? null,
        comment,
        periodStart: input.periodStart,
        periodEnd: input.periodEnd,
        assessorId: assessor.personId,
        assessorApiKeyId: assessor.apiKeyId,
        assessorUserId: assessor.userId,
      },
    });
    return { goal, goalAssessment };
  });
}
