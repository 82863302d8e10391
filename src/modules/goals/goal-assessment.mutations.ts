import { builder } from '../../graphql/builder.ts';
import { withUserErrors } from '../../core/user-errors.ts';
import { payloadFields } from '../../graphql/payloads.ts';
import { rowId } from '../../graphql/input-ids.ts';
import { MAX_ASSESSMENT_COMMENT, createGoalAssessment } from './goal-assessment.service.ts';
import { GoalAssessmentRef, GoalRatingEnum } from './goal-assessment.type.ts';
import { GoalRef } from './goal.type.ts';

builder.relayMutationField(
  'createGoalAssessment',
  {
    inputFields: (t) => ({
      goalId: t.globalID({ for: GoalRef, required: true }),
      score: t.int({ required: false, description: '0–100. A score, a rating or both.' }),
      rating: t.field({ type: GoalRatingEnum, required: false, description: 'A score, a rating or both.' }),
      comment: t.string({ required: false, description: `At most ${MAX_ASSESSMENT_COMMENT} characters.` }),
      periodStart: t.field({ type: 'Date', required: true, description: 'The first day of the period assessed.' }),
      periodEnd: t.field({
        type: 'Date',
        required: true,
        description: 'The last day of the period assessed; not before periodStart.',
      }),
    }),
  },
  {
    description:
      "Records a periodic assessment of a goal. The assessor is the directory person with the admin's email (else the admin), or the API key. Admins, and API keys that allow writes (goals in their projects; others are NOT_FOUND).",
    authScopes: { write: 'GOALS' },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() => createGoalAssessment(ctx, { ...input, goalId: rowId(input.goalId) })),
  },
  { outputFields: (t) => payloadFields(t, { goal: GoalRef, goalAssessment: GoalAssessmentRef }) },
);
