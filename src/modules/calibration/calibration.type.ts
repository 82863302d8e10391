import { scope } from '../../auth/scope.ts';
import { connectionFor } from '../../graphql/connections.ts';
import { builder } from '../../graphql/builder.ts';
import { reaches } from '../../graphql/resources.ts';

export const CalibrationCycleStatusEnum = builder.enumType('CalibrationCycleStatus', {
  description: 'Where a calibration cycle stands.',
  values: {
    PLANNED: { description: 'Announced; ratings are not being collected yet, but may already be entered.' },
    OPEN: { description: 'Under way: ratings, potential and notes are being entered and discussed.' },
    CLOSED: { description: 'Finished: its talent records are final and take no more changes.' },
  } as const,
});

export const TalentPotentialEnum = builder.enumType('TalentPotential', {
  description: "A calibration's judgement of how far a person could grow.",
  values: {
    LOW: { description: 'Well placed in the current role; little room or wish to grow beyond it.' },
    MEDIUM: { description: 'Could take on a larger role in time.' },
    HIGH: { description: 'Ready, or nearly ready, for a larger role.' },
  } as const,
});

export const CalibrationCycleRef = builder.prismaNode('CalibrationCycle', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [scope.calibrationCycle(ctx.principal)] }),
  description:
    'A calibration cycle: a period in which people are rated on performance and potential. Its name, period ' +
    'and status are organisation-wide and visible to every admin and API key of the organisation. ' +
    'Read-only for API keys.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Unique within the organisation, e.g. "2026 mid-year".' }),
    startsOn: t.expose('startsOn', { type: 'Date', description: 'First day of the cycle.' }),
    endsOn: t.expose('endsOn', { type: 'Date', description: 'Last day of the cycle; not before startsOn.' }),
    status: t.expose('status', { type: CalibrationCycleStatusEnum, description: 'Where the cycle stands.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the cycle was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When the cycle last changed.' }),
  }),
});

export const TalentRecordRef = builder.prismaNode('TalentRecord', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [scope.talentRecord(ctx.principal)] }),
  description:
    "One person's calibration in one cycle. Visible to whoever may see the person (an API key: people " +
    'linked to its projects); rating and potential are readable by API keys, notes by admins only. ' +
    'Read-only for API keys.',
  fields: (t) => ({
    cycle: t.relation('cycle', { description: 'The calibration cycle this record belongs to.' }),
    person: t.relation('person', { ...reaches('PEOPLE'), description: 'The person calibrated.' }),
    rating: t.exposeInt('rating', {
      nullable: true,
      description: 'Performance rating from 1 (low) to 5 (high); null until rated.',
    }),
    potential: t.expose('potential', {
      type: TalentPotentialEnum,
      nullable: true,
      description: 'Judged potential; null until judged.',
    }),
    notes: t.exposeString('notes', {
      nullable: true,
      description:
        "Sensitive: the calibration discussion's notes. Admins only; null with a FORBIDDEN error for API keys.",
      authScopes: { admin: true },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the record was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When the record last changed.' }),
  }),
});

export const CalibrationCycleConnection = connectionFor(CalibrationCycleRef, 'CalibrationCycle');

export const TalentRecordConnection = connectionFor(TalentRecordRef, 'TalentRecord');
