import type { Prisma } from '../../generated/prisma/client.ts';
import type { CalibrationCycleStatus, TalentPotential } from '../../generated/prisma/enums.ts';
import type { Principal } from '../../core/principal.ts';
import { scope } from '../../auth/scope.ts';
import type { Arg } from '../../graphql/builder.ts';
import { rowId, type DecodedGlobalId } from '../../graphql/input-ids.ts';
import { CREATED_AND_UPDATED_AT, sortableBy } from '../../graphql/ordering.ts';
import { PersonRef } from '../people/person.type.ts';
import { CalibrationCycleRef, CalibrationCycleStatusEnum, TalentPotentialEnum } from './calibration.type.ts';

type Ref = DecodedGlobalId | null | undefined;

/** `orderBy` of `Query.calibrationCycles` (default: newest start first). */
export const calibrationCycleSorts = sortableBy(
  'CalibrationCycle',
  'calibration cycles',
  {
    STARTS_ON: { description: 'First day of the cycle.', columns: ['startsOn'] },
    NAME: { description: 'Name.', columns: ['name'] },
    ...CREATED_AND_UPDATED_AT,
  },
  [{ startsOn: 'desc' }, { id: 'desc' }],
);

/** Filters of `Query.calibrationCycles`. */
export const calibrationCycleFilterArgs = (arg: Arg) => ({
  status: arg({ type: CalibrationCycleStatusEnum, required: false, description: 'Only cycles in this status.' }),
});

interface CalibrationCycleFilter {
  status?: CalibrationCycleStatus | null;
}

/** The calibration cycles the principal may see (the organisation's) that match the filters. */
export const calibrationCycleWhere = (
  principal: Principal,
  args: CalibrationCycleFilter,
): Prisma.CalibrationCycleWhereInput => ({
  AND: [scope.calibrationCycle(principal), ...(args.status ? [{ status: args.status }] : [])],
});

/** `orderBy` of the lists of talent records (the root list and the relations that share its filters). */
export const talentRecordSorts = sortableBy(
  'TalentRecord',
  'talent records',
  {
    RATING: { description: 'Rating; unrated records come last.', columns: ['rating'], nullable: true },
    ...CREATED_AND_UPDATED_AT,
  },
  [{ id: 'asc' }],
);

/** Filters of `Query.talentRecords`, `CalibrationCycle.talentRecords` and `Person.talentRecords`; they combine with AND. */
export const talentRecordFilterArgs = (arg: Arg) => ({
  orderBy: talentRecordSorts.arg(arg),
  cycleId: arg.globalID({ for: CalibrationCycleRef, required: false, description: 'Only records of this cycle.' }),
  personId: arg.globalID({ for: PersonRef, required: false, description: 'Only records of this person.' }),
  potential: arg({ type: TalentPotentialEnum, required: false, description: 'Only records with this potential.' }),
});

interface TalentRecordFilter {
  cycleId?: Ref;
  personId?: Ref;
  potential?: TalentPotential | null;
}

/*
 * A cycle or person outside the caller's reach needs no check of its own here: the scope
 * already leaves out every record of a person the caller cannot see (and every other
 * organisation's), so such a filter lists nothing, exactly as an id that does not exist.
 */
function talentRecordFilter(args: TalentRecordFilter): Prisma.TalentRecordWhereInput[] {
  const filters: Prisma.TalentRecordWhereInput[] = [];
  if (args.cycleId) filters.push({ cycleId: rowId(args.cycleId) });
  if (args.personId) filters.push({ personId: rowId(args.personId) });
  if (args.potential) filters.push({ potential: args.potential });
  return filters;
}

/** The talent records the principal may see that match the filters. */
export const talentRecordWhere = (principal: Principal, args: TalentRecordFilter): Prisma.TalentRecordWhereInput => ({
  AND: [scope.talentRecord(principal), ...talentRecordFilter(args)],
});
