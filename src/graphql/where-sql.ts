import { Prisma } from '../generated/prisma/client.ts';

/**
 * A Prisma `where` of column conditions as SQL on the table alias `alias`, for the hand-written
 * page statements of nested connections (graphql/relation-pages.ts). Only what the list
 * filters and the column scopes use: equality, `in`, comparisons, `not`, `has`, `contains`
 * (with Prisma's own `ILIKE '%' || … || '%'`), `AND`, `OR`. A relation condition, or anything
 * else, is `null`: the caller then lets Prisma run the filter instead, so a condition is never
 * dropped or guessed.
 */
export function whereSql(where: object | undefined, alias: string): Prisma.Sql | null {
  if (!where) return Prisma.sql`TRUE`;
  const parts: Prisma.Sql[] = [];
  for (const [key, condition] of Object.entries(where)) {
    if (condition === undefined) continue;
    const part = key === 'AND' || key === 'OR' ? combination(key, condition, alias) : columnSql(alias, key, condition);
    if (!part) return null;
    parts.push(part);
  }
  return parts.length ? Prisma.sql`(${Prisma.join(parts, ' AND ')})` : Prisma.sql`TRUE`;
}

function combination(operator: 'AND' | 'OR', conditions: unknown, alias: string): Prisma.Sql | null {
  const list = (Array.isArray(conditions) ? conditions : [conditions]) as object[];
  // What an empty list means is Prisma's to say (it has changed between versions).
  if (list.length === 0) return null;
  const parts = list.map((condition) => whereSql(condition, alias));
  if (parts.some((part) => part === null)) return null;
  return Prisma.sql`(${Prisma.join(parts as Prisma.Sql[], ` ${operator} `)})`;
}

const isValue = (value: unknown) =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value) || value instanceof Date;

function columnSql(alias: string, column: string, condition: unknown): Prisma.Sql | null {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(column)) return null;
  const ref = Prisma.raw(`${alias}."${column}"`);
  if (isValue(condition)) return equals(ref, condition);
  if (!condition || typeof condition !== 'object' || Array.isArray(condition)) return null;
  const { mode, ...operators } = condition as Record<string, unknown>;
  const insensitive = mode === 'insensitive';
  if (mode !== undefined && !insensitive) return null;
  const parts: Prisma.Sql[] = [];
  for (const [operator, value] of Object.entries(operators)) {
    if (value === undefined) continue;
    const part = operatorSql(ref, operator, value, insensitive);
    if (!part) return null;
    parts.push(part);
  }
  return parts.length ? Prisma.sql`(${Prisma.join(parts, ' AND ')})` : Prisma.sql`TRUE`;
}

const COMPARISONS: Record<string, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=' };

function operatorSql(ref: Prisma.Sql, operator: string, value: unknown, insensitive: boolean): Prisma.Sql | null {
  if (operator === 'contains' && typeof value === 'string') {
    return Prisma.sql`${ref} ${Prisma.raw(insensitive ? 'ILIKE' : 'LIKE')} ('%' || ${value}::text || '%')`;
  }
  if (insensitive) return null;
  if (operator === 'equals' && isValue(value)) return equals(ref, value);
  if (operator === 'not' && isValue(value)) {
    return value === null ? Prisma.sql`${ref} IS NOT NULL` : Prisma.sql`${ref} <> ${value}`;
  }
  if (operator in COMPARISONS && isValue(value) && value !== null) {
    return Prisma.sql`${ref} ${Prisma.raw(COMPARISONS[operator])} ${value}`;
  }
  if (operator === 'in' && Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    // One parameter whatever the number of values (an API key's projects): PostgreSQL gives it
    // the column's array type.
    return value.length ? Prisma.sql`${ref} = ANY(${value})` : Prisma.sql`FALSE`;
  }
  if (operator === 'has' && typeof value === 'string') return Prisma.sql`${value}::text = ANY(${ref})`;
  return null;
}

const equals = (ref: Prisma.Sql, value: unknown) =>
  value === null ? Prisma.sql`${ref} IS NULL` : Prisma.sql`${ref} = ${value}`;
