import { builder } from '../../graphql/builder.ts';
import { withUserErrors } from '../../core/user-errors.ts';
import { payloadFields } from '../../graphql/payloads.ts';
import { rowId } from '../../graphql/input-ids.ts';
import { PersonRef } from '../people/person.type.ts';
import {
  MAX_CYCLE_NAME_LENGTH,
  MAX_NOTES_LENGTH,
  RATING_MAX,
  RATING_MIN,
  createCalibrationCycle,
  setTalentRecord,
  updateCalibrationCycle,
} from './calibration.service.ts';
import {
  CalibrationCycleRef,
  CalibrationCycleStatusEnum,
  TalentPotentialEnum,
  TalentRecordRef,
} from './calibration.type.ts';

builder.relayMutationField(
  'createCalibrationCycle',
  {
    inputFields: (t) => ({
      name: t.string({
        required: true,
        description: `1–${MAX_CYCLE_NAME_LENGTH} characters, unique within the organisation.`,
      }),
      startsOn: t.field({ type: 'Date', required: true, description: 'First day of the cycle.' }),
      endsOn: t.field({ type: 'Date', required: true, description: 'Last day of the cycle; not before startsOn.' }),
      status: t.field({ type: CalibrationCycleStatusEnum, required: false, description: 'Defaults to PLANNED.' }),
    }),
  },
  {
    description: 'Creates a calibration cycle. Owners and admins only (not project admins, not API keys).',
    authScopes: { organizationAdmin: true },
    resolve: (_root, { input }, ctx) => withUserErrors(() => createCalibrationCycle(ctx, input)),
  },
  { outputFields: (t) => payloadFields(t, { calibrationCycle: CalibrationCycleRef }) },
);

builder.relayMutationField(
  'updateCalibrationCycle',
  {
    inputFields: (t) => ({
      id: t.globalID({ for: CalibrationCycleRef, required: true, description: 'The cycle to change.' }),
      name: t.string({
        required: false,
        description: 'Omit to keep; cannot be blank; unique within the organisation.',
      }),
      startsOn: t.field({ type: 'Date', required: false, description: 'Omit to keep; cannot be null.' }),
      endsOn: t.field({
        type: 'Date',
        required: false,
        description: 'Omit to keep; cannot be null; not before startsOn (the new or the stored one).',
      }),
      status: t.field({
        type: CalibrationCycleStatusEnum,
        required: false,
        description: 'Omit to keep. CLOSED freezes its talent records; setting OPEN again reopens them.',
      }),
    }),
  },
  {
    description:
      'Changes a calibration cycle. Omitted fields stay as they are. Owners and admins only (not project admins, not API keys).',
    authScopes: { organizationAdmin: true },
    resolve: (_root, { input: { id, ...input } }, ctx) =>
      withUserErrors(() => updateCalibrationCycle(ctx, rowId(id), input)),
  },
  { outputFields: (t) => payloadFields(t, { calibrationCycle: CalibrationCycleRef }) },
);

builder.relayMutationField(
  'setTalentRecord',
  {
    inputFields: (t) => ({
      cycleId: t.globalID({
        for: CalibrationCycleRef,
        required: true,
        description: 'A cycle of the organisation that is not CLOSED.',
      }),
      personId: t.globalID({ for: PersonRef, required: true, description: 'The person calibrated.' }),
      rating: t.int({
        required: false,
        description: `${RATING_MIN} (low) to ${RATING_MAX} (high). Omit to keep (null on a new record), null to clear.`,
      }),
      potential: t.field({
        type: TalentPotentialEnum,
        required: false,
        description: 'Omit to keep (null on a new record), null to clear.',
      }),
      notes: t.string({
        required: false,
        description: `At most ${MAX_NOTES_LENGTH} characters; sensitive (admins only). Omit to keep, null or blank to clear.`,
      }),
    }),
  },
  {
    description:
      "Creates or changes a person's talent record in a calibration cycle (one per person and cycle). A CLOSED " +
      'cycle takes no changes. Owners and admins only (not project admins, not API keys).',
    authScopes: { organizationAdmin: true },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() =>
        setTalentRecord(ctx, { ...input, cycleId: rowId(input.cycleId), personId: rowId(input.personId) }),
      ),
  },
  { outputFields: (t) => payloadFields(t, { talentRecord: TalentRecordRef }) },
);
