import { v7 as uuidv7 } from 'uuid';
import { Prisma, type Goal } from '../../generated/prisma/client.ts';
import type { GoalStatus } from '../../generated/prisma/enums.ts';
import { projectRestriction } from '../../auth/scope.ts';
import type { RequestScope } from '../../core/request-scope.ts';
import { principalActor } from '../actors/actor-record.ts';
import { DAY_FIELDS, GOAL_FIELDS } from './goal-history.ts';

export interface GoalColumns {
  projectId: string;
  ownerId: string;
  title: string;
  description: string | null;
  status?: GoalStatus | null;
  progress?: number | null;
  startsOn?: Date | null;
  dueOn?: Date | null;
  externalId?: string | null;
}

export interface CheckedInsert {
  /** The project exists and the principal may see it (scope.project). */
  projectFound: boolean;
  /** The owner is a person of the principal's organisation. */
  ownerFound: boolean;
  /** The new goal, or null when a reference was not found (nothing was written). */
  goal: Goal | null;
}

/**
 * A goal without milestones in ONE statement: the project's visibility (the same rule as
 * scope.project: the organisation, and a key's or project admin's projects), the owner's
 * organisation and the INSERT, which only runs when both are found. The mutation is the
 * benchmark's write shape; the checks as separate reads cost two more round trips (issue 17).
 * Omitted columns take the table's defaults (status, progress, timestamps). The goal's CREATED
 * history row is written by the same statement (a CTE inserting from the inserted row).
 */
/**
 * The CREATED history row's `changes` (goal-history.ts createdChanges) computed from the inserted
 * row: `{ field: { before: null, after } }` of each field with a value, days as YYYY-MM-DD.
 */
const createdChangesSql = Prisma.raw(`COALESCE((
        SELECT jsonb_object_agg(key, jsonb_build_object('before', NULL, 'after', value))
          FROM jsonb_each(jsonb_strip_nulls(jsonb_build_object(${GOAL_FIELDS.map((field) =>
            DAY_FIELDS.has(field)
              ? `'${field}', to_char(goal."${field}", 'YYYY-MM-DD')`
              : `'${field}', goal."${field}"`,
          ).join(', ')})))), '{}'::jsonb)`);

export async function insertGoalChecked(ctx: RequestScope, goal: GoalColumns): Promise<CheckedInsert> {
  const { organizationId } = ctx.principal;
  const restriction = projectRestriction(ctx.principal);
  const values: [column: string, value: Prisma.Sql][] = [
    ['id', Prisma.sql`${uuidv7()}::uuid`],
    ['organizationId', Prisma.sql`${organizationId}::uuid`],
    ['projectId', Prisma.sql`${goal.projectId}::uuid`],
    ['ownerId', Prisma.sql`${goal.ownerId}::uuid`],
    ['title', Prisma.sql`${goal.title}`],
    ['description', Prisma.sql`${goal.description}`],
  ];
  if (goal.status != null) values.push(['status', Prisma.sql`${goal.status}::"GoalStatus"`]);
  if (goal.progress != null) values.push(['progress', Prisma.sql`${goal.progress}::int`]);
  if (goal.startsOn != null) values.push(['startsOn', Prisma.sql`${goal.startsOn}::date`]);
  if (goal.dueOn != null) values.push(['dueOn', Prisma.sql`${goal.dueOn}::date`]);
  if (goal.externalId != null) values.push(['externalId', Prisma.sql`${goal.externalId}`]);
  // A taken externalId inserts nothing (the caller reports TAKEN); so does a race lost on it.
  const onConflict = Prisma.raw(
    goal.externalId != null ? 'ON CONFLICT ("organizationId", "externalId") DO NOTHING' : '',
  );
  const columns = Prisma.raw(values.map(([column]) => `"${column}"`).join(', '));
  const actor = principalActor(ctx);
  const [row] = await ctx.prisma.$queryRaw<(Goal & { __projectFound: boolean; __ownerFound: boolean })[]>`
    WITH project AS (
      SELECT id FROM "Project"
       WHERE id = ${goal.projectId}::uuid AND "organizationId" = ${organizationId}::uuid
         AND (${restriction}::uuid[] IS NULL OR id = ANY(${restriction}::uuid[]))
    ), owner AS (
      SELECT id FROM "Person" WHERE id = ${goal.ownerId}::uuid AND "organizationId" = ${organizationId}::uuid
    ), goal AS (
      INSERT INTO "Goal" (${columns})
      SELECT ${Prisma.join(values.map(([, value]) => value))}
       WHERE EXISTS (SELECT 1 FROM project) AND EXISTS (SELECT 1 FROM owner)
      ${onConflict}
      RETURNING *
    ), change AS (
      INSERT INTO "GoalChange" ("id", "organizationId", "goalId", "kind", "changes", "actorUserId", "actorApiKeyId", "requestId")
      SELECT ${uuidv7()}::uuid, goal."organizationId", goal.id, 'CREATED'::"GoalChangeKind", ${createdChangesSql},
             ${actor.userId}::uuid, ${actor.apiKeyId}::uuid, ${ctx.requestId}
        FROM goal
    )
    SELECT EXISTS (SELECT 1 FROM project) AS "__projectFound", EXISTS (SELECT 1 FROM owner) AS "__ownerFound", goal.*
      FROM (SELECT 1) AS one LEFT JOIN goal ON TRUE`;
  const { __projectFound: projectFound, __ownerFound: ownerFound, ...inserted } = row;
  return { projectFound, ownerFound, goal: inserted.id ? (inserted as Goal) : null };
}
