import {
  AdminRole,
  ApprovalStatus,
  ConversationStatus,
  GoalStatus,
  ProjectStatus,
  QualificationStatus,
} from '../generated/prisma/enums.ts';
import { builder } from './builder.ts';

export const AdminRoleEnum = builder.enumType(AdminRole, { name: 'AdminRole' });
export const ProjectStatusEnum = builder.enumType(ProjectStatus, { name: 'ProjectStatus' });
export const ApprovalStatusEnum = builder.enumType(ApprovalStatus, {
  name: 'ApprovalStatus',
  description: 'Where a contractor stands in the approval workflow.',
});
export const QualificationStatusEnum = builder.enumType(QualificationStatus, { name: 'QualificationStatus' });
export const GoalStatusEnum = builder.enumType(GoalStatus, { name: 'GoalStatus' });
export const ConversationStatusEnum = builder.enumType(ConversationStatus, { name: 'ConversationStatus' });
