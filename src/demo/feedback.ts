import type { Prisma } from '../generated/prisma/client.ts';

const QUESTIONS = ['What did they do well?', 'What could they do better?', 'How did they keep the site safe?'];

/**
 * The demo organisation's feedback: a "Site performance review" template with three questions
 * and a few reviews between people, on the first goals of two projects, on a project, and one
 * tied to no project (which only owners and admins see).
 */
export async function seedFeedback(tx: Prisma.TransactionClient, organizationId: string, people: { id: string }[]) {
  const template = await tx.feedbackTemplate.create({
    data: {
      organizationId,
      name: 'Site performance review',
      questions: { create: QUESTIONS.map((text, position) => ({ text, position })) },
    },
    include: { questions: { orderBy: { position: 'asc' } } },
  });
  const goals = await tx.goal.findMany({
    where: { organizationId },
    orderBy: { id: 'asc' },
    select: { id: true, projectId: true },
  });
  const [first, , , fourth] = goals;
  const reviews = [
    {
      giver: 1,
      subject: 4,
      goal: first,
      answers: ['Clear daily briefings.', 'Close permits sooner.', 'Led the toolbox talks.'],
    },
    { giver: 2, subject: 5, goal: fourth, answers: ['Punch list closed early.', 'Share drawings sooner.'] },
    { giver: 0, subject: 1, projectId: fourth?.projectId, answers: ['Kept the owner informed.'] },
    {
      giver: 7,
      subject: 6,
      answers: ['Fair contract reviews.', 'Answer suppliers faster.', 'Checked every insurance certificate.'],
    },
  ];
  for (const review of reviews) {
    await tx.feedback.create({
      data: {
        organizationId,
        templateId: template.id,
        giverId: people[review.giver].id,
        subjectId: people[review.subject].id,
        goalId: review.goal?.id ?? null,
        projectId: review.goal?.projectId ?? review.projectId ?? null,
        responses: {
          create: review.answers.map((answer, i) => ({ questionId: template.questions[i].id, answer })),
        },
      },
    });
  }
}
