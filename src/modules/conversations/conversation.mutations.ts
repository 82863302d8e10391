import { builder } from '../../graphql/builder.ts';
import { ConversationStatusEnum } from '../../graphql/enums.ts';
import { withUserErrors } from '../../core/user-errors.ts';
import { payloadFields } from '../../graphql/payloads.ts';
import { rowId, rowIds } from '../../graphql/input-ids.ts';
import { PersonRef } from '../people/person.type.ts';
import { ProjectRef } from '../projects/project.type.ts';
import {
  MAX_ANSWER_LENGTH,
  MAX_PARTICIPANTS,
  MAX_QUESTIONS,
  addConversationResponse,
  createConversation,
  createConversationTemplate,
} from './conversation.service.ts';
import { ConversationRef, ConversationResponseRef, ConversationTemplateRef } from './conversation.type.ts';

builder.relayMutationField(
  'createConversationTemplate',
  {
    inputFields: (t) => ({
      name: t.string({ required: true, description: 'Unique within the organisation.' }),
      questions: t.stringList({
        required: true,
        description: `1–${MAX_QUESTIONS} questions, none blank, asked in this order.`,
      }),
    }),
  },
  {
    description: 'Creates a conversation template. Owners and admins only (not project admins).',
    authScopes: { organizationAdmin: true },
    resolve: (_root, { input }, ctx) => withUserErrors(() => createConversationTemplate(ctx, input)),
  },
  { outputFields: (t) => payloadFields(t, { conversationTemplate: ConversationTemplateRef }) },
);

builder.relayMutationField(
  'createConversation',
  {
    inputFields: (t) => ({
      projectId: t.globalID({ for: ProjectRef, required: true }),
      templateId: t.globalID({ for: ConversationTemplateRef, required: true }),
      participantIds: t.globalIDList({
        for: PersonRef,
        required: true,
        description: `1–${MAX_PARTICIPANTS} people of the organisation.`,
      }),
      status: t.field({ type: ConversationStatusEnum, required: false, description: 'Defaults to SCHEDULED.' }),
      scheduledFor: t.field({ type: 'DateTime', required: false }),
    }),
  },
  {
    description: 'Creates a check-in conversation on a project. Admins only (read-only for every API key).',
    authScopes: { admin: true },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() =>
        createConversation(ctx, {
          ...input,
          projectId: rowId(input.projectId),
          templateId: rowId(input.templateId),
          participantIds: rowIds(input.participantIds),
        }),
      ),
  },
  { outputFields: (t) => payloadFields(t, { conversation: ConversationRef }) },
);

builder.relayMutationField(
  'addConversationResponse',
  {
    inputFields: (t) => ({
      conversationId: t.globalID({ for: ConversationRef, required: true }),
      questionId: t.id({
        required: true,
        description: "A question of the conversation's template, as `ConversationTemplate.questions { id }` shows it.",
      }),
      respondentId: t.globalID({ for: PersonRef, required: true, description: 'A participant of the conversation.' }),
      answer: t.string({ required: true, description: `1–${MAX_ANSWER_LENGTH} characters.` }),
    }),
  },
  {
    description:
      "Records a participant's answer to a question (once per respondent and question). The first response " +
      'moves a SCHEDULED conversation to IN_PROGRESS; a COMPLETED one takes no more. Admins only.',
    authScopes: { admin: true },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() =>
        addConversationResponse(ctx, {
          conversationId: rowId(input.conversationId),
          questionId: input.questionId,
          respondentId: rowId(input.respondentId),
          answer: input.answer,
        }),
      ),
  },
  { outputFields: (t) => payloadFields(t, { conversation: ConversationRef, response: ConversationResponseRef }) },
);
