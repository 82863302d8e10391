import type { Prisma } from '../generated/prisma/client.ts';
import type { Principal } from '../core/principal.ts';
import { keyAccess } from '../core/permissions.ts';

/**
 * The projects a principal is limited to, or null for the whole organisation: an API
 * key's projects, a project admin's assigned projects; owners and admins see everything.
 */
export function projectRestriction(p: Principal): string[] | null {
  if (p.kind === 'ADMIN') return p.role === 'PROJECT_ADMIN' ? (p.projectIds ?? []) : null;
  return p.projectIds;
}

/** An OWNER or ADMIN: administers the whole organisation (not a project admin, not a key). */
export const isOrganizationAdmin = (p: Principal) => p.kind === 'ADMIN' && p.role !== 'PROJECT_ADMIN';

/**
 * Row-level visibility, in one place. Every list, relation and node lookup spreads the
 * fragment for its model: owners and admins see the organisation; an API key and a
 * project admin only the rows linked to their projects (contract sections 2 and 8).
 * Rows outside behave as absent.
 */
function keyProjects(principal: Principal) {
  const ids = projectRestriction(principal);
  return ids ? { in: ids } : undefined;
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
    return keyProjects(p)
      ? { organizationId: p.organizationId, contractor: scope.contractor(p) }
      : { organizationId: p.organizationId };
  },
  /** A key without canReadQualificationData sees none: `node` answers null, as for an id out of scope. */
  qualification(p: Principal): Prisma.QualificationWhereInput {
    if (p.kind === 'API_KEY' && !p.canReadQualificationData) return { id: { in: [] } };
    return keyProjects(p)
      ? { organizationId: p.organizationId, worker: scope.worker(p) }
      : { organizationId: p.organizationId };
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
  /** Calibration cycles (name, period, status) are organisation-wide metadata: every principal of the organisation sees them. */
  calibrationCycle(p: Principal): Prisma.CalibrationCycleWhereInput {
    return { organizationId: p.organizationId };
  },
  /** A talent record is visible with its person: a key sees the records of the people it sees (`person` below). */
  talentRecord(p: Principal): Prisma.TalentRecordWhereInput {
    return keyProjects(p)
      ? { organizationId: p.organizationId, person: scope.person(p) }
      : { organizationId: p.organizationId };
  },
  conversationTemplate(p: Principal): Prisma.ConversationTemplateWhereInput {
    return keyProjects(p)
      ? { organizationId: p.organizationId, conversations: { some: scope.conversation(p) } }
      : { organizationId: p.organizationId };
  },
  /** A key or project admin: feedback on their projects; feedback tied to no project is for owners and admins only. */
  feedback(p: Principal): Prisma.FeedbackWhereInput {
    return { organizationId: p.organizationId, projectId: keyProjects(p) };
  },
  feedbackTemplate(p: Principal): Prisma.FeedbackTemplateWhereInput {
    return keyProjects(p)
      ? { organizationId: p.organizationId, feedback: { some: scope.feedback(p) } }
      : { organizationId: p.organizationId };
  },
  /**
   * API keys and their audit trail are for admins only; for a key nothing matches. A
   * project admin sees only the keys whose projects are all within theirs.
   */
  apiKey(p: Principal): Prisma.ApiKeyWhereInput {
    if (p.kind !== 'ADMIN') return { id: { in: [] } };
    const ids = keyProjects(p);
    return {
      organizationId: p.organizationId,
      deletedAt: null,
      ...(ids && { projects: { every: { id: ids }, some: { id: ids } } }),
    };
  },
  /**
   * The keys an admin may read, deleted ones too (their audit trail stays readable through
   * `node` and `apiKeys(includeDeleted: true)`). Mutations keep `apiKey`: a deleted key is NOT_FOUND.
   */
  apiKeyWithDeleted(p: Principal): Prisma.ApiKeyWhereInput {
    const { deletedAt: _deleted, ...readable } = scope.apiKey(p);
    return readable;
  },
  /**
   * Webhook endpoints are managed by an organisation's owners and admins only: for anyone
   * else (a project admin, an API key) nothing matches, and another organisation's rows
   * behave as absent.
   */
  webhookEndpoint(p: Principal): Prisma.WebhookEndpointWhereInput {
    return isOrganizationAdmin(p) ? { organizationId: p.organizationId } : { id: { in: [] } };
  },
  /** Deletions of records in the principal's projects (a key's, a project admin's); all for owners and admins. */
  deletion(p: Principal): Prisma.DeletionWhereInput {
    const ids = projectRestriction(p);
    return { organizationId: p.organizationId, ...(ids && { projectIds: { hasSome: ids } }) };
  },
  /**
   * The organisation's audit log, for admins only: owners and admins read all of it, a project
   * admin the events wholly inside their projects: every one of the event's projectIds is theirs
   * (a key's events, those of a key reaching beyond them excluded; events tied to no project are
   * not theirs). Prisma has no subset filter for lists, so the caller passes the organisation's
   * other projects (`projectsOutside`); without them a project admin reads nothing.
   */
  auditEvent(p: Principal, projectsOutside?: readonly string[]): Prisma.AuditEventWhereInput {
    if (p.kind !== 'ADMIN') return { id: { in: [] } };
    const ids = projectRestriction(p);
    if (!ids) return { organizationId: p.organizationId };
    if (!projectsOutside) return { id: { in: [] } };
    return {
      organizationId: p.organizationId,
      projectIds: { hasSome: ids },
      NOT: { projectIds: { hasSome: [...projectsOutside] } },
    };
  },
  /** The organisation's admins, for every admin (the key audit trail names them anyway). */
  admin(p: Principal): Prisma.UserWhereInput {
    return p.kind === 'ADMIN' ? { organizationId: p.organizationId } : { id: { in: [] } };
  },
  /**
   * People who own, comment on, take part in, give or receive something the principal sees.
   * A key with canWritePeople keeps the organisation's directory: it sees every person.
   */
  person(p: Principal): Prisma.PersonWhereInput {
    if (!keyProjects(p) || (p.kind === 'API_KEY' && keyAccess(p, 'PEOPLE') === 'WRITE'))
      return { organizationId: p.organizationId };
    return {
      organizationId: p.organizationId,
      OR: [
        { ownedGoals: { some: scope.goal(p) } },
        { goalComments: { some: { goal: scope.goal(p) } } },
        { goalAssessments: { some: { goal: scope.goal(p) } } },
        { conversations: { some: scope.conversation(p) } },
        { givenRecognitions: { some: scope.recognition(p) } },
        { receivedRecognitions: { some: scope.recognition(p) } },
        { feedbackGiven: { some: scope.feedback(p) } },
        { feedbackReceived: { some: scope.feedback(p) } },
      ],
    };
  },
};
