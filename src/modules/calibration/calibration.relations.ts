import { builder } from '../../graphql/builder.ts';
import { scopedQuery } from '../../graphql/connections.ts';
import { relatedConnection } from '../../graphql/related-connection.ts';
import { PersonRef } from '../people/person.type.ts';
import { talentRecordFilterArgs, talentRecordSorts, talentRecordWhere } from './calibration.filters.ts';
import { CalibrationCycleRef, TalentRecordConnection } from './calibration.type.ts';
import { reaches } from '../../graphql/resources.ts';

/**
 * The relations that list talent records, with the filters of `Query.talentRecords`:
 * `CalibrationCycle.talentRecords` and `Person.talentRecords` (here rather than in
 * calibration.type.ts, whose cycle type the filters name).
 */
builder.prismaObjectField(CalibrationCycleRef, 'talentRecords', (t) =>
  relatedConnection(
    t,
    'records',
    {
      description: "The cycle's talent records of the people the caller may see.",
      args: talentRecordFilterArgs(t.arg),
      query: scopedQuery(talentRecordWhere, talentRecordSorts.orderOf),
    },
    TalentRecordConnection,
  ),
);

builder.prismaObjectField(PersonRef, 'talentRecords', (t) =>
  relatedConnection(
    t,
    'talentRecords',
    {
      ...reaches('CALIBRATION'),
      description: "This person's talent records, one per calibration cycle.",
      args: talentRecordFilterArgs(t.arg),
      query: scopedQuery(talentRecordWhere, talentRecordSorts.orderOf),
    },
    TalentRecordConnection,
  ),
);
