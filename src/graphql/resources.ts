import type { Resource } from '../core/permissions.ts';

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
