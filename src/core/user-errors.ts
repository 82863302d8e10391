/** Stable codes of input problems a client can fix (returned in `userErrors`, HTTP 200). */
export const USER_ERROR_CODES = {
  BLANK: 'A required value is empty.',
  TOO_LONG: 'The value is longer than allowed.',
  INVALID: 'The value is not valid.',
  TAKEN: 'The value is already used by another object.',
  NOT_FOUND: 'A referenced object does not exist or is not visible to you.',
  OUT_OF_RANGE: 'The number is outside the allowed range.',
  NOT_IN_FUTURE: 'The time must be in the future.',
  EXPIRED: 'The object has expired.',
  DATES_OUT_OF_ORDER: 'An end date is before its start date.',
  PROJECT_REQUIRED: 'At least one project is required.',
  NOT_PERMITTED: 'You cannot grant what you do not hold yourself.',
  LAST_OWNER: 'The organisation must keep at least one active owner.',
  POLICY: "The value breaks one of the organisation's policies (e.g. the maximum key lifetime).",
} as const;
export type UserErrorCode = keyof typeof USER_ERROR_CODES;

export interface UserErrorShape {
  /** Path to the input field at fault, e.g. ["input", "name"]; null when no single field is. */
  field: string[] | null;
  message: string;
  code: UserErrorCode;
}

/** Thrown inside a mutation's transaction to roll it back and answer with userErrors. */
export class UserErrors extends Error {
  constructor(readonly errors: UserErrorShape[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

export const userError = (field: string[] | null, code: UserErrorCode, message: string): UserErrorShape => ({
  field,
  code,
  message,
});

/** How a message names a field: its name, or for an item of a list `tags[2]`. */
function fieldLabel(field: string[]): string {
  const last = field[field.length - 1] ?? 'value';
  return /^\d+$/.test(last) && field.length > 1 ? `${field[field.length - 2]}[${last}]` : last;
}

/** Collects input problems, then throws them together. */
export class InputCheck {
  readonly errors: UserErrorShape[] = [];

  add(field: string[] | null, code: UserErrorCode, message: string): this {
    this.errors.push(userError(field, code, message));
    return this;
  }

  /** Trims, and checks presence and length. Returns the trimmed text. */
  text<T extends string | null | undefined>(field: string[], value: T, { max = 255, required = true } = {}): T {
    if (value == null) return value;
    const trimmed = value.trim();
    const label = fieldLabel(field);
    if (required && !trimmed) this.add(field, 'BLANK', `${label} can't be blank.`);
    else if (trimmed.length > max) this.add(field, 'TOO_LONG', `${label} is too long (at most ${max} characters).`);
    return trimmed as T;
  }

  /** A field that may be omitted but not set to null (it cannot be cleared). True when it has a value. */
  notNull(field: string, value: unknown): boolean {
    if (value === null) this.add(['input', field], 'BLANK', `${field} can't be null.`);
    return value != null;
  }

  range(field: string[], value: number | null | undefined, min: number, max: number): void {
    if (value != null && (value < min || value > max)) {
      this.add(field, 'OUT_OF_RANGE', `${field[field.length - 1]} must be between ${min} and ${max}.`);
    }
  }

  /**
   * The `end` day must not be before the `start` day. Each is the input's value, or the stored
   * one where the input omits it; the error names the field the input changed.
   */
  datesInOrder<K extends string>(
    start: K,
    end: K,
    input: Partial<Record<K, Date | null>>,
    stored: Partial<Record<K, Date | null>> = {},
  ): void {
    const startsOn = input[start] === undefined ? stored[start] : input[start];
    const endsOn = input[end] === undefined ? stored[end] : input[end];
    if (startsOn && endsOn && endsOn < startsOn) {
      const onStart = input[end] === undefined;
      this.add(
        ['input', onStart ? start : end],
        'DATES_OUT_OF_ORDER',
        onStart ? `${start} must not be after the stored ${end}.` : `${end} must not be before ${start}.`,
      );
    }
  }

  throwIfAny(): void {
    if (this.errors.length) throw new UserErrors(this.errors);
  }
}

/**
 * Runs a mutation body and shapes its payload: the body's result plus `userErrors: []`,
 * or, when it threw UserErrors (its transaction rolled back), only the userErrors.
 */
export async function withUserErrors<T extends object>(
  body: () => Promise<T>,
): Promise<Partial<T> & { userErrors: UserErrorShape[] }> {
  try {
    return { ...(await body()), userErrors: [] };
  } catch (error) {
    if (error instanceof UserErrors)
      return { userErrors: error.errors } as Partial<T> & { userErrors: UserErrorShape[] };
    throw error;
  }
}

/** Prisma's unique-constraint violation (P2002), e.g. a name race lost to another request. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'P2002';
}
