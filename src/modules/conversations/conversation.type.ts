import { scope } from '../../auth/scope.ts';
import { connectionFor } from '../../graphql/connections.ts';
import { builder } from '../../graphql/builder.ts';
import { ConversationStatusEnum } from '../../graphql/enums.ts';
import { MAX_PARTICIPANTS, MAX_QUESTIONS } from './conversation.service.ts';
import { emptyWithoutRead, reaches } from '../../graphql/resources.ts';

export const ConversationTemplateRef = builder.prismaNode('ConversationTemplate', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [scope.conversationTemplate(ctx.principal)] }),
  description: 'A reusable set of questions for check-in conversations.',
  fields: (t) => ({
    name: t.exposeString('name'),
    questions: t.relation('questions', {
      query: { orderBy: { position: 'asc' } },
      extensions: { listSize: MAX_QUESTIONS },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.prismaObject('ConversationQuestion', {
  fields: (t) => ({
    id: t.exposeID('id'),
    position: t.exposeInt('position'),
    text: t.exposeString('text'),
  }),
});

export const ConversationRef = builder.prismaNode('Conversation', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [scope.conversation(ctx.principal)] }),
  description:
    'A check-in conversation between people of the organisation about a project, following a template of questions. Read-only for API keys.',
  fields: (t) => ({
    status: t.expose('status', { type: ConversationStatusEnum }),
    scheduledFor: t.expose('scheduledFor', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      description: 'When the conversation, or its set of responses, last changed.',
    }),
    template: t.relation('template'),
    project: t.relation('project', reaches('PROJECTS')),
    participants: t.relation('participants', {
      description: 'Empty for an API key without READ on PEOPLE (the list is never null).',
      ...emptyWithoutRead('PEOPLE', [{ name: 'asc' }, { id: 'asc' }], { listSize: MAX_PARTICIPANTS }),
    }),
    responses: t.relation('responses', { query: { orderBy: { id: 'asc' } } }),
  }),
});

export const ConversationResponseRef = builder.prismaObject('ConversationResponse', {
  fields: (t) => ({
    id: t.exposeID('id'),
    question: t.relation('question'),
    answer: t.exposeString('answer'),
    respondent: t.relation('respondent', reaches('PEOPLE')),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const ConversationConnection = connectionFor(ConversationRef, 'Conversation');

export const ConversationTemplateConnection = connectionFor(ConversationTemplateRef, 'ConversationTemplate');
