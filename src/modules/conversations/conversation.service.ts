import type { ConversationStatus } from '../../generated/prisma/enums.ts';
import { lockScoped } from '../../auth/lock-scoped.ts';
import { requireTarget, requireVisible } from '../../auth/visible.ts';
import type { RequestScope } from '../../core/request-scope.ts';
import { InputCheck, UserErrors, isUniqueViolation, userError } from '../../core/user-errors.ts';

export const MAX_QUESTIONS = 50;
export const MAX_PARTICIPANTS = 100;

/** A template with its questions, in the order given; the name is unique in the organisation. */
export async function createConversationTemplate(ctx: RequestScope, input: { name: string; questions: string[] }) {
  const check = new InputCheck();
  const name = check.text(['input', 'name'], input.name, { max: 200 });
  if (input.questions.length === 0) {
    check.add(['input', 'questions'], 'BLANK', 'A template needs at least one question.');
  } else if (input.questions.length > MAX_QUESTIONS) {
    check.add(['input', 'questions'], 'TOO_LONG', `At most ${MAX_QUESTIONS} questions.`);
  }
  const questions = input.questions.map((text, i) =>
    check.text(['input', 'questions', String(i)], text, { max: 1000 }),
  );
  check.throwIfAny();
  try {
    // One nested write: the template and its questions commit together or not at all.
    const conversationTemplate = await ctx.prisma.conversationTemplate.create({
      data: {
        organizationId: ctx.principal.organizationId,
        name,
        questions: { create: questions.map((text, position) => ({ text, position })) },
      },
    });
    return { conversationTemplate };
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new UserErrors([userError(['input', 'name'], 'TAKEN', `A template named "${name}" already exists.`)]);
    }
    throw error;
  }
}

export interface CreateConversationInput {
  projectId: string;
  templateId: string;
  participantIds: string[];
  status?: ConversationStatus | null;
  scheduledFor?: Date | null;
}

export async function createConversation(ctx: RequestScope, input: CreateConversationInput) {
  const check = new InputCheck();
  const participantIds = [...new Set(input.participantIds)];
  if (participantIds.length === 0) {
    check.add(['input', 'participantIds'], 'BLANK', 'A conversation needs at least one participant.');
  } else if (participantIds.length > MAX_PARTICIPANTS) {
    check.add(['input', 'participantIds'], 'TOO_LONG', `At most ${MAX_PARTICIPANTS} participants.`);
  }
  check.throwIfAny();
  await requireVisible(ctx, 'project', [input.projectId], ['input', 'projectId']);
  await requireVisible(ctx, 'conversationTemplate', [input.templateId], ['input', 'templateId']);
  await requireVisible(ctx, 'person', participantIds, ['input', 'participantIds']);
  const conversation = await ctx.prisma.conversation.create({
    data: {
      organizationId: ctx.principal.organizationId,
      projectId: input.projectId,
      templateId: input.templateId,
      status: input.status ?? undefined,
      scheduledFor: input.scheduledFor,
      participants: { connect: participantIds.map((id) => ({ id })) },
    },
  });
  return { conversation };
}

export const MAX_ANSWER_LENGTH = 5000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AddConversationResponseInput {
  conversationId: string;
  /** The raw id shown by `ConversationTemplate.questions { id }`. */
  questionId: string;
  respondentId: string;
  answer: string;
}

/**
 * One participant's answer to one question of the conversation's template.
 *
 * - Each respondent answers a question once: a second answer is TAKEN (answers are a
 *   record of the conversation, not a draft; there is no way to edit one yet).
 * - The first response moves a SCHEDULED conversation to IN_PROGRESS; a COMPLETED
 *   conversation takes no more responses (INVALID).
 * - The conversation row is locked while the checks run and the response is written, so
 *   two concurrent answers to the same question cannot both pass the TAKEN check.
 */
export async function addConversationResponse(ctx: RequestScope, input: AddConversationResponseInput) {
  const { conversationId, questionId, respondentId } = input;
  await requireTarget(ctx, 'conversation', conversationId);
  const check = new InputCheck();
  const questionField = ['input', 'questionId'];
  if (!UUID.test(questionId)) check.add(questionField, 'NOT_FOUND', 'Question not found.');
  const answer = check.text(['input', 'answer'], input.answer, { max: MAX_ANSWER_LENGTH });
  check.throwIfAny();
  await requireVisible(ctx, 'person', [respondentId], ['input', 'respondentId']);

  return ctx.prisma.$transaction(async (tx) => {
    const conversation = await lockScoped(tx, ctx.principal, 'conversation', conversationId, 'noKeyUpdate', {
      select: { templateId: true, status: true, participants: { where: { id: respondentId }, select: { id: true } } },
    });
    const question = await tx.conversationQuestion.findFirst({
      where: { id: questionId, template: { organizationId: ctx.principal.organizationId } },
      select: { templateId: true },
    });
    if (!question) check.add(questionField, 'NOT_FOUND', 'Question not found.');
    else if (question.templateId !== conversation.templateId) {
      check.add(questionField, 'INVALID', "The question is not one of this conversation's template.");
    }
    if (!conversation.participants.length) {
      check.add(['input', 'respondentId'], 'INVALID', 'The respondent does not take part in this conversation.');
    }
    if (conversation.status === 'COMPLETED') {
      check.add(['input', 'conversationId'], 'INVALID', 'The conversation is completed and takes no more responses.');
    }
    check.throwIfAny();
    const answered = await tx.conversationResponse.count({ where: { conversationId, questionId, respondentId } });
    if (answered) {
      throw new UserErrors([userError(questionField, 'TAKEN', 'This respondent has already answered this question.')]);
    }
    const response = await tx.conversationResponse.create({
      data: { conversationId, questionId, respondentId, answer },
    });
    // A new response changes the conversation for a sync (`updatedSince`), so it moves updatedAt too.
    const updated = await tx.conversation.update({
      where: { id: conversationId },
      data: conversation.status === 'SCHEDULED' ? { status: 'IN_PROGRESS' } : { updatedAt: new Date() },
    });
    return { conversation: updated, response };
  });
}
