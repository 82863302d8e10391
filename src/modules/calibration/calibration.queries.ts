import { builder } from '../../graphql/builder.ts';
import { scopedConnection } from '../../graphql/connections.ts';
import {
  calibrationCycleFilterArgs,
  calibrationCycleSorts,
  calibrationCycleWhere,
  talentRecordFilterArgs,
  talentRecordSorts,
  talentRecordWhere,
} from './calibration.filters.ts';
import { CalibrationCycleConnection, TalentRecordConnection } from './calibration.type.ts';

builder.queryField('calibrationCycles', (t) =>
  scopedConnection(
    t,
    {
      type: 'CalibrationCycle',
      description:
        "The organisation's calibration cycles, newest start first. Visible to every admin and API key of the organisation.",
      authScopes: { read: 'CALIBRATION' },
      args: calibrationCycleFilterArgs(t.arg),
      where: calibrationCycleWhere,
      sortable: calibrationCycleSorts,
    },
    CalibrationCycleConnection,
  ),
);

builder.queryField('talentRecords', (t) =>
  scopedConnection(
    t,
    {
      type: 'TalentRecord',
      description:
        'Talent records of the people the caller may see (an API key: people linked to its projects), oldest first. ' +
        'Filters combine with AND.',
      authScopes: { read: 'CALIBRATION' },
      updatedSince: true,
      args: talentRecordFilterArgs(t.arg),
      where: talentRecordWhere,
      orderBy: talentRecordSorts.orderOf,
    },
    TalentRecordConnection,
  ),
);
