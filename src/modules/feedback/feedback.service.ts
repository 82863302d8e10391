import { scope } from '../../auth/scope.ts';
import type { RequestScope } from '../../core/request-scope.ts';
import { InputCheck, UserErrors, isUniqueViolation, userError } from '../../core/user-errors.ts';

export const MAX_FEEDBACK_QUESTIONS = 20;
export const MAX_FEEDBACK_ANSWER_LENGTH = 5000;
const MAX_NAME_LENGTH = 200;
const MAX_QUESTION_LENGTH = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A feedback template with its questions, in the order given; the name is unique in the organisation. */
export async function createFeedbackTemplate(ctx: RequestScope, input: { name: string; questions: string[] }) {
  const check = new InputCheck();
  const name = check.text(['input', 'name'], input.name, { max: MAX_NAME_LENGTH });
  if (input.questions.length === 0) {
    check.add(['input', 'questions'], 'BLANK', 'A feedback template needs at least one question.');
  } else if (input.questions.length > MAX_FEEDBACK_QUESTIONS) {
    check.add(['input', 'questions'], 'TOO_LONG', `At most ${MAX_FEEDBACK_QUESTIONS} questions.`);
  }
  const questions = input.questions.map((text, i) =>
    check.text(['input', 'questions', String(i)], text, { max: MAX_QUESTION_LENGTH }),
  );
  check.throwIfAny();
  try {
    // One nested write: the template and its questions commit together or not at all.
    const feedbackTemplate = await ctx.prisma.feedbackTemplate.create({
      data: {
        organizationId: ctx.principal.organizationId,
        name,
        questions: { create: questions.map((text, position) => ({ text, position })) },
      },
    });
    return { feedbackTemplate };
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new UserErrors([
        userError(['input', 'name'], 'TAKEN', `A feedback template named "${name}" already exists.`),
      ]);
    }
    throw error;
  }
}

export interface CreateFeedbackInput {
  templateId: string;
  giverId: string;
  subjectId: string;
  projectId?: string | null;
  goalId?: string | null;
  /** `questionId` is the raw id shown by `FeedbackTemplate.questions { id }`. */
  responses: { questionId: string; answer: string }[];
}

/**
 * Feedback from one person about another, with the giver's answers, in one transaction.
 *
 * - The giver and the subject are two different people of the organisation.
 * - With a goal, the feedback is tied to the goal's project: `projectId` may be left out,
 *   and naming another project is INVALID.
 * - Every answered question belongs to the template and is answered once; answers are
 *   1–5000 characters. Questions left out stay unanswered.
 * - A reference the caller cannot see is NOT_FOUND, whether it is elsewhere or nowhere.
 */
export async function createFeedback(ctx: RequestScope, input: CreateFeedbackInput) {
  const check = new InputCheck();
  const { principal } = ctx;
  if (input.giverId === input.subjectId) {
    check.add(['input', 'subjectId'], 'INVALID', 'The subject must be someone other than the giver.');
  }
  if (input.responses.length === 0) {
    check.add(['input', 'responses'], 'BLANK', 'Feedback needs at least one answer.');
  } else if (input.responses.length > MAX_FEEDBACK_QUESTIONS) {
    check.add(['input', 'responses'], 'TOO_LONG', `At most ${MAX_FEEDBACK_QUESTIONS} answers.`);
  }
  const seen = new Set<string>();
  const responses = input.responses.map(({ questionId, answer }, i) => {
    const field = ['input', 'responses', String(i)];
    const id = questionId.toLowerCase();
    if (!UUID.test(questionId)) check.add([...field, 'questionId'], 'NOT_FOUND', 'Question not found.');
    else if (seen.has(id)) check.add([...field, 'questionId'], 'INVALID', 'A question may be answered only once.');
    seen.add(id);
    return {
      questionId: id,
      answer: check.text([...field, 'answer'], answer, { max: MAX_FEEDBACK_ANSWER_LENGTH }),
    };
  });
  check.throwIfAny();

  return ctx.prisma.$transaction(async (tx) => {
    const [template, people, project, goal, questions] = await Promise.all([
      tx.feedbackTemplate.findFirst({
        where: { id: input.templateId, AND: [scope.feedbackTemplate(principal)] },
        select: { id: true },
      }),
      tx.person.findMany({
        where: { id: { in: [input.giverId, input.subjectId] }, AND: [scope.person(principal)] },
        select: { id: true },
      }),
      input.projectId
        ? tx.project.findFirst({
            where: { id: input.projectId, AND: [scope.project(principal)] },
            select: { id: true },
          })
        : null,
      input.goalId
        ? tx.goal.findFirst({ where: { id: input.goalId, AND: [scope.goal(principal)] }, select: { projectId: true } })
        : null,
      tx.feedbackQuestion.findMany({
        where: {
          id: { in: responses.map((r) => r.questionId) },
          template: { organizationId: principal.organizationId },
        },
        select: { id: true, templateId: true },
      }),
    ]);
    const visiblePeople = new Set(people.map((p) => p.id));
    if (!template) check.add(['input', 'templateId'], 'NOT_FOUND', 'Feedback template not found.');
    if (!visiblePeople.has(input.giverId)) check.add(['input', 'giverId'], 'NOT_FOUND', 'Person not found.');
    if (!visiblePeople.has(input.subjectId)) check.add(['input', 'subjectId'], 'NOT_FOUND', 'Person not found.');
    if (input.projectId && !project) check.add(['input', 'projectId'], 'NOT_FOUND', 'Project not found.');
    if (input.goalId && !goal) check.add(['input', 'goalId'], 'NOT_FOUND', 'Goal not found.');
    if (goal && project && goal.projectId !== input.projectId) {
      check.add(
        ['input', 'projectId'],
        'INVALID',
        "A goal's feedback is tied to the goal's project; leave projectId out.",
      );
    }
    const templateOf = new Map(questions.map((q) => [q.id, q.templateId]));
    responses.forEach(({ questionId }, i) => {
      const field = ['input', 'responses', String(i), 'questionId'];
      const owner = templateOf.get(questionId);
      if (!owner) check.add(field, 'NOT_FOUND', 'Question not found.');
      else if (template && owner !== template.id) {
        check.add(field, 'INVALID', 'The question is not one of the feedback template’s questions.');
      }
    });
    check.throwIfAny();
    const feedback = await tx.feedback.create({
      data: {
        organizationId: principal.organizationId,
        templateId: input.templateId,
        giverId: input.giverId,
        subjectId: input.subjectId,
        projectId: goal?.projectId ?? input.projectId ?? null,
        goalId: input.goalId ?? null,
        responses: { create: responses },
      },
    });
    return { feedback };
  });
}
