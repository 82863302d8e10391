import { InputCheck, UserErrors, isUniqueViolation, userError, type UserErrorShape } from './user-errors.ts';

/*
 * externalId: the id a record has in another system (an HR system, a planning tool), set by
 * the integration that copies it here. Unique per organisation and type, so a sync job can
 * find, create or update "its" record by it (…ByExternalId lookups, upsert… mutations).
 */

export const EXTERNAL_ID_MAX = 255;
const FIELD = ['input', 'externalId'];

/**
 * Trims an externalId and checks it has 1–255 characters. `undefined` (omitted: keep) and
 * `null` (clear) pass through.
 */
export function checkExternalId<T extends string | null | undefined>(check: InputCheck, value: T, field = FIELD): T {
  return check.text(field, value, { max: EXTERNAL_ID_MAX });
}

export const externalIdTaken = (externalId: string, field = FIELD): UserErrorShape =>
  userError(field, 'TAKEN', `externalId "${externalId}" is already used by another record of this type.`);

/** The record with this externalId exists but the caller may not see it: say so, and nothing more. */
export const externalIdOutOfReach = (field = FIELD): UserErrorShape =>
  userError(field, 'TAKEN', 'This externalId is used by a record outside your access.');

/** A unique violation (P2002) of the (organizationId, externalId) index: Prisma's meta names its fields or the index. */
export function isExternalIdViolation(error: unknown): boolean {
  return isUniqueViolation(error) && JSON.stringify((error as { meta?: unknown }).meta ?? {}).includes('externalId');
}

/** In a create's or update's catch: a race on the externalId lost to another request is TAKEN. */
export function rethrowExternalIdTaken(error: unknown, externalId: string | null | undefined): void {
  if (externalId && isExternalIdViolation(error)) throw new UserErrors([externalIdTaken(externalId)]);
}

/** `promise.catch(externalIdRace(externalId))`: a lost externalId race is TAKEN, other errors pass on. */
export const externalIdRace =
  (externalId: string | null | undefined) =>
  (error: unknown): never => {
    rethrowExternalIdTaken(error, externalId);
    throw error;
  };

/** Anything with a Prisma `count` (a model delegate of the client or of a transaction). */
interface Counter {
  count(args: { where: object }): Promise<number>;
}

/**
 * Adds TAKEN to `check` when another row of the organisation (not `exceptId`) has this
 * externalId. The unique index still decides a race (rethrowExternalIdTaken).
 */
export async function checkExternalIdFree(
  check: InputCheck,
  delegate: Counter,
  organizationId: string,
  externalId: string | null | undefined,
  exceptId?: string,
): Promise<void> {
  if (!externalId) return;
  const where = { organizationId, externalId, ...(exceptId && { id: { not: exceptId } }) };
  if (await delegate.count({ where })) check.errors.push(externalIdTaken(externalId));
}

/**
 * How an upsert compares a field of its input with the stored row, normalised as the
 * create and update services store it:
 * - `text`: trimmed (a required text);
 * - `optionalText`: trimmed, blank is null;
 * - `email`: trimmed and lower-case, blank is null;
 * - `date`: the same day (null is null);
 * - `tags`: trimmed and de-duplicated, in order;
 * - `value`: equal as it is (enums, numbers, booleans, ids);
 * - `defaulted`: like `value`, but null means "the default" on create, so on update it keeps.
 */
export type FieldKind = 'text' | 'optionalText' | 'email' | 'date' | 'tags' | 'value' | 'defaulted';

function normalised(kind: FieldKind, value: unknown): unknown {
  if (value == null) return null;
  switch (kind) {
    case 'text':
      return String(value).trim();
    case 'optionalText':
      return String(value).trim() || null;
    case 'email':
      return String(value).trim().toLowerCase() || null;
    case 'date':
      return (value as Date).getTime();
    case 'tags':
      return JSON.stringify([...new Set((value as string[]).map((tag) => tag.trim()))]);
    default:
      return value;
  }
}

/**
 * The fields of `input` (as the client sent them) whose value differs from the stored row,
 * for an upsert's update: an empty object means a replay that must change nothing (no
 * update, so no new updatedAt and no history). Omitted fields are left out; so is null for
 * a `defaulted` field. A value the update would refuse (blank, too long) always differs
 * from the stored, valid one, so the update service reports it.
 */
export function changedFields<I extends Record<string, unknown>>(
  stored: Record<string, unknown>,
  input: I,
  kinds: { [K in keyof I]?: FieldKind },
): Partial<I> {
  const changes: Partial<I> = {};
  for (const [field, kind] of Object.entries(kinds) as [keyof I & string, FieldKind][]) {
    const value = input[field];
    if (value === undefined || (kind === 'defaulted' && value === null)) continue;
    const storedValue = kind === 'tags' ? ((stored[field] as string[] | null) ?? []) : stored[field];
    const given = kind === 'tags' && value === null ? [] : value;
    if (normalised(kind, given) !== normalised(kind, storedValue)) changes[field] = value;
  }
  return changes;
}
