import {
  AdminRole,
  ApprovalStatus,
  ConversationStatus,
  GoalStatus,
  ProjectStatus,
  QualificationStatus,
} from '../generated/prisma/enums.ts';
import { builder } from './builder.ts';

export const AdminRoleEnum = builder.enumType(AdminRole, {
  name: 'AdminRole',
  description: 'What an admin of the organisation may do.',
  values: {
    OWNER: { description: 'Everything an admin may do, plus managing the organisation’s admins and its key policies.' },
    ADMIN: { description: 'The whole organisation: its projects, directory and API keys.' },
    PROJECT_ADMIN: { description: 'Admin rights only inside the projects assigned to this admin.' },
  },
});
export const ProjectStatusEnum = builder.enumType(ProjectStatus, {
  name: 'ProjectStatus',
  description: 'Where a project stands.',
  values: {
    PLANNED: { description: 'Not started yet.' },
    ACTIVE: { description: 'Work is under way.' },
    ON_HOLD: { description: 'Paused; expected to resume.' },
    COMPLETED: { description: 'Finished.' },
  },
});
export const ApprovalStatusEnum = builder.enumType(ApprovalStatus, {
  name: 'ApprovalStatus',
  description: 'Where a contractor stands in the approval workflow.',
  values: {
    NEW: { description: 'Just added; nobody has reviewed the contractor yet.' },
    PENDING: { description: 'Under review.' },
    APPROVED: { description: 'Cleared to work on the organisation’s projects.' },
    DENIED: { description: 'Not cleared to work on the organisation’s projects.' },
  },
});
export const QualificationStatusEnum = builder.enumType(QualificationStatus, {
  name: 'QualificationStatus',
  description: 'Whether a qualification still counts.',
  values: {
    VALID: { description: 'In force.' },
    EXPIRING: { description: 'Still in force, but due to expire soon.' },
    EXPIRED: { description: 'Past its expiry date.' },
    REVOKED: { description: 'Withdrawn by its issuer before its expiry date.' },
  },
});
export const GoalStatusEnum = builder.enumType(GoalStatus, {
  name: 'GoalStatus',
  description: 'How a goal is going.',
  values: {
    NOT_STARTED: { description: 'No work on it yet.' },
    ON_TRACK: { description: 'Progressing as planned.' },
    AT_RISK: { description: 'May miss its due date without help.' },
    BEHIND: { description: 'Behind plan; will miss its due date as things stand.' },
    COMPLETED: { description: 'Achieved.' },
    CANCELLED: { description: 'Dropped; no longer pursued.' },
  },
});
export const ConversationStatusEnum = builder.enumType(ConversationStatus, {
  name: 'ConversationStatus',
  description: 'Where a check-in conversation stands.',
  values: {
    SCHEDULED: { description: 'Planned; no answers yet.' },
    IN_PROGRESS: { description: 'Under way; some answers may be recorded.' },
    COMPLETED: { description: 'Finished; its answers are final.' },
  },
});
