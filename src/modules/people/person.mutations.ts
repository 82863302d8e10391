import { builder } from '../../graphql/builder.ts';
import { withUserErrors } from '../../core/user-errors.ts';
import { payloadFields } from '../../graphql/payloads.ts';
import { EXTERNAL_ID } from '../../graphql/external-id.ts';
import { rowId } from '../../graphql/input-ids.ts';
import { createPerson, updatePerson } from './person.service.ts';
import { PersonRef } from './person.type.ts';

builder.relayMutationField(
  'createPerson',
  {
    inputFields: (t) => ({
      name: t.string({ required: true }),
      email: t.field({
        type: 'EmailAddress',
        required: true,
        description: 'Unique within the organisation (compared and stored lower-case).',
      }),
      employeeId: t.string({ required: false, description: 'Unique within the organisation.' }),
      title: t.string({ required: false }),
      department: t.string({ required: false }),
      managerId: t.globalID({ for: PersonRef, required: false }),
      externalId: t.string({ required: false, description: EXTERNAL_ID.create }),
    }),
  },
  {
    description:
      'Adds a person to the directory. Owners and admins, and API keys with canWritePeople (not project admins).',
    authScopes: { write: 'PEOPLE' },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() => createPerson(ctx, { ...input, managerId: rowId(input.managerId) ?? null })),
  },
  { outputFields: (t) => payloadFields(t, { person: PersonRef }) },
);

builder.relayMutationField(
  'updatePerson',
  {
    inputFields: (t) => ({
      id: t.globalID({ for: PersonRef, required: true }),
      name: t.string({ required: false, description: 'Omit to keep; cannot be blank.' }),
      email: t.field({
        type: 'EmailAddress',
        required: false,
        description: 'Omit to keep; unique within the organisation (compared and stored lower-case).',
      }),
      employeeId: t.string({
        required: false,
        description: 'Omit to keep, null to clear; unique within the organisation.',
      }),
      title: t.string({ required: false, description: 'Omit to keep, null to clear.' }),
      department: t.string({ required: false, description: 'Omit to keep, null to clear.' }),
      managerId: t.globalID({
        for: PersonRef,
        required: false,
        description:
          'Omit to keep, null to remove. Another person of the organisation who does not report to this one (no cycles).',
      }),
      externalId: t.string({ required: false, description: EXTERNAL_ID.update }),
    }),
  },
  {
    description:
      'Changes a person of the directory. Omitted fields stay as they are. Owners and admins, and API keys with canWritePeople (not project admins).',
    authScopes: { write: 'PEOPLE' },
    resolve: (_root, { input: { id, managerId, ...input } }, ctx) =>
      withUserErrors(() =>
        updatePerson(ctx, rowId(id), {
          ...input,
          managerId: rowId(managerId),
        }),
      ),
  },
  { outputFields: (t) => payloadFields(t, { person: PersonRef }) },
);
