/**
 * A `contains` condition that takes the client's search text literally. Prisma passes the
 * text into `ILIKE '%…%'` unescaped, where `%` and `_` are wildcards and `\` the escape
 * character; each is escaped so that it matches only itself (where-sql.ts keeps the same
 * pattern for nested pages).
 */
export const containsText = (text: string) =>
  ({ contains: text.replace(/[\\%_]/g, '\\$&'), mode: 'insensitive' }) as const;
