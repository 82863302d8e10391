import { canRead, type Resource } from '../core/permissions.ts';
import type { GraphQLContext } from './context.ts';

/**
 * The resource each object type belongs to, for a key's permissions: a key without READ on
 * it gets FORBIDDEN where one of these types is reached (root fields, `node`, and every field
 * that leads into it from another resource). Types not listed are admin-only or carry no data
 * of a resource (payloads, viewer, deletions).
 */
export const RESOURCE_OF_TYPE: Readonly<Record<string, Resource>> = {
  Project: 'PROJECTS',
  Contractor: 'CONTRACTORS',
  Worker: 'WORKERS',
  Qualification: 'WORKERS',
  Person: 'PEOPLE',
  Goal: 'GOALS',
  Milestone: 'GOALS',
  GoalComment: 'GOALS',
  GoalChange: 'GOALS',
  GoalFieldChange: 'GOALS',
  GoalAssessment: 'GOALS',
  Conversation: 'CONVERSATIONS',
  ConversationTemplate: 'CONVERSATIONS',
  ConversationQuestion: 'CONVERSATIONS',
  ConversationResponse: 'CONVERSATIONS',
  Recognition: 'RECOGNITIONS',
  Feedback: 'FEEDBACK',
  FeedbackTemplate: 'FEEDBACK',
  FeedbackQuestion: 'FEEDBACK',
  FeedbackResponse: 'FEEDBACK',
  CalibrationCycle: 'CALIBRATION',
  TalentRecord: 'CALIBRATION',
};

/** Options of a field that leads into another resource: null with a FORBIDDEN error without READ on it. */
export function reaches<R extends Resource>(resource: R) {
  return {
    nullable: true as const,
    authScopes: { read: resource },
    description: `Null with a FORBIDDEN error for an API key without READ on ${resource}.`,
  };
}

/**
 * For the plain lists the contract fixes as non-null (`Conversation.participants`,
 * `Recognition.receivers: [Person!]!`): the relation's query and a marker for the schema
 * test. A key without READ on the resource gets an empty list there instead of an error.
 */
export function emptyWithoutRead(resource: Resource, orderBy: object, extensions: Record<string, unknown> = {}) {
  return {
    query: (_args: unknown, ctx: GraphQLContext) =>
      canRead(ctx.principal, resource) ? { orderBy } : { orderBy, where: { id: { in: [] as string[] } } },
    extensions: { ...extensions, emptyWithoutRead: resource },
  };
}
