import type { Prisma } from '../../generated/prisma/client.ts';
import { builder } from '../../graphql/builder.ts';

/** Filters shared by `Query.workers` and `Contractor.workers`. */
export const workerFilterArgs = builder.args((t) => ({
  search: t.string({ required: false, description: 'Case-insensitive match on first or last name, email or trade.' }),
}));

export function workerFilter(args: { search?: string | null }): Prisma.WorkerWhereInput[] {
  if (!args.search) return [];
  const contains = { contains: args.search, mode: 'insensitive' } as const;
  return [{ OR: [{ firstName: contains }, { lastName: contains }, { email: contains }, { trade: contains }] }];
}

export const workerOrder: Prisma.WorkerOrderByWithRelationInput[] = [
  { lastName: 'asc' },
  { firstName: 'asc' },
  { id: 'asc' },
];
