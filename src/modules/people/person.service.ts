import type { Prisma } from '../../generated/prisma/client.ts';
import { lockScoped } from '../../auth/lock-scoped.ts';
import { requireTarget, requireVisible } from '../../auth/visible.ts';
import type { RequestScope } from '../../core/request-scope.ts';
import { InputCheck, UserErrors, isUniqueViolation, userError, type UserErrorShape } from '../../core/user-errors.ts';
import { checkExternalId, externalIdTaken, isExternalIdViolation } from '../../core/external-id.ts';

type Tx = Prisma.TransactionClient;

export interface PersonInput {
  name?: string | null;
  email?: string | null;
  employeeId?: string | null;
  title?: string | null;
  department?: string | null;
  managerId?: string | null;
  externalId?: string | null;
}

export interface CreatePersonInput extends PersonInput {
  name: string;
  email: string;
}

const emailTaken = (email: string) =>
  userError(['input', 'email'], 'TAKEN', `A person with email "${email}" already exists.`);
const employeeIdTaken = (employeeId: string) =>
  userError(['input', 'employeeId'], 'TAKEN', `A person with employee id "${employeeId}" already exists.`);

/**
 * Checks and normalises the fields an input names. For an update (`required: false`),
 * `undefined` leaves a field as it is and `null` clears an optional one; name and email
 * cannot be cleared. Optional text is trimmed and stored as null when blank.
 */
function validate(check: InputCheck, input: PersonInput, { required }: { required: boolean }) {
  const data: {
    name?: string;
    email?: string;
    employeeId?: string | null;
    title?: string | null;
    department?: string | null;
    externalId?: string | null;
  } = {};
  if (input.name === null || (required && input.name === undefined)) {
    check.add(['input', 'name'], 'BLANK', "name can't be blank.");
  } else if (input.name !== undefined) data.name = check.text(['input', 'name'], input.name, { max: 200 });
  if (input.email === null || (required && input.email === undefined)) {
    check.add(['input', 'email'], 'BLANK', "email can't be blank.");
  } else if (input.email !== undefined) {
    data.email = check.text(['input', 'email'], input.email, { max: 254 }).toLowerCase();
  }
  for (const [field, max] of [
    ['employeeId', 64],
    ['title', 200],
    ['department', 200],
  ] as const) {
    const value = input[field];
    if (value !== undefined) data[field] = check.text(['input', field], value, { max, required: false }) || null;
  }
  if (input.externalId !== undefined) data.externalId = checkExternalId(check, input.externalId);
  return data;
}

/** Email (case-insensitive), employee id and externalId clashes with other people of the organisation. */
async function takenErrors(
  db: Tx,
  organizationId: string,
  { email, employeeId, externalId }: { email?: string; employeeId?: string | null; externalId?: string | null },
  exceptId?: string,
): Promise<UserErrorShape[]> {
  const or: Prisma.PersonWhereInput[] = [];
  if (email) or.push({ email: { equals: email, mode: 'insensitive' } });
  if (employeeId) or.push({ employeeId });
  if (externalId) or.push({ externalId });
  if (!or.length) return [];
  const clashes = await db.person.findMany({
    where: { organizationId, OR: or, ...(exceptId && { id: { not: exceptId } }) },
    select: { email: true, employeeId: true, externalId: true },
  });
  const taken: UserErrorShape[] = [];
  if (email && clashes.some((p) => p.email.toLowerCase() === email)) taken.push(emailTaken(email));
  if (employeeId && clashes.some((p) => p.employeeId === employeeId)) taken.push(employeeIdTaken(employeeId));
  if (externalId && clashes.some((p) => p.externalId === externalId)) taken.push(externalIdTaken(externalId));
  return taken;
}

/** A unique index decided a race: say which value was taken. */
function raceLost(
  error: unknown,
  data: { email?: string; employeeId?: string | null; externalId?: string | null },
): UserErrors {
  if (data.externalId && isExternalIdViolation(error)) return new UserErrors([externalIdTaken(data.externalId)]);
  const onEmployeeId =
    data.employeeId && JSON.stringify((error as { meta?: unknown }).meta ?? {}).includes('employeeId');
  if (onEmployeeId) return new UserErrors([employeeIdTaken(data.employeeId!)]);
  return new UserErrors([data.email ? emailTaken(data.email) : employeeIdTaken(data.employeeId!)]);
}

/**
 * Serialises changes to the organisation's management chains for the rest of the
 * transaction, so two concurrent changes (A reports to B, B reports to A) cannot each
 * pass the cycle check against the other's uncommitted state. `FOR NO KEY UPDATE` on the
 * organisation row does not block the foreign-key checks of ordinary inserts.
 */
async function lockManagementChains(tx: Tx, organizationId: string) {
  await tx.$queryRaw`SELECT id FROM "Organization" WHERE id = ${organizationId}::uuid FOR NO KEY UPDATE`;
}

/** Whether `personId` is `managerId` or above it in the management chain. */
async function isInChainAbove(tx: Tx, managerId: string, personId: string): Promise<boolean> {
  // UNION (not UNION ALL) ends the walk even if stored data already held a loop.
  const rows = await tx.$queryRaw<{ found: number }[]>`
    WITH RECURSIVE chain(id, "managerId") AS (
      SELECT id, "managerId" FROM "Person" WHERE id = ${managerId}::uuid
      UNION
      SELECT p.id, p."managerId" FROM "Person" p JOIN chain c ON p.id = c."managerId"
    )
    SELECT 1 AS found FROM chain WHERE id = ${personId}::uuid LIMIT 1`;
  return rows.length > 0;
}

/**
 * Adds a person to the directory. Email (stored lower-case) and employee id are unique
 * within the organisation: both clashes are reported at once, and a race lost to another
 * request is a TAKEN userError too (the unique index decides).
 */
export async function createPerson(ctx: RequestScope, input: CreatePersonInput) {
  const check = new InputCheck();
  const organizationId = ctx.principal.organizationId;
  const data = validate(check, input, { required: true });
  check.throwIfAny();
  const managerId = input.managerId ?? null;
  if (managerId) await requireVisible(ctx, 'person', [managerId], ['input', 'managerId']);

  const taken = await takenErrors(ctx.prisma, organizationId, data);
  if (taken.length) throw new UserErrors(taken);

  const row = { ...data, name: data.name!, email: data.email!, organizationId, managerId };
  try {
    if (!managerId) return { person: await ctx.prisma.person.create({ data: row }) };
    // A new person has no reports, so no cycle; the lock orders this insert with
    // concurrent updatePerson calls that walk the chain through the new person.
    return await ctx.prisma.$transaction(async (tx) => {
      await lockManagementChains(tx, organizationId);
      return { person: await tx.person.create({ data: row }) };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw raceLost(error, data);
    throw error;
  }
}

/**
 * Changes the fields the input names (`managerId: null` removes the manager). The
 * manager must be another person of the organisation and must not report, directly or
 * through others, to this person: the chain is walked in the transaction that writes,
 * under the organisation's management-chain lock.
 */
export async function updatePerson(ctx: RequestScope, id: string, input: PersonInput) {
  await requireTarget(ctx, 'person', id);
  const check = new InputCheck();
  const organizationId = ctx.principal.organizationId;
  const data = validate(check, input, { required: false });
  const managerId = input.managerId;
  if (managerId === id) check.add(['input', 'managerId'], 'INVALID', 'A person cannot be their own manager.');
  check.throwIfAny();
  if (managerId) await requireVisible(ctx, 'person', [managerId], ['input', 'managerId']);

  try {
    return await ctx.prisma.$transaction(async (tx) => {
      if (managerId) await lockManagementChains(tx, organizationId);
      const stored = await lockScoped(tx, ctx.principal, 'person', id, 'noKeyUpdate', { select: { managerId: true } });
      const errors = await takenErrors(tx, organizationId, data, id);
      if (managerId && managerId !== stored.managerId && (await isInChainAbove(tx, managerId, id))) {
        errors.push(
          userError(
            ['input', 'managerId'],
            'INVALID',
            'This manager reports to the person, directly or through others; the change would make a cycle.',
          ),
        );
      }
      if (errors.length) throw new UserErrors(errors);
      const person = await tx.person.update({ where: { id }, data: { ...data, managerId } });
      return { person };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw raceLost(error, data);
    throw error;
  }
}
