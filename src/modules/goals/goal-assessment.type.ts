import { scope } from '../../auth/scope.ts';
import { builder } from '../../graphql/builder.ts';
import { connectionFor } from '../../graphql/connections.ts';
import { relatedConnection } from '../../graphql/related-connection.ts';
import { ActorRef } from '../actors/actor.type.ts';
import { actorOf } from '../actors/actor.ts';
import { GoalRef } from './goal.type.ts';

export const GoalRatingEnum = builder.enumType('GoalRating', {
  description: 'How a goal did over an assessment period.',
  values: {
    EXCEEDS: { description: 'Exceeded expectations.' },
    MEETS: { description: 'Met expectations.' },
    PARTIALLY_MEETS: { description: 'Partly met expectations.' },
    DOES_NOT_MEET: { description: 'Did not meet expectations.' },
  } as const,
});

export const GoalAssessmentRef = builder.prismaNode('GoalAssessment', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [{ goal: scope.goal(ctx.principal) }] }),
  description: 'A periodic assessment of a goal: a score, a rating or both, for a period, by an assessor.',
  fields: (t) => ({
    score: t.exposeInt('score', { nullable: true, description: '0–100; null when only a rating was given.' }),
    rating: t.expose('rating', {
      type: GoalRatingEnum,
      nullable: true,
      description: 'Null when only a score was given.',
    }),
    comment: t.exposeString('comment', { nullable: true }),
    periodStart: t.expose('periodStart', { type: 'Date', description: 'The first day of the period assessed.' }),
    periodEnd: t.expose('periodEnd', { type: 'Date', description: 'The last day of the period assessed.' }),
    assessor: t.field({
      type: ActorRef,
      nullable: true,
      description:
        "Who assessed: the directory person with the admin's email, the API key, or the admin; null if they were deleted.",
      resolve: (assessment, _args, ctx) =>
        actorOf(ctx, {
          personId: assessment.assessorId,
          apiKeyId: assessment.assessorApiKeyId,
          userId: assessment.assessorUserId,
        }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    goal: t.relation('goal'),
  }),
});

const GoalAssessmentConnection = connectionFor(GoalAssessmentRef, 'GoalAssessment');

builder.prismaObjectFields(GoalRef, (t) => ({
  assessments: relatedConnection(
    t,
    'assessments',
    {
      description: 'Periodic assessments of the goal, the latest period first (by periodEnd).',
      query: { orderBy: [{ periodEnd: 'desc' }, { id: 'desc' }] },
    },
    GoalAssessmentConnection,
  ),
}));
