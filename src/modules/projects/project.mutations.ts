import { builder } from '../../graphql/builder.ts';
import { ProjectStatusEnum } from '../../graphql/enums.ts';
import { EXTERNAL_ID } from '../../graphql/external-id.ts';
import { withUserErrors } from '../../core/user-errors.ts';
import { payloadFields } from '../../graphql/payloads.ts';
import { rowId } from '../../graphql/input-ids.ts';
import { createProject, updateProject } from './project.service.ts';
import { ProjectRef } from './project.type.ts';

builder.relayMutationField(
  'createProject',
  {
    inputFields: (t) => ({
      name: t.string({ required: true }),
      code: t.string({ required: true, description: 'Short code, unique within the organisation.' }),
      status: t.field({ type: ProjectStatusEnum, required: false, description: 'Defaults to ACTIVE.' }),
      addressLine1: t.string({ required: false }),
      addressLine2: t.string({ required: false }),
      city: t.string({ required: false }),
      state: t.string({ required: false }),
      zip: t.string({ required: false }),
      country: t.string({ required: false }),
      startsOn: t.field({ type: 'Date', required: false }),
      endsOn: t.field({ type: 'Date', required: false, description: 'Not before startsOn.' }),
      externalId: t.string({ required: false, description: EXTERNAL_ID.create }),
    }),
  },
  {
    description: 'Creates a project. Owners and admins only (not project admins).',
    authScopes: { organizationAdmin: true },
    resolve: (_root, { input }, ctx) => withUserErrors(() => createProject(ctx, input)),
  },
  { outputFields: (t) => payloadFields(t, { project: ProjectRef }) },
);

builder.relayMutationField(
  'updateProject',
  {
    inputFields: (t) => ({
      id: t.globalID({ for: ProjectRef, required: true }),
      name: t.string({ required: false, description: 'Omit to keep; cannot be blank.' }),
      code: t.string({ required: false, description: 'Omit to keep; unique within the organisation.' }),
      status: t.field({ type: ProjectStatusEnum, required: false }),
      addressLine1: t.string({
        required: false,
        description: 'Omit to keep, null to clear (so for every address field).',
      }),
      addressLine2: t.string({ required: false }),
      city: t.string({ required: false }),
      state: t.string({ required: false }),
      zip: t.string({ required: false }),
      country: t.string({ required: false }),
      startsOn: t.field({ type: 'Date', required: false, description: 'Omit to keep, null to clear.' }),
      endsOn: t.field({
        type: 'Date',
        required: false,
        description: 'Omit to keep, null to clear; not before startsOn (the new or the stored one).',
      }),
      externalId: t.string({ required: false, description: EXTERNAL_ID.update }),
    }),
  },
  {
    description:
      'Changes a project. Omitted fields stay as they are; null clears an optional field. Admins only (a project admin: their projects).',
    authScopes: { admin: true },
    resolve: (_root, { input: { id, ...input } }, ctx) => withUserErrors(() => updateProject(ctx, rowId(id), input)),
  },
  { outputFields: (t) => payloadFields(t, { project: ProjectRef }) },
);
