import { scope } from '../../auth/scope.ts';
import { withUserErrors } from '../../core/user-errors.ts';
import { builder } from '../../graphql/builder.ts';
import { GoalStatusEnum } from '../../graphql/enums.ts';
import { EXTERNAL_ID } from '../../graphql/external-id.ts';
import { rowId } from '../../graphql/input-ids.ts';
import { payloadFields } from '../../graphql/payloads.ts';
import { PersonRef } from '../people/person.type.ts';
import { ProjectRef } from '../projects/project.type.ts';
import { MAX_BULK_ITEMS } from '../sync/bulk-upsert.service.ts';
import { MilestoneInput } from './goal.mutations.ts';
import { MAX_MILESTONES } from './goal.service.ts';
import { GoalRef } from './goal.type.ts';
import { upsertGoal, upsertGoals } from './goal.upsert.service.ts';

const KEY_RULE =
  'Admins, and API keys that allow writes (goals in their projects; a goal outside them is TAKEN, a project outside them NOT_FOUND).';

builder.queryField('goalByExternalId', (t) =>
  t.prismaField({
    type: 'Goal',
    nullable: true,
    description: 'The goal with this externalId; null when there is none or it is outside what the caller may see.',
    authScopes: { read: 'GOALS' },
    args: { externalId: t.arg.string({ required: true, description: EXTERNAL_ID.lookup }) },
    resolve: (query, _root, { externalId }, ctx) =>
      ctx.prisma.goal.findFirst({
        ...query,
        where: { externalId: externalId.trim(), AND: [scope.goal(ctx.principal)] },
      }),
  }),
);

const UpsertGoalInput = builder.inputType('UpsertGoalInput', {
  description: 'A goal named by its externalId, with the fields of createGoal.',
  fields: (t) => ({
    externalId: t.string({ required: true, description: EXTERNAL_ID.upsert }),
    projectId: t.globalID({
      for: ProjectRef,
      required: true,
      description: 'An API key may name only its own projects. On update, a different project moves the goal.',
    }),
    title: t.string({ required: true }),
    ownerId: t.globalID({ for: PersonRef, required: true, description: 'Any person of the organisation.' }),
    description: t.string({ required: false, description: 'On update: omit to keep, null to clear.' }),
    status: t.field({
      type: GoalStatusEnum,
      required: false,
      description: 'Defaults to NOT_STARTED on create; omit or null to keep on update.',
    }),
    progress: t.int({
      required: false,
      description: 'Percent complete, 0–100; defaults to 0 on create; omit or null to keep on update.',
    }),
    startsOn: t.field({ type: 'Date', required: false, description: 'On update: omit to keep, null to clear.' }),
    dueOn: t.field({
      type: 'Date',
      required: false,
      description: 'Not before startsOn. On update: omit to keep, null to clear.',
    }),
    milestones: t.field({
      type: [MilestoneInput],
      required: false,
      description: `At most ${MAX_MILESTONES}; used when the goal is created. An existing goal keeps its milestones (change them with the milestone mutations).`,
    }),
  }),
});
type UpsertGoalFields = typeof UpsertGoalInput.$inferInput;
const goalInput = (input: UpsertGoalFields) => ({
  ...input,
  projectId: rowId(input.projectId),
  ownerId: rowId(input.ownerId),
});

builder.relayMutationField(
  'upsertGoal',
  UpsertGoalInput,
  {
    description: `Creates the goal with this externalId (as createGoal), or updates it with the fields that differ (as updateGoal, recorded in its history); sent again, it changes nothing. ${KEY_RULE}`,
    authScopes: { write: 'GOALS' },
    resolve: (_root, { input }, ctx) => withUserErrors(() => upsertGoal(ctx, goalInput(input as UpsertGoalFields))),
  },
  {
    outputFields: (t) => ({
      ...payloadFields(t, { goal: GoalRef }),
      created: t.boolean({ description: EXTERNAL_ID.created, resolve: (payload) => payload.created ?? false }),
    }),
  },
);

builder.relayMutationField(
  'upsertGoals',
  {
    inputFields: (t) => ({
      goals: t.field({
        type: [UpsertGoalInput],
        required: true,
        description: `1–${MAX_BULK_ITEMS} goals, each with its own externalId.`,
      }),
    }),
  },
  {
    description: `upsertGoal for up to ${MAX_BULK_ITEMS} goals in one transaction, all or nothing: a userError of any item (its field path names the item's index, e.g. ["input", "goals", "3", "title"]) changes nothing. ${KEY_RULE}`,
    authScopes: { write: 'GOALS' },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() => upsertGoals(ctx, (input.goals as UpsertGoalFields[]).map(goalInput))),
  },
  {
    outputFields: (t) => ({
      ...payloadFields(t),
      goals: t.field({
        type: [GoalRef],
        nullable: true,
        authScopes: { read: 'GOALS' },
        extensions: { listSize: MAX_BULK_ITEMS },
        description: 'The goals in the order of the input; null when userErrors is not empty.',
        resolve: (payload) => payload.goals ?? null,
      }),
    }),
  },
);
