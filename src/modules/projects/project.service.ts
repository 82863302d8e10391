import type { Prisma } from '../../generated/prisma/client.ts';
import type { ProjectStatus } from '../../generated/prisma/enums.ts';
import { lockScoped } from '../../auth/lock-scoped.ts';
import { requireTarget } from '../../auth/visible.ts';
import type { RequestScope } from '../../core/request-scope.ts';
import { InputCheck, UserErrors, isUniqueViolation, userError } from '../../core/user-errors.ts';
import { checkExternalId, checkExternalIdFree, rethrowExternalIdTaken } from '../../core/external-id.ts';

/** Optional text fields of a project and their maximum lengths. */
const ADDRESS_FIELDS = {
  addressLine1: 200,
  addressLine2: 200,
  city: 100,
  state: 100,
  zip: 20,
  country: 100,
} as const;
type AddressField = keyof typeof ADDRESS_FIELDS;

export interface ProjectInput extends Partial<Record<AddressField, string | null>> {
  name?: string | null;
  code?: string | null;
  status?: ProjectStatus | null;
  startsOn?: Date | null;
  endsOn?: Date | null;
  externalId?: string | null;
}

const codeTaken = (code: string) =>
  new UserErrors([userError(['input', 'code'], 'TAKEN', `A project with code "${code}" already exists.`)]);

/**
 * Checks and normalises the fields an input names. For an update (`required: false`),
 * `undefined` leaves a field as it is and `null` clears a nullable one; name, code and
 * status cannot be cleared. Optional text is trimmed, and blank text is stored as null.
 */
function validate(check: InputCheck, input: ProjectInput, { required }: { required: boolean }) {
  const data: Prisma.ProjectUncheckedUpdateInput = {};
  for (const [field, max] of [
    ['name', 200],
    ['code', 32],
  ] as const) {
    const value = input[field];
    if (value === null || (required && value === undefined)) {
      check.add(['input', field], 'BLANK', `${field} can't be blank.`);
    } else if (value !== undefined) {
      data[field] = check.text(['input', field], value, { max });
    }
  }
  // On create a null status means the default; on update it would clear a required field.
  if (!required) check.notNull('status', input.status);
  if (input.status != null) data.status = input.status;
  for (const [field, max] of Object.entries(ADDRESS_FIELDS) as [AddressField, number][]) {
    const value = input[field];
    if (value !== undefined) data[field] = check.text(['input', field], value, { max, required: false }) || null;
  }
  if (input.startsOn !== undefined) data.startsOn = input.startsOn;
  if (input.endsOn !== undefined) data.endsOn = input.endsOn;
  if (input.externalId !== undefined) data.externalId = checkExternalId(check, input.externalId);
  return data;
}

/** A new project; the code is unique within the organisation (the unique index decides a race). */
export async function createProject(ctx: RequestScope, input: ProjectInput & { name: string; code: string }) {
  const check = new InputCheck();
  const data = validate(check, input, { required: true });
  check.datesInOrder('startsOn', 'endsOn', input);
  check.throwIfAny();
  await checkExternalIdFree(check, ctx.prisma.project, ctx.principal.organizationId, data.externalId as string | null);
  check.throwIfAny();
  try {
    const project = await ctx.prisma.project.create({
      data: { ...(data as Prisma.ProjectUncheckedCreateInput), organizationId: ctx.principal.organizationId },
    });
    return { project };
  } catch (error) {
    rethrowExternalIdTaken(error, data.externalId as string | null);
    if (isUniqueViolation(error)) throw codeTaken(data.code as string);
    throw error;
  }
}

/**
 * Changes the fields the input names. The project row is locked while its stored dates
 * are compared with the new ones and the code is checked, so two concurrent updates
 * cannot together leave endsOn before startsOn.
 */
export async function updateProject(ctx: RequestScope, id: string, input: ProjectInput) {
  await requireTarget(ctx, 'project', id);
  const check = new InputCheck();
  const data = validate(check, input, { required: false });
  check.throwIfAny();
  const organizationId = ctx.principal.organizationId;
  try {
    return await ctx.prisma.$transaction(async (tx) => {
      const stored = await lockScoped(tx, ctx.principal, 'project', id, 'noKeyUpdate');
      check.datesInOrder('startsOn', 'endsOn', input, stored);
      if (typeof data.code === 'string' && data.code !== stored.code) {
        const clash = await tx.project.count({ where: { organizationId, code: data.code, id: { not: id } } });
        if (clash) check.errors.push(...codeTaken(data.code).errors);
      }
      if (typeof data.externalId === 'string' && data.externalId !== stored.externalId) {
        await checkExternalIdFree(check, tx.project, organizationId, data.externalId, id);
      }
      check.throwIfAny();
      const project = await tx.project.update({ where: { id }, data });
      return { project };
    });
  } catch (error) {
    rethrowExternalIdTaken(error, data.externalId as string | null);
    if (isUniqueViolation(error)) throw codeTaken(data.code as string);
    throw error;
  }
}
