import { builder } from '../../graphql/builder.ts';
import { GoalStatusEnum } from '../../graphql/enums.ts';
import { EXTERNAL_ID } from '../../graphql/external-id.ts';
import { withUserErrors } from '../../core/user-errors.ts';
import { deletedIdField, payloadFields } from '../../graphql/payloads.ts';
import { rowId } from '../../graphql/input-ids.ts';
import { PersonRef } from '../people/person.type.ts';
import { ProjectRef } from '../projects/project.type.ts';
import {
  MAX_MILESTONES,
  addGoalComment,
  addGoalMilestone,
  createGoal,
  deleteGoal,
  removeGoalMilestone,
  updateGoal,
  updateGoalMilestone,
} from './goal.service.ts';
import { GoalCommentRef, GoalRef, MilestoneRef } from './goal.type.ts';

const CAN_WRITE = { write: 'GOALS' } as const;
const KEY_RULE = 'Admins, and API keys that allow writes (goals in their projects; others are NOT_FOUND).';

export const MilestoneInput = builder.inputType('MilestoneInput', {
  description: 'A milestone of a goal; listed in the order given.',
  fields: (t) => ({
    title: t.string({ required: true }),
    dueOn: t.field({ type: 'Date', required: false, description: 'Not before the goal starts.' }),
  }),
});

builder.relayMutationField(
  'createGoal',
  {
    inputFields: (t) => ({
      projectId: t.globalID({
        for: ProjectRef,
        required: true,
        description: 'An API key may name only its own projects.',
      }),
      title: t.string({ required: true }),
      ownerId: t.globalID({ for: PersonRef, required: true, description: 'Any person of the organisation.' }),
      description: t.string({ required: false }),
      status: t.field({ type: GoalStatusEnum, required: false, description: 'Defaults to NOT_STARTED.' }),
      progress: t.int({ required: false, description: 'Percent complete, 0–100; defaults to 0.' }),
      startsOn: t.field({ type: 'Date', required: false }),
      dueOn: t.field({ type: 'Date', required: false, description: 'Not before startsOn.' }),
      milestones: t.field({
        type: [MilestoneInput],
        required: false,
        description: `At most ${MAX_MILESTONES}.`,
      }),
      externalId: t.string({ required: false, description: EXTERNAL_ID.create }),
    }),
  },
  {
    description: 'Creates a goal on a project. Admins, and API keys that allow writes (in their projects).',
    authScopes: CAN_WRITE,
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() =>
        createGoal(ctx, { ...input, projectId: rowId(input.projectId), ownerId: rowId(input.ownerId) }),
      ),
  },
  { outputFields: (t) => payloadFields(t, { goal: GoalRef }) },
);

builder.relayMutationField(
  'updateGoal',
  {
    inputFields: (t) => ({
      id: t.globalID({ for: GoalRef, required: true }),
      title: t.string({ required: false, description: 'Omit to keep; cannot be blank.' }),
      description: t.string({ required: false, description: 'Omit to keep, null to clear.' }),
      status: t.field({
        type: GoalStatusEnum,
        required: false,
        description: 'Omit to keep. Independent of progress: COMPLETED does not change progress.',
      }),
      progress: t.int({ required: false, description: 'Percent complete, 0–100; omit to keep.' }),
      startsOn: t.field({
        type: 'Date',
        required: false,
        description: "Omit to keep, null to clear; not after dueOn nor after a milestone's due day.",
      }),
      dueOn: t.field({
        type: 'Date',
        required: false,
        description: 'Omit to keep, null to clear; not before startsOn (the new or the stored one).',
      }),
      ownerId: t.globalID({ for: PersonRef, required: false, description: 'Any person of the organisation.' }),
      projectId: t.globalID({
        for: ProjectRef,
        required: false,
        description: 'Moves the goal; an API key may name only its own projects.',
      }),
      externalId: t.string({ required: false, description: EXTERNAL_ID.update }),
    }),
  },
  {
    description: `Changes a goal. Omitted fields stay as they are; null clears an optional field. ${KEY_RULE}`,
    authScopes: CAN_WRITE,
    resolve: (_root, { input: { id: goalId, ownerId, projectId, ...rest } }, ctx) =>
      withUserErrors(() =>
        updateGoal(ctx, rowId(goalId), { ...rest, ownerId: rowId(ownerId), projectId: rowId(projectId) }),
      ),
  },
  { outputFields: (t) => payloadFields(t, { goal: GoalRef }) },
);

builder.relayMutationField(
  'deleteGoal',
  { inputFields: (t) => ({ id: t.globalID({ for: GoalRef, required: true }) }) },
  {
    description: `Deletes a goal with its milestones and comments. ${KEY_RULE}`,
    authScopes: CAN_WRITE,
    resolve: (_root, { input }, ctx) => withUserErrors(() => deleteGoal(ctx, rowId(input.id))),
  },
  {
    outputFields: (t) => ({
      ...payloadFields(t),
      ...deletedIdField(t, 'Goal'),
    }),
  },
);

builder.relayMutationField(
  'addGoalComment',
  {
    inputFields: (t) => ({
      goalId: t.globalID({ for: GoalRef, required: true }),
      body: t.string({ required: true, description: '1–5000 characters.' }),
    }),
  },
  {
    description:
      "Comments on a goal. The author is the directory person with the admin's email (else the admin), or the API key. " +
      KEY_RULE,
    authScopes: CAN_WRITE,
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() => addGoalComment(ctx, { goalId: rowId(input.goalId), body: input.body })),
  },
  { outputFields: (t) => payloadFields(t, { goal: GoalRef, comment: GoalCommentRef }) },
);

builder.relayMutationField(
  'addGoalMilestone',
  {
    inputFields: (t) => ({
      goalId: t.globalID({ for: GoalRef, required: true }),
      title: t.string({ required: true }),
      dueOn: t.field({ type: 'Date', required: false, description: 'Not before the goal starts.' }),
    }),
  },
  {
    description: `Appends a milestone to a goal (at most ${MAX_MILESTONES}). ${KEY_RULE}`,
    authScopes: CAN_WRITE,
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() => addGoalMilestone(ctx, { ...input, goalId: rowId(input.goalId) })),
  },
  { outputFields: (t) => payloadFields(t, { goal: GoalRef, milestone: MilestoneRef }) },
);

builder.relayMutationField(
  'updateGoalMilestone',
  {
    inputFields: (t) => ({
      id: t.globalID({ for: MilestoneRef, required: true }),
      title: t.string({ required: false, description: 'Omit to keep; cannot be blank.' }),
      dueOn: t.field({
        type: 'Date',
        required: false,
        description: 'Omit to keep, null to clear; not before the goal starts.',
      }),
      completed: t.boolean({
        required: false,
        description: 'true marks it complete now (an earlier completion time is kept); false reopens it.',
      }),
    }),
  },
  {
    description: `Changes or completes a milestone. Omitted fields stay as they are. ${KEY_RULE}`,
    authScopes: CAN_WRITE,
    resolve: (_root, { input: { id: milestoneId, ...rest } }, ctx) =>
      withUserErrors(() => updateGoalMilestone(ctx, rowId(milestoneId), rest)),
  },
  { outputFields: (t) => payloadFields(t, { goal: GoalRef, milestone: MilestoneRef }) },
);

builder.relayMutationField(
  'removeGoalMilestone',
  { inputFields: (t) => ({ id: t.globalID({ for: MilestoneRef, required: true }) }) },
  {
    description: `Removes a milestone from its goal. ${KEY_RULE}`,
    authScopes: CAN_WRITE,
    resolve: (_root, { input }, ctx) => withUserErrors(() => removeGoalMilestone(ctx, rowId(input.id))),
  },
  {
    outputFields: (t) => ({
      ...payloadFields(t, { goal: GoalRef }),
      ...deletedIdField(t, 'Milestone'),
    }),
  },
);
