import { badUserInput } from '../core/errors.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../core/pages.ts';

/**
 * Keyset pagination for root connections. A cursor carries the connection's name, its
 * ordering and the row's values of the ordering's columns (ending with the id), and the
 * next page is the rows strictly after (or before) that position. A cursor never names a
 * row to look up, so a row deleted, changed or moved between pages cannot make a client
 * skip or repeat another row, and a cursor tells nothing about rows the caller cannot see.
 */

type Direction = 'asc' | 'desc';
type Nulls = 'first' | 'last';
/**
 * Prisma's `orderBy` as the connections give it: one column per entry, ending with `id`. A
 * column that may be null says where its nulls go (`{ dueOn: { sort: 'asc', nulls: 'last' } }`).
 */
export type Ordering = Record<string, Direction | { sort: Direction; nulls: Nulls }>[] | Record<string, Direction>;
type Column = [name: string, direction: Direction, nulls?: Nulls];

const PREFIX = 'cgc1:';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function columnsOf(ordering: Ordering): Column[] {
  const entries = (Array.isArray(ordering) ? ordering : [ordering]).flatMap((entry) => Object.entries(entry));
  if (entries.at(-1)?.[0] !== 'id') throw new Error('a keyset ordering must end with id');
  return entries.map(([name, sort]): Column =>
    typeof sort === 'string' ? [name, sort] : [name, sort.sort, sort.nulls],
  );
}

const signature = (columns: Column[]) =>
  columns.map(([name, direction, nulls]) => `${name}:${direction}${nulls ? `:nulls-${nulls}` : ''}`).join(',');

/** A cell of the cursor: strings and numbers as they are, dates tagged so they come back as dates. */
const encodeValue = (value: unknown) => (value instanceof Date ? { d: value.toISOString() } : value);

function decodeValue(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'number') return value;
  if (value && typeof value === 'object' && typeof (value as { d?: unknown }).d === 'string') {
    const date = new Date((value as { d: string }).d);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new Error('bad value');
}

export function encodeCursor(connection: string, columns: Column[], row: Record<string, unknown>): string {
  const body = { c: connection, o: signature(columns), k: columns.map(([name]) => encodeValue(row[name])) };
  return PREFIX + Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** The ordering values a cursor holds; BAD_USER_INPUT for anything this connection and ordering did not hand out. */
export function decodeCursor(connection: string, columns: Column[], cursor: string, argument: string): unknown[] {
  try {
    if (!cursor.startsWith(PREFIX)) throw new Error('not ours');
    const body = JSON.parse(Buffer.from(cursor.slice(PREFIX.length), 'base64url').toString('utf8'));
    if (body?.c !== connection || body.o !== signature(columns)) throw new Error('another list');
    if (!Array.isArray(body.k) || body.k.length !== columns.length) throw new Error('bad width');
    const values = body.k.map(decodeValue);
    if (values.some((value: unknown, i: number) => value === null && !columns[i][2])) throw new Error('null');
    if (typeof values.at(-1) !== 'string' || !UUID.test(values.at(-1))) throw new Error('bad id');
    return values;
  } catch {
    throw badUserInput(
      `\`${argument}\` is not a cursor returned by \`${connection}\` with this ordering; start again without it.`,
    );
  }
}

/**
 * The rows strictly after `values` in the order `columns` (a row comparison written out:
 * c1 > v1, or c1 = v1 and c2 > v2, …; PostgreSQL serves it from the ordering's index). A
 * nullable column's nulls sit after (`last`) or before (`first`) every value.
 */
export function keysetWhere(columns: Column[], values: unknown[]): object {
  return {
    OR: columns.flatMap(([name, direction, nulls], i) => {
      const equalBefore = Object.fromEntries(columns.slice(0, i).map(([previous], j) => [previous, values[j]]));
      const after = afterValue(name, direction, nulls, values[i]);
      return after.map((condition) => ({ ...equalBefore, ...condition }));
    }),
  };
}

/** The conditions for "strictly after `value`" on one column, as alternatives. */
function afterValue(name: string, direction: Direction, nulls: Nulls | undefined, value: unknown): object[] {
  if (value === null) return nulls === 'first' ? [{ [name]: { not: null } }] : [];
  const beyond = { [name]: { [direction === 'asc' ? 'gt' : 'lt']: value } };
  return nulls === 'last' ? [beyond, { [name]: null }] : [beyond];
}

const flip = { asc: 'desc', desc: 'asc', first: 'last', last: 'first' } as const;
const reverse = (columns: Column[]): Column[] =>
  columns.map(([name, direction, nulls]): Column =>
    nulls ? [name, flip[direction], flip[nulls]] : [name, flip[direction]],
  );

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/** What to read for a page: the keyset `where` (if any), the order to read in, and how many rows. */
export interface PagePlan {
  where: object | undefined;
  orderBy: Exclude<Ordering, Record<string, Direction>>;
  take: number;
  size: number;
  backward: boolean;
}

export function planPage(connection: string, ordering: Ordering, args: PageArgs): PagePlan {
  for (const name of ['first', 'last'] as const) {
    const value = args[name];
    if (value != null && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw badUserInput(`\`${name}\` must be between 0 and ${MAX_PAGE_SIZE}, got ${value}.`);
    }
  }
  if (args.after != null && args.before != null) throw badUserInput('Use `after` or `before`, not both.');
  if (args.first != null && args.before != null) throw badUserInput('`first` pages forwards: use it with `after`.');
  if (args.last != null && args.after != null) throw badUserInput('`last` pages backwards: use it with `before`.');
  const columns = columnsOf(ordering);
  const backward = args.last != null || args.before != null;
  const size = (backward ? args.last : args.first) ?? DEFAULT_PAGE_SIZE;
  const cursor = backward ? args.before : args.after;
  const readOrder = backward ? reverse(columns) : columns;
  const where =
    cursor == null
      ? undefined
      : keysetWhere(readOrder, decodeCursor(connection, columns, cursor, backward ? 'before' : 'after'));
  return {
    where,
    orderBy: readOrder.map(([name, direction, nulls]) => ({ [name]: nulls ? { sort: direction, nulls } : direction })),
    take: size + 1,
    size,
    backward,
  };
}

/** The connection of rows read by `plan` (one more than the page, to know whether another follows). */
export function pageOf<Row extends Record<string, unknown>>(
  connection: string,
  ordering: Ordering,
  plan: PagePlan,
  args: PageArgs,
  rows: Row[],
) {
  const columns = columnsOf(ordering);
  const more = rows.length > plan.size;
  const page = rows.slice(0, plan.size);
  if (plan.backward) page.reverse();
  // Encoded when a client asks for it: most pages are read without their cursors.
  const cursorOf = (node: Row | undefined) => (node ? encodeCursor(connection, columns, node) : null);
  return {
    edges: page.map((node) => ({
      node,
      get cursor() {
        return cursorOf(node);
      },
    })),
    pageInfo: {
      hasNextPage: plan.backward ? args.before != null : more,
      hasPreviousPage: plan.backward ? more : args.after != null,
      get startCursor() {
        return cursorOf(page[0]);
      },
      get endCursor() {
        return cursorOf(page.at(-1));
      },
    },
  };
}
