import type { Prisma } from '../../generated/prisma/client.ts';
import type { Principal } from '../../core/principal.ts';
import { scope } from '../../auth/scope.ts';
import { builder } from '../../graphql/builder.ts';
import { CREATED_AND_UPDATED_AT, sortableBy } from '../../graphql/ordering.ts';
import { rowId, type DecodedGlobalId } from '../../graphql/input-ids.ts';
import { containsText } from '../../graphql/search-text.ts';

/** Filters shared by `Query.workers` and `Contractor.workers`. */
export const workerFilterArgs = builder.args((t) => ({
  search: t.string({ required: false, description: 'Case-insensitive match on first or last name, email or trade.' }),
}));

interface WorkerFilter {
  search?: string | null;
  /** `Query.workers` only. */
  contractorId?: DecodedGlobalId | null;
}

function workerFilter(args: WorkerFilter): Prisma.WorkerWhereInput[] {
  const filters: Prisma.WorkerWhereInput[] = [];
  if (args.search) {
    const contains = containsText(args.search);
    filters.push({ OR: [{ firstName: contains }, { lastName: contains }, { email: contains }, { trade: contains }] });
  }
  if (args.contractorId) filters.push({ contractorId: rowId(args.contractorId) });
  return filters;
}

/** The workers the principal may see that match the filters. */
export const workerWhere = (principal: Principal, args: WorkerFilter): Prisma.WorkerWhereInput => ({
  AND: [scope.worker(principal), ...workerFilter(args)],
});

/** `Contractor.workers`: every worker of a contractor the caller sees is visible too (auth/scope.ts). */
export const workerOfVisibleContractorWhere = (principal: Principal, args: WorkerFilter): Prisma.WorkerWhereInput => ({
  AND: [{ organizationId: principal.organizationId }, ...workerFilter(args)],
});

/** `orderBy` of `Query.workers` and `Contractor.workers` (default: by last name, first name). */
export const workerSorts = sortableBy(
  'Worker',
  'workers',
  {
    NAME: { description: 'Last name, then first name.', columns: ['lastName', 'firstName'] },
    ...CREATED_AND_UPDATED_AT,
  },
  [{ lastName: 'asc' }, { firstName: 'asc' }, { id: 'asc' }],
);
