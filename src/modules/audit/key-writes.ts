import type { GraphQLSchema } from 'graphql';
import { fromGlobalId } from '../../core/ids.ts';
import type { TargetType } from './key-write-targets.ts';

/** Where the targets of a write are before it: row ids from the input, or a `where` (an upsert's externalIds). */
export type Before = { ids: string[] } | { where: object };
type Input = Record<string, unknown>;

export interface KeyWrite {
  type: TargetType;
  /** The payload field with the changed object (or list of them); none for a deletion. */
  result?: string;
  /** The targets as they were before the write; none for a creation. */
  before?: (input: Input) => Before;
  /** The verb when the target existed before and after (default `updated`). */
  verb?: string;
  /** Up to a hundred items: the transaction may run as long as a bulk upsert's own. */
  bulk?: true;
}

/** The row id of an input's global id of `type`, or nothing when it names something else (the resolver refuses it). */
function rowIdOf(value: unknown, type: TargetType): string[] {
  if (typeof value !== 'string') return [];
  try {
    const decoded = fromGlobalId(value);
    return decoded.typename === type ? [decoded.id] : [];
  } catch {
    return [];
  }
}

const byId =
  (type: TargetType, field = 'id') =>
  (input: Input): Before => ({ ids: rowIdOf(input[field], type) });
const byExternalId = (input: Input): Before => ({ where: { externalId: String(input.externalId).trim() } });
const byExternalIds =
  (list: string) =>
  (input: Input): Before => ({
    where: { externalId: { in: ((input[list] as Input[]) ?? []).map((item) => String(item.externalId).trim()) } },
  });

/**
 * The domain writes recorded in the audit log when an API key (or one of its access tokens)
 * makes them: each target the write created, changed or deleted is one event
 * `<type_snake>.<verb>` with its fields before and after (docs/audit-log.md).
 */
export const KEY_WRITES: Record<string, KeyWrite> = {
  createGoal: { type: 'Goal', result: 'goal' },
  updateGoal: { type: 'Goal', result: 'goal', before: byId('Goal') },
  deleteGoal: { type: 'Goal', before: byId('Goal') },
  upsertGoal: { type: 'Goal', result: 'goal', before: byExternalId },
  upsertGoals: { type: 'Goal', result: 'goals', before: byExternalIds('goals'), bulk: true },
  addGoalComment: { type: 'GoalComment', result: 'comment' },
  addGoalMilestone: { type: 'Milestone', result: 'milestone' },
  updateGoalMilestone: { type: 'Milestone', result: 'milestone', before: byId('Milestone') },
  removeGoalMilestone: { type: 'Milestone', before: byId('Milestone') },
  createGoalAssessment: { type: 'GoalAssessment', result: 'goalAssessment' },
  createContractor: { type: 'Contractor', result: 'contractor' },
  updateContractor: { type: 'Contractor', result: 'contractor', before: byId('Contractor') },
  setContractorApprovalStatus: {
    type: 'Contractor',
    result: 'contractor',
    before: byId('Contractor'),
    verb: 'approval_status_set',
  },
  addContractorToProject: {
    type: 'Contractor',
    result: 'contractor',
    before: byId('Contractor', 'contractorId'),
    verb: 'added_to_project',
  },
  removeContractorFromProject: {
    type: 'Contractor',
    result: 'contractor',
    before: byId('Contractor', 'contractorId'),
    verb: 'removed_from_project',
  },
  upsertContractor: { type: 'Contractor', result: 'contractor', before: byExternalId },
  upsertContractors: { type: 'Contractor', result: 'contractors', before: byExternalIds('contractors'), bulk: true },
  createWorker: { type: 'Worker', result: 'worker' },
  updateWorker: { type: 'Worker', result: 'worker', before: byId('Worker') },
  deleteWorker: { type: 'Worker', before: byId('Worker') },
  upsertWorker: { type: 'Worker', result: 'worker', before: byExternalId },
  createPerson: { type: 'Person', result: 'person' },
  updatePerson: { type: 'Person', result: 'person', before: byId('Person') },
  upsertPerson: { type: 'Person', result: 'person', before: byExternalId },
  upsertPeople: { type: 'Person', result: 'people', before: byExternalIds('people'), bulk: true },
  // Admin-only today; listed so that a key allowed them one day is recorded too.
  createProject: { type: 'Project', result: 'project' },
  updateProject: { type: 'Project', result: 'project', before: byId('Project') },
  upsertProject: { type: 'Project', result: 'project', before: byExternalId },
  addQualification: { type: 'Qualification', result: 'qualification' },
  createConversationTemplate: { type: 'ConversationTemplate', result: 'conversationTemplate' },
  createConversation: { type: 'Conversation', result: 'conversation' },
  addConversationResponse: { type: 'ConversationResponse', result: 'response' },
  createRecognition: { type: 'Recognition', result: 'recognition' },
  createFeedbackTemplate: { type: 'FeedbackTemplate', result: 'feedbackTemplate' },
  createFeedback: { type: 'Feedback', result: 'feedback' },
  createCalibrationCycle: { type: 'CalibrationCycle', result: 'calibrationCycle' },
  updateCalibrationCycle: { type: 'CalibrationCycle', result: 'calibrationCycle', before: byId('CalibrationCycle') },
  setTalentRecord: {
    type: 'TalentRecord',
    result: 'talentRecord',
    before: (input) => {
      const [cycleId] = rowIdOf(input.cycleId, 'CalibrationCycle');
      const [personId] = rowIdOf(input.personId, 'Person');
      return cycleId && personId ? { where: { cycleId, personId } } : { ids: [] };
    },
  },
};

/**
 * Mutations that are not domain writes of a key: they write their own audit events (key
 * lifecycle, admins, admin tokens, webhook endpoints, settings, trusted documents), whoever calls them.
 */
export const RECORDS_ITSELF = [
  'createApiKey',
  'updateApiKey',
  'cycleApiKey',
  'revokeApiKey',
  'reactivateApiKey',
  'deleteApiKey',
  'createAdmin',
  'updateAdmin',
  'deactivateAdmin',
  'createAdminToken',
  'revokeAdminToken',
  'createWebhookEndpoint',
  'updateWebhookEndpoint',
  'rollWebhookEndpointSecret',
  'deleteWebhookEndpoint',
  'updateOrganizationSettings',
  'registerPersistedDocuments',
  'deletePersistedDocument',
];

/** Mutation fields of the schema that neither list names: each must be decided (the audit test fails on any). */
export function unclassifiedMutations(schema: GraphQLSchema): string[] {
  const names = Object.keys(schema.getMutationType()?.getFields() ?? {});
  return names.filter((name) => !(name in KEY_WRITES) && !RECORDS_ITSELF.includes(name));
}
