import type { ObjectRef } from '@pothos/core';
import { builder, pageSize } from './builder.ts';

type TotalCount = number | (() => number | Promise<number>) | undefined;

/**
 * One `XConnection` / `XEdge` pair per node type, shared by the root field and every
 * relation that lists X, so clients can reuse fragments. `totalCount` is only computed
 * when selected (the Prisma plugin reads the `pothosPrismaTotalCount` marker).
 */
export function connectionFor<T>(ref: ObjectRef<any, T>, name: string) {
  return builder.connectionObject(
    {
      type: ref,
      name: `${name}Connection`,
      fields: (t) => ({
        totalCount: t.int({
          description: 'Number of items matching the filters, across all pages.',
          extensions: { pothosPrismaTotalCount: true },
          resolve: async (connection) => {
            const totalCount = (connection as unknown as { totalCount: TotalCount }).totalCount;
            return (typeof totalCount === 'function' ? await totalCount() : totalCount) ?? 0;
          },
        }),
      }),
    },
    { name: `${name}Edge` },
  );
}

/** Options every relation connection shares: id cursors, totalCount, the page-size guard. */
export const relatedConnectionDefaults = { cursor: 'id', totalCount: true, maxSize: pageSize } as const;
