import { builder } from '../../graphql/builder.ts';
import { withUserErrors } from '../../core/user-errors.ts';
import { payloadFields } from '../../graphql/payloads.ts';
import { rowId } from '../../graphql/input-ids.ts';
import { GoalRef } from '../goals/goal.type.ts';
import { PersonRef } from '../people/person.type.ts';
import { ProjectRef } from '../projects/project.type.ts';
import {
  MAX_FEEDBACK_ANSWER_LENGTH,
  MAX_FEEDBACK_QUESTIONS,
  createFeedback,
  createFeedbackTemplate,
} from './feedback.service.ts';
import { FeedbackRef, FeedbackTemplateRef } from './feedback.type.ts';

builder.relayMutationField(
  'createFeedbackTemplate',
  {
    inputFields: (t) => ({
      name: t.string({ required: true, description: 'Unique within the organisation.' }),
      questions: t.stringList({
        required: true,
        description: `1–${MAX_FEEDBACK_QUESTIONS} questions, none blank, asked in this order.`,
      }),
    }),
  },
  {
    description:
      'Creates a feedback template. Owners and admins only (not project admins; read-only for every API key).',
    authScopes: { organizationAdmin: true },
    resolve: (_root, { input }, ctx) => withUserErrors(() => createFeedbackTemplate(ctx, input)),
  },
  { outputFields: (t) => payloadFields(t, { feedbackTemplate: FeedbackTemplateRef }) },
);

const FeedbackResponseInput = builder.inputType('FeedbackResponseInput', {
  description: "The giver's answer to one question of the template.",
  fields: (t) => ({
    questionId: t.id({
      required: true,
      description: "A question of the feedback's template, as `FeedbackTemplate.questions { id }` shows it.",
    }),
    answer: t.string({ required: true, description: `1–${MAX_FEEDBACK_ANSWER_LENGTH} characters.` }),
  }),
});

builder.relayMutationField(
  'createFeedback',
  {
    inputFields: (t) => ({
      templateId: t.globalID({
        for: FeedbackTemplateRef,
        required: true,
        description: 'The template whose questions the responses answer.',
      }),
      giverId: t.globalID({ for: PersonRef, required: true, description: 'Who gives the feedback.' }),
      subjectId: t.globalID({
        for: PersonRef,
        required: true,
        description: 'Whom the feedback is about: not the giver.',
      }),
      projectId: t.globalID({
        for: ProjectRef,
        required: false,
        description: "The project it is tied to. With a goal: the goal's project, or left out.",
      }),
      goalId: t.globalID({ for: GoalRef, required: false, description: 'The goal it is about.' }),
      responses: t.field({
        type: [FeedbackResponseInput],
        required: true,
        description: `1–${MAX_FEEDBACK_QUESTIONS} answers, each to a different question of the template.`,
      }),
    }),
  },
  {
    description:
      'Records feedback from one person about another, with the answers, in one step. Owners and admins only ' +
      '(not project admins; read-only for every API key).',
    authScopes: { organizationAdmin: true },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() =>
        createFeedback(ctx, {
          templateId: rowId(input.templateId),
          giverId: rowId(input.giverId),
          subjectId: rowId(input.subjectId),
          projectId: rowId(input.projectId),
          goalId: rowId(input.goalId),
          responses: input.responses,
        }),
      ),
  },
  { outputFields: (t) => payloadFields(t, { feedback: FeedbackRef }) },
);
