import type { Prisma } from '../../generated/prisma/client.ts';
import type { GoalStatus } from '../../generated/prisma/enums.ts';
import type { Principal } from '../../core/principal.ts';
import { scope } from '../../auth/scope.ts';
import type { Arg } from '../../graphql/builder.ts';
import { GoalStatusEnum } from '../../graphql/enums.ts';
import { rowId, type DecodedGlobalId } from '../../graphql/input-ids.ts';
import { PersonRef } from '../people/person.type.ts';
import { ProjectRef } from '../projects/project.type.ts';
import { CREATED_AND_UPDATED_AT, sortableBy } from '../../graphql/ordering.ts';

type Ref = DecodedGlobalId | null | undefined;

/** `orderBy` of the lists of goals (the root list and the relations that share its filters). */
export const goalSorts = sortableBy(
  'Goal',
  'goals',
  {
    TITLE: { description: 'Title.', columns: ['title'] },
    DUE_ON: { description: 'Due day; goals without one come last.', columns: ['dueOn'], nullable: true },
    ...CREATED_AND_UPDATED_AT,
  },
  [{ id: 'asc' }],
);

/** Filters of `Query.goals`, `Project.goals` and `Person.goals`; they combine with AND. */
export const goalFilterArgs = (arg: Arg) => ({
  orderBy: goalSorts.arg(arg),
  status: arg({ type: GoalStatusEnum, required: false }),
  ownerId: arg.globalID({ for: PersonRef, required: false, description: 'Goals owned by this person.' }),
  projectId: arg.globalID({ for: ProjectRef, required: false, description: 'Goals of this project.' }),
  dueBefore: arg({ type: 'Date', required: false, description: 'Goals due on or before this day.' }),
});

interface GoalFilter {
  status?: GoalStatus | null;
  ownerId?: Ref;
  projectId?: Ref;
  dueBefore?: Date | null;
}

function goalFilter(args: GoalFilter): Prisma.GoalWhereInput[] {
  const filters: Prisma.GoalWhereInput[] = [];
  if (args.status) filters.push({ status: args.status });
  if (args.ownerId) filters.push({ ownerId: rowId(args.ownerId) });
  if (args.projectId) filters.push({ projectId: rowId(args.projectId) });
  if (args.dueBefore) filters.push({ dueOn: { lte: args.dueBefore } });
  return filters;
}

/** The goals the principal may see that match the filters. */
export const goalWhere = (principal: Principal, args: GoalFilter): Prisma.GoalWhereInput => ({
  AND: [scope.goal(principal), ...goalFilter(args)],
});
