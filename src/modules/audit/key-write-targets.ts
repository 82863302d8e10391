import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';

/**
 * What the audit log records of a domain object a key's write changed: its fields (for the
 * before/after diff) and the projects it belongs to (who among project admins reads the event).
 */
export interface TargetState {
  fields: Record<string, unknown>;
  projectIds: string[];
}

type Row = Record<string, unknown> & { id: string };
const idsOf = (rows: unknown) => ((rows as { id: string }[] | undefined) ?? []).map((row) => row.id).sort();
const goalProject = { goal: { select: { projectId: true } } };
const ofGoal = (row: Row) => [(row.goal as { projectId: string }).projectId];
const contractorProjects = { projects: { select: { id: true } } };

interface TargetKind {
  /** The Prisma model (delegate and table). */
  model: string;
  /** `<type_snake>` of the actions, e.g. `goal_comment`. */
  action: string;
  include?: object;
  projects(row: Row): string[];
  /** Fields taken from included relations, e.g. a contractor's projectIds. */
  derived?(row: Row): Record<string, unknown>;
  /** Shown as changed, never with its value (a qualification's licence number). */
  redacted?: string[];
  /** Has no organizationId column: found through its parent (a conversation response). */
  noOrganization?: true;
}

/** Every type a key's write can change (and the admin-only ones, should a key ever be allowed them). */
export const TARGET_KINDS = {
  Goal: { model: 'goal', action: 'goal', projects: (row) => [row.projectId as string] },
  Milestone: { model: 'milestone', action: 'milestone', include: goalProject, projects: ofGoal },
  GoalComment: { model: 'goalComment', action: 'goal_comment', include: goalProject, projects: ofGoal },
  GoalAssessment: { model: 'goalAssessment', action: 'goal_assessment', include: goalProject, projects: ofGoal },
  Contractor: {
    model: 'contractor',
    action: 'contractor',
    include: contractorProjects,
    projects: (row) => idsOf(row.projects),
    derived: (row) => ({ projectIds: idsOf(row.projects) }),
  },
  Worker: {
    model: 'worker',
    action: 'worker',
    include: { contractor: { select: contractorProjects } },
    projects: (row) => idsOf((row.contractor as { projects: unknown }).projects),
  },
  Qualification: {
    model: 'qualification',
    action: 'qualification',
    include: { worker: { select: { contractor: { select: contractorProjects } } } },
    projects: (row) => idsOf((row.worker as { contractor: { projects: unknown } }).contractor.projects),
    redacted: ['licenseNumber'],
  },
  Person: { model: 'person', action: 'person', projects: () => [] },
  Project: { model: 'project', action: 'project', projects: (row) => [row.id] },
  ConversationTemplate: { model: 'conversationTemplate', action: 'conversation_template', projects: () => [] },
  Conversation: {
    model: 'conversation',
    action: 'conversation',
    include: { participants: { select: { id: true } } },
    projects: (row) => [row.projectId as string],
    derived: (row) => ({ participantIds: idsOf(row.participants) }),
  },
  ConversationResponse: {
    model: 'conversationResponse',
    action: 'conversation_response',
    include: { conversation: { select: { projectId: true } } },
    projects: (row) => [(row.conversation as { projectId: string }).projectId],
    noOrganization: true,
  },
  Recognition: {
    model: 'recognition',
    action: 'recognition',
    include: { receivers: { select: { id: true } } },
    projects: (row) => [row.projectId as string],
    derived: (row) => ({ receiverIds: idsOf(row.receivers) }),
  },
  Feedback: {
    model: 'feedback',
    action: 'feedback',
    projects: (row) => (row.projectId ? [row.projectId as string] : []),
  },
  FeedbackTemplate: { model: 'feedbackTemplate', action: 'feedback_template', projects: () => [] },
  CalibrationCycle: { model: 'calibrationCycle', action: 'calibration_cycle', projects: () => [] },
  TalentRecord: { model: 'talentRecord', action: 'talent_record', projects: () => [] },
} satisfies Record<string, TargetKind>;
export type TargetType = keyof typeof TARGET_KINDS;

/** Columns that change with every write or never: not worth a line in `changes`. */
const NOISE = new Set(['id', 'organizationId', 'createdAt', 'updatedAt']);

function stateOf(kind: TargetKind, row: Row): TargetState {
  const fields: Record<string, unknown> = {};
  const relations = new Set(Object.keys(kind.include ?? {}));
  for (const [name, value] of Object.entries(row)) if (!NOISE.has(name) && !relations.has(name)) fields[name] = value;
  return { fields: { ...fields, ...kind.derived?.(row) }, projectIds: kind.projects(row) };
}

interface Delegate {
  findMany(args: object): Promise<Row[]>;
}

/** The ids of the organisation's rows of `type` matching `where` (e.g. an upsert's externalIds). */
export async function findTargets(
  client: PrismaClient,
  type: TargetType,
  organizationId: string,
  where: object,
): Promise<string[]> {
  const kind: TargetKind = TARGET_KINDS[type];
  const delegate = (client as unknown as Record<string, Delegate>)[kind.model];
  const rows = await delegate.findMany({ where: { ...where, organizationId }, select: { id: true } });
  return rows.map((row) => row.id);
}

/**
 * Locks the rows a write is about to change (as the services do, FOR NO KEY UPDATE), so
 * that the state read next is the one this write changes, not one another request is
 * about to replace.
 */
export async function lockTargets(client: PrismaClient, type: TargetType, organizationId: string, ids: string[]) {
  const kind: TargetKind = TARGET_KINDS[type];
  if (!ids.length || kind.noOrganization) return;
  const table = kind.model[0].toUpperCase() + kind.model.slice(1);
  await client.$queryRaw`SELECT id FROM ${Prisma.raw(`"${table}"`)}
    WHERE id IN (${Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`))})
      AND "organizationId" = ${organizationId}::uuid FOR NO KEY UPDATE`;
}

/** The state of each of `ids` that exists in the organisation, by id. */
export async function readTargets(
  client: PrismaClient,
  type: TargetType,
  organizationId: string,
  ids: string[],
): Promise<Map<string, TargetState>> {
  if (!ids.length) return new Map();
  const kind: TargetKind = TARGET_KINDS[type];
  const delegate = (client as unknown as Record<string, Delegate>)[kind.model];
  const owned = kind.noOrganization ? {} : { organizationId };
  const rows = await delegate.findMany({ where: { id: { in: ids }, ...owned }, include: kind.include });
  return new Map(rows.map((row) => [row.id, stateOf(kind, row)]));
}

/** The action prefix and the fields whose values are never recorded. */
export const describeKind = (type: TargetType): Pick<TargetKind, 'action' | 'redacted'> => TARGET_KINDS[type];
