import DataLoader from 'dataloader';
import type { Person } from '../generated/prisma/client.ts';
import { scope } from '../auth/scope.ts';
import type { RequestScope } from '../core/request-scope.ts';

/** Per-request DataLoaders for lookups that are not plain Prisma relations. */
export function createLoaders({ prisma, principal }: RequestScope) {
  const batches = new Map<string, DataLoader<string, unknown>>();
  return {
    /** People by id, limited to what the principal may see (e.g. `Person.manager`). */
    visiblePerson: new DataLoader<string, Person | null>(async (ids) => {
      const rows = await prisma.person.findMany({ where: { id: { in: [...ids] }, AND: [scope.person(principal)] } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    /**
     * The request's loader named `key`, made by `load` on first use: one batch per key, e.g.
     * one statement per nested connection field of the operation, whatever the number of parents.
     */
    batch<Value>(key: string, load: (ids: readonly string[]) => Promise<Value[]>): DataLoader<string, Value> {
      let loader = batches.get(key);
      if (!loader) batches.set(key, (loader = new DataLoader(load)));
      return loader as DataLoader<string, Value>;
    },
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
