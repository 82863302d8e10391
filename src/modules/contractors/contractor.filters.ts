import type { Prisma } from '../../generated/prisma/client.ts';
import type { ApprovalStatus } from '../../generated/prisma/enums.ts';
import type { Principal } from '../../core/principal.ts';
import { scope } from '../../auth/scope.ts';
import { builder } from '../../graphql/builder.ts';
import { rowId, type DecodedGlobalId } from '../../graphql/input-ids.ts';
import { ApprovalStatusEnum } from '../../graphql/enums.ts';
import { CREATED_AND_UPDATED_AT, sortableBy } from '../../graphql/ordering.ts';
import { containsText } from '../../graphql/search-text.ts';

/** Filters shared by `Query.contractors` and `Project.contractors`; they combine with AND. */
export const contractorFilterArgs = builder.args((t) => ({
  status: t.field({ type: ApprovalStatusEnum, required: false, description: 'Approval status.' }),
  search: t.string({ required: false, description: 'Case-insensitive match on name or city.' }),
  tag: t.string({ required: false, description: 'Contractors carrying this exact tag.' }),
}));

/** `orderBy` of `Query.contractors` and `Project.contractors` (default: by name). */
export const contractorSorts = sortableBy(
  'Contractor',
  'contractors',
  {
    NAME: { description: 'Name.', columns: ['name'] },
    ...CREATED_AND_UPDATED_AT,
  },
  [{ name: 'asc' }, { id: 'asc' }],
);

interface ContractorFilter {
  status?: ApprovalStatus | null;
  search?: string | null;
  tag?: string | null;
  /** `Query.contractors` only. */
  projectId?: DecodedGlobalId | null;
}

function contractorFilter(principal: Principal, args: ContractorFilter): Prisma.ContractorWhereInput[] {
  const filters: Prisma.ContractorWhereInput[] = [];
  if (args.status) filters.push({ approvalStatus: args.status });
  if (args.tag) filters.push({ tags: { has: args.tag } });
  if (args.search) {
    filters.push({
      OR: [{ name: containsText(args.search) }, { city: containsText(args.search) }],
    });
  }
  // The project must be one the caller sees: a shared contractor must not reveal a hidden project.
  if (args.projectId) {
    filters.push({ projects: { some: { id: rowId(args.projectId), AND: [scope.project(principal)] } } });
  }
  return filters;
}

/** The contractors the principal may see that match the filters. */
export const contractorWhere = (principal: Principal, args: ContractorFilter): Prisma.ContractorWhereInput => ({
  AND: [scope.contractor(principal), ...contractorFilter(principal, args)],
});

/**
 * `Project.contractors`: every contractor of a project the caller sees is visible to them
 * (auth/scope.ts), so under such a project only the organisation and the filters apply, and
 * the page statement stays plain SQL (graphql/relation-pages.ts) for keys too.
 */
export const contractorOfVisibleProjectWhere = (
  principal: Principal,
  args: ContractorFilter,
): Prisma.ContractorWhereInput => ({
  AND: [{ organizationId: principal.organizationId }, ...contractorFilter(principal, args)],
});
