import { scope } from '../../auth/scope.ts';
import { withUserErrors } from '../../core/user-errors.ts';
import { builder } from '../../graphql/builder.ts';
import { EXTERNAL_ID } from '../../graphql/external-id.ts';
import { rowId } from '../../graphql/input-ids.ts';
import { payloadFields } from '../../graphql/payloads.ts';
import { MAX_BULK_ITEMS } from '../sync/bulk-upsert.service.ts';
import { PersonRef } from './person.type.ts';
import { upsertPeople, upsertPerson } from './person.upsert.service.ts';

const WHO = 'Owners and admins, and API keys with canWritePeople (not project admins).';

builder.queryField('personByExternalId', (t) =>
  t.prismaField({
    type: 'Person',
    nullable: true,
    description:
      'The person with this externalId; null when there is none or they are outside what the caller may see.',
    authScopes: { read: 'PEOPLE' },
    args: { externalId: t.arg.string({ required: true, description: EXTERNAL_ID.lookup }) },
    resolve: (query, _root, { externalId }, ctx) =>
      ctx.prisma.person.findFirst({
        ...query,
        where: { externalId: externalId.trim(), AND: [scope.person(ctx.principal)] },
      }),
  }),
);

const UpsertPersonInput = builder.inputType('UpsertPersonInput', {
  description: 'A person of the directory named by their externalId, with the fields of createPerson.',
  fields: (t) => ({
    externalId: t.string({ required: true, description: EXTERNAL_ID.upsert }),
    name: t.string({ required: true }),
    email: t.field({
      type: 'EmailAddress',
      required: true,
      description: 'Unique within the organisation (compared and stored lower-case).',
    }),
    employeeId: t.string({
      required: false,
      description:
        'Unique within the organisation. On update: omit to keep, null to clear (so for title and department).',
    }),
    title: t.string({ required: false }),
    department: t.string({ required: false }),
    managerId: t.globalID({
      for: PersonRef,
      required: false,
      description:
        'On update: omit to keep, null to remove; another person who does not report to this one (no cycles).',
    }),
  }),
});
type UpsertPersonFields = typeof UpsertPersonInput.$inferInput;
const personInput = (input: UpsertPersonFields) => ({ ...input, managerId: rowId(input.managerId) });

builder.relayMutationField(
  'upsertPerson',
  UpsertPersonInput,
  {
    description: `Creates the person with this externalId (as createPerson), or updates them with the fields that differ (as updatePerson); sent again, it changes nothing. ${WHO}`,
    authScopes: { write: 'PEOPLE' },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() => upsertPerson(ctx, personInput(input as UpsertPersonFields))),
  },
  {
    outputFields: (t) => ({
      ...payloadFields(t, { person: PersonRef }),
      created: t.boolean({ description: EXTERNAL_ID.created, resolve: (payload) => payload.created ?? false }),
    }),
  },
);

builder.relayMutationField(
  'upsertPeople',
  {
    inputFields: (t) => ({
      people: t.field({
        type: [UpsertPersonInput],
        required: true,
        description: `1–${MAX_BULK_ITEMS} people, each with their own externalId.`,
      }),
    }),
  },
  {
    description: `upsertPerson for up to ${MAX_BULK_ITEMS} people in one transaction, all or nothing: a userError of any item (its field path names the item's index, e.g. ["input", "people", "3", "email"]) changes nothing. ${WHO}`,
    authScopes: { write: 'PEOPLE' },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() => upsertPeople(ctx, (input.people as UpsertPersonFields[]).map(personInput))),
  },
  {
    outputFields: (t) => ({
      ...payloadFields(t),
      people: t.field({
        type: [PersonRef],
        nullable: true,
        authScopes: { read: 'PEOPLE' },
        extensions: { listSize: MAX_BULK_ITEMS },
        description: 'The people in the order of the input; null when userErrors is not empty.',
        resolve: (payload) => payload.people ?? null,
      }),
    }),
  },
);
