import type { Prisma } from '../../generated/prisma/client.ts';
import type { Principal } from '../../core/principal.ts';
import { scope } from '../../auth/scope.ts';
import type { Arg } from '../../graphql/builder.ts';
import { CREATED_AND_UPDATED_AT, sortableBy } from '../../graphql/ordering.ts';
import { containsText } from '../../graphql/search-text.ts';

/** `orderBy` of the lists of persons (the root list and the relations that share its filters). */
export const personSorts = sortableBy(
  'Person',
  'people',
  {
    NAME: { description: 'Name.', columns: ['name'] },
    ...CREATED_AND_UPDATED_AT,
  },
  [{ name: 'asc' }, { id: 'asc' }],
);

/** Filters of `Query.people` and `Person.reports`. */
export const personFilterArgs = (arg: Arg) => ({
  orderBy: personSorts.arg(arg),
  search: arg.string({
    required: false,
    description: 'Case-insensitive match on name or email, or an exact employee id.',
  }),
  department: arg.string({ required: false, description: 'Exact department.' }),
});

interface PersonFilter {
  search?: string | null;
  department?: string | null;
}

function personFilter(args: PersonFilter): Prisma.PersonWhereInput[] {
  const filters: Prisma.PersonWhereInput[] = [];
  if (args.department) filters.push({ department: args.department });
  if (args.search) {
    filters.push({
      OR: [{ name: containsText(args.search) }, { email: containsText(args.search) }, { employeeId: args.search }],
    });
  }
  return filters;
}

/** The people the principal may see that match the filters. */
export const personWhere = (principal: Principal, args: PersonFilter): Prisma.PersonWhereInput => ({
  AND: [scope.person(principal), ...personFilter(args)],
});
