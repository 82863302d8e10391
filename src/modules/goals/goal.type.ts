import { scope } from '../../auth/scope.ts';
import { connectionFor } from '../../graphql/connections.ts';
import { builder } from '../../graphql/builder.ts';
import { GoalStatusEnum } from '../../graphql/enums.ts';
import { EXTERNAL_ID } from '../../graphql/external-id.ts';
import { MAX_MILESTONES } from './goal.service.ts';
import { relatedConnection } from '../../graphql/related-connection.ts';
import { ActorRef } from '../actors/actor.type.ts';
import { actorOf } from '../actors/actor.ts';
import { reaches } from '../../graphql/resources.ts';

export const GoalRef = builder.prismaNode('Goal', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [scope.goal(ctx.principal)] }),
  description: 'Something a person of the organisation means to achieve on a project, with its progress and milestones.',
  fields: (t) => ({
    title: t.exposeString('title'),
    description: t.exposeString('description', { nullable: true }),
    status: t.expose('status', { type: GoalStatusEnum }),
    progress: t.exposeInt('progress', { description: 'Percent complete, 0–100.' }),
    startsOn: t.expose('startsOn', { type: 'Date', nullable: true }),
    dueOn: t.expose('dueOn', { type: 'Date', nullable: true }),
    externalId: t.exposeString('externalId', { nullable: true, description: EXTERNAL_ID.field }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    owner: t.relation('owner', reaches('PEOPLE')),
    project: t.relation('project', reaches('PROJECTS')),
    milestones: t.relation('milestones', {
      query: { orderBy: [{ position: 'asc' }, { id: 'asc' }] },
      extensions: { listSize: MAX_MILESTONES },
    }),
  }),
});

/** A node (global id) so milestone mutations can name it; listed only as `Goal.milestones`. */
export const MilestoneRef = builder.prismaNode('Milestone', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [{ goal: scope.goal(ctx.principal) }] }),
  description: 'A step towards a goal, listed in order in `Goal.milestones`.',
  fields: (t) => ({
    title: t.exposeString('title'),
    dueOn: t.expose('dueOn', { type: 'Date', nullable: true }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    completed: t.boolean({ resolve: (m) => m.completedAt !== null }),
  }),
});

export const GoalCommentRef = builder.prismaNode('GoalComment', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [{ goal: scope.goal(ctx.principal) }] }),
  description: 'A comment on a goal, listed in `Goal.comments`.',
  fields: (t) => ({
    body: t.exposeString('body'),
    author: t.field({
      type: ActorRef,
      nullable: true,
      description:
        "Who wrote it: the directory person with the admin's email, the API key, or the admin; null only for old comments that recorded none.",
      resolve: (comment, _args, ctx) =>
        actorOf(ctx, { personId: comment.authorId, apiKeyId: comment.authorApiKeyId, userId: comment.authorUserId }),
    }),
    goal: t.relation('goal'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const GoalConnection = connectionFor(GoalRef, 'Goal');

const GoalCommentConnection = connectionFor(GoalCommentRef, 'GoalComment');

builder.prismaObjectFields(GoalRef, (t) => ({
  comments: relatedConnection(
    t,
    'comments',
    {
      query: { orderBy: { id: 'asc' } },
    },
    GoalCommentConnection,
  ),
}));
