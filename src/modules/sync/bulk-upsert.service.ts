import type { RequestScope } from '../../core/request-scope.ts';
import { UserErrors, userError, type UserErrorShape } from '../../core/user-errors.ts';
import { inOneTransaction, withSavepoint } from '../../db/joined-transaction.ts';

/** The most items a bulk upsert (upsertGoals, upsertPeople, upsertContractors) takes. */
export const MAX_BULK_ITEMS = 100;

/**
 * How long a bulk upsert's transaction may run: a hundred upserts are a few hundred
 * statements, more than the default allows one interactive transaction.
 */
const BULK_TRANSACTION_TIMEOUT_MS = 60_000;

/**
 * Upserts every item in ONE transaction, all or nothing. Each item runs the single
 * upsert (the same rules, the same services) inside a savepoint, so that after an item is
 * refused, even by the database (a unique violation aborts a PostgreSQL transaction), the
 * next items still run and every item's userErrors are reported; their `field` is the
 * item's path (["input", "goals", "3", "title"]). Any userError rolls the whole batch back.
 * An externalId that comes twice is TAKEN on its second item (the first one decides).
 */
export async function upsertEach<Item extends { externalId: string }, Result>(
  ctx: RequestScope,
  list: string,
  items: Item[],
  upsertOne: (ctx: RequestScope, item: Item) => Promise<Result>,
): Promise<Result[]> {
  const listField = ['input', list];
  if (items.length === 0) throw new UserErrors([userError(listField, 'BLANK', `${list} needs at least one item.`)]);
  if (items.length > MAX_BULK_ITEMS) {
    throw new UserErrors([userError(listField, 'TOO_LONG', `At most ${MAX_BULK_ITEMS} ${list} in one request.`)]);
  }
  return inOneTransaction(
    ctx.prisma,
    async (client) => {
      const scoped: RequestScope = { ...ctx, prisma: client };
      const errors: UserErrorShape[] = [];
      const results: Result[] = [];
      const firstIndex = new Map<string, number>();
      for (const [index, item] of items.entries()) {
        const at = (field: string[] | null) => [...listField, String(index), ...(field ?? ['input']).slice(1)];
        const key = item.externalId.trim();
        const first = firstIndex.get(key);
        if (key && first !== undefined) {
          errors.push(
            userError(at(['input', 'externalId']), 'TAKEN', `Item ${first} of this request has the same externalId.`),
          );
          continue;
        }
        firstIndex.set(key, index);
        try {
          results.push(await withSavepoint(client, () => upsertOne(scoped, item)));
        } catch (error) {
          if (!(error instanceof UserErrors)) throw error;
          errors.push(...error.errors.map((e) => ({ ...e, field: at(e.field) })));
        }
      }
      if (errors.length) throw new UserErrors(errors);
      return results;
    },
    { timeout: BULK_TRANSACTION_TIMEOUT_MS },
  );
}
