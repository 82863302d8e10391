import type { Prisma } from '../../generated/prisma/client.ts';
import type { GoalStatus } from '../../generated/prisma/enums.ts';
import { scope } from '../../auth/scope.ts';
import { lockScoped, type LockMode } from '../../auth/lock-scoped.ts';
import { requireTarget, requireVisible } from '../../auth/visible.ts';
import type { RequestScope } from '../../core/request-scope.ts';
import { notFound } from '../../core/errors.ts';
import { InputCheck, UserErrors, userError } from '../../core/user-errors.ts';
import { checkExternalId, checkExternalIdFree, externalIdRace, externalIdTaken } from '../../core/external-id.ts';
import { insertGoalChecked } from './goal-insert.ts';
import { authorOf } from '../actors/actor-record.ts';
import { recordDeletion } from '../deletions/deletion.record.ts';
import { GOAL_FIELDS, MILESTONE_FIELDS, changedFields, createdChanges, recordChange } from './goal-history.ts';

type Tx = Prisma.TransactionClient;

export const MAX_MILESTONES = 50;

export interface MilestoneInput {
  title: string;
  dueOn?: Date | null;
}

export interface CreateGoalInput {
  projectId: string;
  ownerId: string;
  title: string;
  description?: string | null;
  status?: GoalStatus | null;
  progress?: number | null;
  startsOn?: Date | null;
  dueOn?: Date | null;
  milestones?: MilestoneInput[] | null;
  externalId?: string | null;
}

/**
 * A person of the principal's organisation, whether or not the principal can see them.
 *
 * Used for a goal's owner. A key sees only people already linked to its projects
 * (scope.person), so a brand-new project has none and a key could never create its
 * first goal if the owner had to be visible. Organisation membership is the rule instead:
 * tenancy holds (another organisation's person is NOT_FOUND), and the owner becomes
 * visible to the key through the goal it just created.
 */
async function requirePersonInOrganization(ctx: RequestScope, id: string, field: string[]) {
  const found = await ctx.prisma.person.count({ where: { id, organizationId: ctx.principal.organizationId } });
  if (!found) throw new UserErrors([userError(field, 'NOT_FOUND', 'Person not found.')]);
}

function checkMilestones(check: InputCheck, milestones: MilestoneInput[], startsOn: Date | null | undefined) {
  if (milestones.length > MAX_MILESTONES) {
    check.add(['input', 'milestones'], 'TOO_LONG', `At most ${MAX_MILESTONES} milestones.`);
  }
  return milestones.map((milestone, i) => {
    const field = ['input', 'milestones', String(i)];
    const title = check.text([...field, 'title'], milestone.title, { max: 200 });
    if (startsOn && milestone.dueOn && milestone.dueOn < startsOn) {
      check.add([...field, 'dueOn'], 'DATES_OUT_OF_ORDER', 'A milestone must not be due before the goal starts.');
    }
    return { title, dueOn: milestone.dueOn ?? null, position: i };
  });
}

/** A goal in a project the principal can see (a key: one of its projects), with its milestones. */
export async function createGoal(ctx: RequestScope, input: CreateGoalInput) {
  const check = new InputCheck();
  const organizationId = ctx.principal.organizationId;
  const title = check.text(['input', 'title'], input.title, { max: 200 });
  const description = check.text(['input', 'description'], input.description, { max: 5000, required: false }) || null;
  check.range(['input', 'progress'], input.progress, 0, 100);
  check.datesInOrder('startsOn', 'dueOn', input);
  const milestones = checkMilestones(check, input.milestones ?? [], input.startsOn);
  const externalId = checkExternalId(check, input.externalId) ?? null;
  check.throwIfAny();
  const columns = { ...input, title, description, externalId };
  if (milestones.length === 0) {
    const { projectFound, ownerFound, goal } = await insertGoalChecked(ctx, columns);
    if (!projectFound) check.add(['input', 'projectId'], 'NOT_FOUND', 'Project not found.');
    if (!ownerFound) check.add(['input', 'ownerId'], 'NOT_FOUND', 'Person not found.');
    // Both found but nothing inserted: the externalId's unique index said no (ON CONFLICT).
    if (projectFound && ownerFound && !goal && externalId) check.errors.push(externalIdTaken(externalId));
    check.throwIfAny();
    return { goal };
  }
  await collect(
    check,
    () => requireVisible(ctx, 'project', [input.projectId], ['input', 'projectId']),
    () => requirePersonInOrganization(ctx, input.ownerId, ['input', 'ownerId']),
  );
  await checkExternalIdFree(check, ctx.prisma.goal, organizationId, externalId);
  check.throwIfAny();
  // One nested write for the goal and its milestones, then its CREATED history row: they
  // commit together or not at all.
  return ctx.prisma.$transaction(async (tx) => {
    const creating = tx.goal.create({
      data: {
        organizationId,
        externalId,
        projectId: input.projectId,
        ownerId: input.ownerId,
        title,
        description,
        status: input.status ?? undefined,
        progress: input.progress ?? undefined,
        startsOn: input.startsOn,
        dueOn: input.dueOn,
        milestones: { create: milestones.map((m) => ({ ...m, organizationId })) },
      },
      include: { milestones: { orderBy: { position: 'asc' } } },
    });
    const { milestones: created, ...goal } = await creating.catch(externalIdRace(externalId));
    await recordChange(tx, ctx, goal.id, 'CREATED', createdChanges(goal, created));
    return { goal };
  });
}

export interface UpdateGoalInput {
  title?: string | null;
  description?: string | null;
  status?: GoalStatus | null;
  progress?: number | null;
  startsOn?: Date | null;
  dueOn?: Date | null;
  ownerId?: string | null;
  projectId?: string | null;
  externalId?: string | null;
}

/**
 * Runs reference checks at once (one round trip) and adds their userErrors to `check`, in the
 * order given, instead of throwing them: a client sees every wrong reference in one answer.
 */
async function collect(check: InputCheck, ...runs: (() => Promise<unknown>)[]) {
  for (const result of await Promise.allSettled(runs.map((run) => run()))) {
    if (result.status === 'fulfilled') continue;
    if (!(result.reason instanceof UserErrors)) throw result.reason;
    check.errors.push(...result.reason.errors);
  }
}

/**
 * The goal a mutation acts on, locked and read again under scope (lockScoped). Adding a
 * comment only keeps the goal from being deleted (keyShare); changes to the goal or its
 * milestones run one at a time (noKeyUpdate); deleting takes the strongest lock.
 */
const lockGoal = (tx: Tx, ctx: RequestScope, id: string, mode: LockMode) =>
  lockScoped(tx, ctx.principal, 'goal', id, mode);

/**
 * Changes the fields the input names; omitted fields stay, `null` clears description,
 * startsOn and dueOn. Status and progress are independent (as in createGoal): COMPLETED
 * does not set progress to 100, nor progress 100 the status, so a client that wants both
 * sends both. Moving to another project needs a project the principal can see.
 *
 * The goal row is locked, updated, and then checked as stored: if the new startsOn falls
 * after a milestone's due day the whole update rolls back (DATES_OUT_OF_ORDER).
 */
export async function updateGoal(ctx: RequestScope, id: string, input: UpdateGoalInput) {
  await requireTarget(ctx, 'goal', id);
  const check = new InputCheck();
  const data: Prisma.GoalUncheckedUpdateInput = {};
  for (const field of ['title', 'status', 'progress', 'ownerId', 'projectId'] as const)
    check.notNull(field, input[field]);
  if (input.title != null) data.title = check.text(['input', 'title'], input.title, { max: 200 });
  if (input.description !== undefined) {
    data.description = check.text(['input', 'description'], input.description, { max: 5000, required: false }) || null;
  }
  if (input.status != null) data.status = input.status;
  check.range(['input', 'progress'], input.progress, 0, 100);
  if (input.progress != null) data.progress = input.progress;
  if (input.startsOn !== undefined) data.startsOn = input.startsOn;
  if (input.dueOn !== undefined) data.dueOn = input.dueOn;
  const externalId = input.externalId === undefined ? undefined : checkExternalId(check, input.externalId);
  if (externalId !== undefined) data.externalId = externalId;
  check.datesInOrder('startsOn', 'dueOn', input);
  check.throwIfAny();
  if (input.projectId != null) {
    const projectId = input.projectId;
    await collect(check, () => requireVisible(ctx, 'project', [projectId], ['input', 'projectId']));
    data.projectId = projectId;
  }
  if (input.ownerId != null) {
    const ownerId = input.ownerId;
    await collect(check, () => requirePersonInOrganization(ctx, ownerId, ['input', 'ownerId']));
    data.ownerId = ownerId;
  }
  check.throwIfAny();
  return ctx.prisma.$transaction(async (tx) => {
    const stored = await lockGoal(tx, ctx, id, 'noKeyUpdate');
    check.datesInOrder('startsOn', 'dueOn', input, stored);
    if (externalId && externalId !== stored.externalId) {
      await checkExternalIdFree(check, tx.goal, ctx.principal.organizationId, externalId, id);
    }
    check.throwIfAny();
    const goal = await tx.goal.update({ where: { id }, data }).catch(externalIdRace(externalId));
    if (input.startsOn && goal.startsOn) {
      const early = await tx.milestone.count({ where: { goalId: id, dueOn: { lt: goal.startsOn } } });
      if (early) {
        throw new UserErrors([
          userError(
            ['input', 'startsOn'],
            'DATES_OUT_OF_ORDER',
            `startsOn must not be after a milestone's due day (${early} milestone${early > 1 ? 's are' : ' is'} due earlier).`,
          ),
        ]);
      }
    }
    // An update that changes nothing records nothing.
    await recordChange(tx, ctx, id, 'UPDATED', changedFields(GOAL_FIELDS, stored, goal));
    return { goal };
  });
}

/** Deletes a goal; its milestones and comments go with it (the foreign keys cascade). */
export async function deleteGoal(ctx: RequestScope, id: string) {
  await requireTarget(ctx, 'goal', id);
  return ctx.prisma.$transaction(async (tx) => {
    const goal = await lockGoal(tx, ctx, id, 'update');
    await tx.goal.delete({ where: { id } });
    await recordDeletion(tx, ctx, 'Goal', id, [goal.projectId]);
    return { deletedGoalId: id };
  });
}

/**
 * A comment on a goal. The author (actors/actor.ts authorOf): for an admin, the person of the
 * organisation with the admin's email (case-insensitive) if there is one, and the admin; for
 * an API key, the key (never a person, and never nothing).
 */
export async function addGoalComment(ctx: RequestScope, input: { goalId: string; body: string }) {
  await requireTarget(ctx, 'goal', input.goalId);
  const check = new InputCheck();
  const body = check.text(['input', 'body'], input.body, { max: 5000 });
  check.throwIfAny();
  const author = await authorOf(ctx);
  return ctx.prisma.$transaction(async (tx) => {
    const goal = await lockGoal(tx, ctx, input.goalId, 'keyShare');
    const comment = await tx.goalComment.create({
      data: {
        organizationId: ctx.principal.organizationId,
        goalId: goal.id,
        authorId: author.personId,
        authorApiKeyId: author.apiKeyId,
        authorUserId: author.userId,
        body,
      },
    });
    return { goal, comment };
  });
}

/** A milestone must not be due before its goal starts (the rule of createGoal). */
function checkMilestoneDue(check: InputCheck, dueOn: Date | null | undefined, goal: { startsOn: Date | null }) {
  if (dueOn && goal.startsOn && dueOn < goal.startsOn) {
    check.add(['input', 'dueOn'], 'DATES_OUT_OF_ORDER', 'A milestone must not be due before the goal starts.');
  }
}

/** The goal of a milestone the principal may see (through its goal); NOT_FOUND otherwise. */
async function requireMilestone(db: Tx, ctx: RequestScope, id: string) {
  const milestone = await db.milestone.findFirst({
    where: { id, organizationId: ctx.principal.organizationId, goal: scope.goal(ctx.principal) },
  });
  if (!milestone) throw notFound('Milestone');
  return milestone;
}

/**
 * Appends a milestone to a goal (at most MAX_MILESTONES). The goal row is locked, so
 * concurrent additions get distinct positions and a concurrent updateGoal cannot move
 * startsOn past the new milestone.
 */
export async function addGoalMilestone(
  ctx: RequestScope,
  input: { goalId: string; title: string; dueOn?: Date | null },
) {
  await requireTarget(ctx, 'goal', input.goalId);
  const check = new InputCheck();
  const title = check.text(['input', 'title'], input.title, { max: 200 });
  check.throwIfAny();
  return ctx.prisma.$transaction(async (tx) => {
    const goal = await lockGoal(tx, ctx, input.goalId, 'noKeyUpdate');
    checkMilestoneDue(check, input.dueOn, goal);
    const { _count, _max } = await tx.milestone.aggregate({
      where: { goalId: goal.id },
      _count: { _all: true },
      _max: { position: true },
    });
    if (_count._all >= MAX_MILESTONES) {
      check.add(['input', 'goalId'], 'TOO_LONG', `A goal has at most ${MAX_MILESTONES} milestones.`);
    }
    check.throwIfAny();
    const milestone = await tx.milestone.create({
      data: {
        organizationId: ctx.principal.organizationId,
        goalId: goal.id,
        title,
        dueOn: input.dueOn ?? null,
        position: (_max.position ?? -1) + 1,
      },
    });
    const added = changedFields(MILESTONE_FIELDS, null, milestone);
    await recordChange(tx, ctx, goal.id, 'MILESTONE_ADDED', added, milestone.id);
    return { goal, milestone };
  });
}

/**
 * Changes a milestone. Omitted fields stay; `dueOn: null` clears it. `completed: true`
 * records the completion time (kept if it was already complete), `false` clears it.
 */
export async function updateGoalMilestone(
  ctx: RequestScope,
  id: string,
  input: { title?: string | null; dueOn?: Date | null; completed?: boolean | null },
) {
  const { goalId } = await requireMilestone(ctx.prisma, ctx, id);
  const check = new InputCheck();
  check.notNull('title', input.title);
  check.notNull('completed', input.completed);
  const title = input.title == null ? undefined : check.text(['input', 'title'], input.title, { max: 200 });
  check.throwIfAny();
  return ctx.prisma.$transaction(async (tx) => {
    const goal = await lockGoal(tx, ctx, goalId, 'noKeyUpdate');
    const stored = await requireMilestone(tx, ctx, id);
    checkMilestoneDue(check, input.dueOn, goal);
    check.throwIfAny();
    const completedAt =
      input.completed == null ? undefined : input.completed ? (stored.completedAt ?? ctx.now()) : null;
    const milestone = await tx.milestone.update({ where: { id }, data: { title, dueOn: input.dueOn, completedAt } });
    await recordChange(tx, ctx, goal.id, 'MILESTONE_UPDATED', changedFields(MILESTONE_FIELDS, stored, milestone), id);
    return { goal, milestone };
  });
}

/** Removes a milestone; the others keep their order. */
export async function removeGoalMilestone(ctx: RequestScope, id: string) {
  const { goalId } = await requireMilestone(ctx.prisma, ctx, id);
  return ctx.prisma.$transaction(async (tx) => {
    const goal = await lockGoal(tx, ctx, goalId, 'noKeyUpdate');
    const stored = await requireMilestone(tx, ctx, id);
    await tx.milestone.delete({ where: { id } });
    await recordDeletion(tx, ctx, 'Milestone', id, [goal.projectId]);
    await recordChange(tx, ctx, goal.id, 'MILESTONE_REMOVED', changedFields(MILESTONE_FIELDS, stored, null), id);
    return { goal, deletedMilestoneId: id };
  });
}
