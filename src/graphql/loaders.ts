import DataLoader from 'dataloader';
import type { Person } from '../generated/prisma/client.ts';
import { scope } from '../auth/scope.ts';
import type { RequestScope } from '../core/request-scope.ts';

/** Per-request DataLoaders for lookups that are not plain Prisma relations. */
export function createLoaders({ prisma, principal }: RequestScope) {
  const memo = new Map<string, unknown>();
  return {
    /** People by id, limited to what the principal may see (e.g. `Person.manager`). */
    visiblePerson: new DataLoader<string, Person | null>(async (ids) => {
      const rows = await prisma.person.findMany({ where: { id: { in: [...ids] }, AND: [scope.person(principal)] } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    /**
     * What `make` made for `key` the first time this request asked: e.g. one loader per nested
     * connection field of the operation, so one statement whatever the number of parents.
     */
    once<Value>(key: string, make: () => Value): Value {
      if (!memo.has(key)) memo.set(key, make());
      return memo.get(key) as Value;
    },
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
