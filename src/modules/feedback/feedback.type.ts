import DataLoader from 'dataloader';
import { scope } from '../../auth/scope.ts';
import { connectionFor } from '../../graphql/connections.ts';
import { builder } from '../../graphql/builder.ts';
import type { GraphQLContext } from '../../graphql/context.ts';
import type { Goal } from '../../generated/prisma/client.ts';
import { GoalRef } from '../goals/goal.type.ts';
import { MAX_FEEDBACK_QUESTIONS } from './feedback.service.ts';
import { reaches } from '../../graphql/resources.ts';

/** Goals by id, limited to what the principal may see: a goal moved to another project stays hidden. */
const visibleGoals = (ctx: GraphQLContext) =>
  ctx.loaders.once(
    'feedback.goal',
    () =>
      new DataLoader<string, Goal | null>(async (ids) => {
        const rows = await ctx.prisma.goal.findMany({
          where: { id: { in: [...ids] }, AND: [scope.goal(ctx.principal)] },
        });
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
  );

export const FeedbackTemplateRef = builder.prismaNode('FeedbackTemplate', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [scope.feedbackTemplate(ctx.principal)] }),
  description:
    'A reusable set of questions that feedback answers. For an API key: the templates used by feedback on its projects.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Unique within the organisation.' }),
    questions: t.relation('questions', {
      description: 'The questions, in the order they are asked.',
      query: { orderBy: { position: 'asc' } },
      extensions: { listSize: MAX_FEEDBACK_QUESTIONS },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the template was created.' }),
  }),
});

builder.prismaObject('FeedbackQuestion', {
  description: 'One question of a feedback template.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'What `createFeedback` names in `responses.questionId`.' }),
    position: t.exposeInt('position', { description: 'Where the question is asked, from 0.' }),
    text: t.exposeString('text', { description: 'The question as the giver reads it.' }),
  }),
});

export const FeedbackRef = builder.prismaNode('Feedback', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [scope.feedback(ctx.principal)] }),
  description:
    'Feedback from one person about another, answering the questions of a template, optionally tied to a ' +
    'project or a goal. Read-only for API keys, which see only the feedback of their projects; feedback tied to no project is for owners and admins only.',
  fields: (t) => ({
    template: t.relation('template', { description: 'The template whose questions the responses answer.' }),
    giver: t.relation('giver', { ...reaches('PEOPLE'), description: 'Who gave the feedback.' }),
    subject: t.relation('subject', { ...reaches('PEOPLE'), description: 'Whom the feedback is about.' }),
    project: t.relation('project', {
      ...reaches('PROJECTS'),
      description: 'The project the feedback is tied to (the goal’s project when a goal is named), or null.',
    }),
    goal: t.field({
      type: GoalRef,
      ...reaches('GOALS'),
      description:
        'The goal the feedback is about; null when there is none or the goal has since moved outside what the caller may see.',
      select: { goalId: true },
      resolve: (feedback, _args, ctx) => (feedback.goalId ? visibleGoals(ctx).load(feedback.goalId) : null),
    }),
    responses: t.relation('responses', {
      description: 'The answers, in the order of the template’s questions.',
      query: { orderBy: { question: { position: 'asc' } } },
      extensions: { listSize: MAX_FEEDBACK_QUESTIONS },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the feedback was given.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When the feedback last changed.' }),
  }),
});

builder.prismaObject('FeedbackResponse', {
  description: "The giver's answer to one question of the template.",
  fields: (t) => ({
    question: t.relation('question', { description: 'The question answered.' }),
    answer: t.exposeString('answer', { description: 'The answer, as given.' }),
  }),
});

export const FeedbackConnection = connectionFor(FeedbackRef, 'Feedback');

export const FeedbackTemplateConnection = connectionFor(FeedbackTemplateRef, 'FeedbackTemplate');
