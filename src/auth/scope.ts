import type { Prisma } from '../generated/prisma/client.ts';
import type { Principal } from './principal.ts';

/**
 * Row-level visibility, in one place. Every list, relation and node lookup spreads the
 * fragment for its model: an admin sees the organisation, an API key only the rows
 * linked to its projects (contract section 2). Rows outside behave as absent.
 */
function keyProjects(principal: Principal) {
  return principal.kind === 'API_KEY' ? { in: principal.projectIds } : undefined;
}

export const scope = {
  project(p: Principal): Prisma.ProjectWhereInput {
    return { organizationId: p.organizationId, id: keyProjects(p) };
  },
  contractor(p: Principal): Prisma.ContractorWhereInput {
    const ids = keyProjects(p);
    return { organizationId: p.organizationId, ...(ids && { projects: { some: { id: ids } } }) };
  },
  worker(p: Principal): Prisma.WorkerWhereInput {
    return p.kind === 'ADMIN'
      ? { organizationId: p.organizationId }
      : { organizationId: p.organizationId, contractor: scope.contractor(p) };
  },
  qualification(p: Principal): Prisma.QualificationWhereInput {
    return p.kind === 'ADMIN'
      ? { organizationId: p.organizationId }
      : { organizationId: p.organizationId, worker: scope.worker(p) };
  },
  goal(p: Principal): Prisma.GoalWhereInput {
    return { organizationId: p.organizationId, projectId: keyProjects(p) };
  },
  conversation(p: Principal): Prisma.ConversationWhereInput {
    return { organizationId: p.organizationId, projectId: keyProjects(p) };
  },
  recognition(p: Principal): Prisma.RecognitionWhereInput {
    return { organizationId: p.organizationId, projectId: keyProjects(p) };
  },
  conversationTemplate(p: Principal): Prisma.ConversationTemplateWhereInput {
    return p.kind === 'ADMIN'
      ? { organizationId: p.organizationId }
      : { organizationId: p.organizationId, conversations: { some: scope.conversation(p) } };
  },
  /** API keys and their audit trail are for admins only; for a key nothing matches. */
  apiKey(p: Principal): Prisma.ApiKeyWhereInput {
    return p.kind === 'ADMIN' ? { organizationId: p.organizationId, deletedAt: null } : { id: { in: [] } };
  },
  admin(p: Principal): Prisma.UserWhereInput {
    return p.kind === 'ADMIN' ? { organizationId: p.organizationId } : { id: { in: [] } };
  },
  /** People who own, comment on, take part in, give or receive something the key sees. */
  person(p: Principal): Prisma.PersonWhereInput {
    if (p.kind === 'ADMIN') return { organizationId: p.organizationId };
    return {
      organizationId: p.organizationId,
      OR: [
        { ownedGoals: { some: scope.goal(p) } },
        { goalComments: { some: { goal: scope.goal(p) } } },
        { conversations: { some: scope.conversation(p) } },
        { givenRecognitions: { some: scope.recognition(p) } },
        { receivedRecognitions: { some: scope.recognition(p) } },
      ],
    };
  },
};
