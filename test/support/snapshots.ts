import type { PrismaClient } from '../../src/generated/prisma/client.ts';

/** Row counts of every domain table, across all organisations. */
export async function rowCounts(p: PrismaClient) {
  const [projects, contractors, links, workers, qualifications, people, goals, milestones] = await Promise.all([
    p.project.count(),
    p.contractor.count(),
    p.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "_ContractorProjects"`,
    p.worker.count(),
    p.qualification.count(),
    p.person.count(),
    p.goal.count(),
    p.milestone.count(),
  ]);
  const [templates, questions, conversations, recognitions] = await Promise.all([
    p.conversationTemplate.count(),
    p.conversationQuestion.count(),
    p.conversation.count(),
    p.recognition.count(),
  ]);
  return {
    projects,
    contractors,
    contractorProjects: links[0].n,
    workers,
    qualifications,
    people,
    goals,
    milestones,
    templates,
    questions,
    conversations,
    recognitions,
  };
}

/**
 * Every project, person, conversation (with its participants) and conversation response,
 * row by row, across all organisations: what updateProject, updatePerson and
 * addConversationResponse could touch.
 */
export async function projectPersonConversationRows(p: PrismaClient) {
  const byId = { orderBy: { id: 'asc' as const } };
  return JSON.stringify([
    await p.project.findMany(byId),
    await p.person.findMany(byId),
    await p.conversation.findMany({ ...byId, include: { participants: { select: { id: true }, ...byId } } }),
    await p.conversationResponse.findMany(byId),
  ]);
}
