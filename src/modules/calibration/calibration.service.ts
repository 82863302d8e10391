import { Prisma } from '../../generated/prisma/client.ts';
import type { CalibrationCycleStatus, TalentPotential } from '../../generated/prisma/enums.ts';
import { scope } from '../../auth/scope.ts';
import { notFound } from '../../core/errors.ts';
import type { RequestScope } from '../../core/request-scope.ts';
import { InputCheck, UserErrors, isUniqueViolation, userError } from '../../core/user-errors.ts';

type Tx = Prisma.TransactionClient;

export const MAX_CYCLE_NAME_LENGTH = 200;
export const MAX_NOTES_LENGTH = 5000;
export const RATING_MIN = 1;
export const RATING_MAX = 5;

const nameTaken = (name: string) =>
  new UserErrors([userError(['input', 'name'], 'TAKEN', `A calibration cycle named "${name}" already exists.`)]);

export interface CreateCalibrationCycleInput {
  name: string;
  startsOn: Date;
  endsOn: Date;
  status?: CalibrationCycleStatus | null;
}

/** A new cycle of the organisation; its name is unique there (the unique index settles a race). */
export async function createCalibrationCycle(ctx: RequestScope, input: CreateCalibrationCycleInput) {
  const check = new InputCheck();
  const name = check.text(['input', 'name'], input.name, { max: MAX_CYCLE_NAME_LENGTH });
  check.datesInOrder('startsOn', 'endsOn', input);
  check.throwIfAny();
  try {
    const calibrationCycle = await ctx.prisma.calibrationCycle.create({
      data: {
        organizationId: ctx.principal.organizationId,
        name,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        status: input.status ?? undefined,
      },
    });
    return { calibrationCycle };
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(name);
    throw error;
  }
}

export interface UpdateCalibrationCycleInput {
  name?: string | null;
  startsOn?: Date | null;
  endsOn?: Date | null;
  status?: CalibrationCycleStatus | null;
}

/**
 * The cycle's row, locked until the transaction ends: `share` by setTalentRecord (a cycle is
 * not closed under a record being written), `update` by updateCalibrationCycle (two changes
 * of one cycle run one after the other). Null when the organisation has no such cycle.
 */
async function lockCycle(tx: Tx, ctx: RequestScope, id: string, mode: 'share' | 'update') {
  const clause = Prisma.raw(mode === 'share' ? 'FOR SHARE' : 'FOR NO KEY UPDATE');
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "CalibrationCycle"
    WHERE id = ${id}::uuid AND "organizationId" = ${ctx.principal.organizationId}::uuid ${clause}`;
  if (!rows.length) return null;
  return tx.calibrationCycle.findFirst({ where: { id, AND: [scope.calibrationCycle(ctx.principal)] } });
}

/**
 * Changes a cycle: omitted fields stay as they are; none can be cleared. The dates are checked
 * against the stored ones where the input omits one, under the row lock.
 */
export async function updateCalibrationCycle(ctx: RequestScope, id: string, input: UpdateCalibrationCycleInput) {
  const visible = await ctx.prisma.calibrationCycle.count({
    where: { id, AND: [scope.calibrationCycle(ctx.principal)] },
  });
  if (!visible) throw notFound('Calibration cycle');
  const check = new InputCheck();
  const name = check.notNull('name', input.name)
    ? check.text(['input', 'name'], input.name as string, { max: MAX_CYCLE_NAME_LENGTH })
    : undefined;
  check.notNull('startsOn', input.startsOn);
  check.notNull('endsOn', input.endsOn);
  check.notNull('status', input.status);
  check.throwIfAny();
  const organizationId = ctx.principal.organizationId;
  try {
    return await ctx.prisma.$transaction(async (tx) => {
      const stored = await lockCycle(tx, ctx, id, 'update');
      if (!stored) throw notFound('Calibration cycle');
      check.datesInOrder('startsOn', 'endsOn', input, stored);
      if (name !== undefined && name !== stored.name) {
        const clash = await tx.calibrationCycle.count({ where: { organizationId, name, id: { not: id } } });
        if (clash) check.errors.push(...nameTaken(name).errors);
      }
      check.throwIfAny();
      const calibrationCycle = await tx.calibrationCycle.update({
        where: { id },
        data: {
          name,
          startsOn: input.startsOn ?? undefined,
          endsOn: input.endsOn ?? undefined,
          status: input.status ?? undefined,
        },
      });
      return { calibrationCycle };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(name as string);
    throw error;
  }
}

export interface SetTalentRecordInput {
  cycleId: string;
  personId: string;
  rating?: number | null;
  potential?: TalentPotential | null;
  notes?: string | null;
}

/**
 * Creates or changes a person's record in a cycle. On a new record omitted fields are null;
 * on an existing one they stay as they are, and null (or blank notes) clears a field.
 *
 * One transaction: the cycle row is share-locked, so it cannot be closed (or deleted) while
 * the record is written, and the person row key-share-locked, so it cannot go away. The write
 * itself is one upsert on the unique (cycleId, personId): two concurrent calls for the same
 * person and cycle leave one record, never a duplicate-key error.
 */
export async function setTalentRecord(ctx: RequestScope, input: SetTalentRecordInput) {
  const { cycleId, personId } = input;
  const check = new InputCheck();
  check.range(['input', 'rating'], input.rating, RATING_MIN, RATING_MAX);
  const notes =
    input.notes == null
      ? input.notes
      : check.text(['input', 'notes'], input.notes, { max: MAX_NOTES_LENGTH, required: false }) || null;
  check.throwIfAny();
  const organizationId = ctx.principal.organizationId;
  return ctx.prisma.$transaction(async (tx) => {
    const cycle = await lockCycle(tx, ctx, cycleId, 'share');
    if (!cycle) check.add(['input', 'cycleId'], 'NOT_FOUND', 'Calibration cycle not found.');
    else if (cycle.status === 'CLOSED') {
      check.add(['input', 'cycleId'], 'INVALID', 'The calibration cycle is closed and takes no more changes.');
    }
    await tx.$queryRaw`SELECT id FROM "Person"
      WHERE id = ${personId}::uuid AND "organizationId" = ${organizationId}::uuid FOR KEY SHARE`;
    const person = await tx.person.count({ where: { id: personId, AND: [scope.person(ctx.principal)] } });
    if (!person) check.add(['input', 'personId'], 'NOT_FOUND', 'Person not found.');
    check.throwIfAny();
    const talentRecord = await tx.talentRecord.upsert({
      where: { cycleId_personId: { cycleId, personId } },
      create: {
        organizationId,
        cycleId,
        personId,
        rating: input.rating ?? null,
        potential: input.potential ?? null,
        notes: notes ?? null,
      },
      update: { rating: input.rating, potential: input.potential, notes },
    });
    return { talentRecord };
  });
}
