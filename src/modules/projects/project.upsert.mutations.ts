import { scope } from '../../auth/scope.ts';
import { withUserErrors } from '../../core/user-errors.ts';
import { builder } from '../../graphql/builder.ts';
import { ProjectStatusEnum } from '../../graphql/enums.ts';
import { EXTERNAL_ID } from '../../graphql/external-id.ts';
import { payloadFields } from '../../graphql/payloads.ts';
import { upsertProject } from './project.upsert.service.ts';
import { ProjectRef } from './project.type.ts';

builder.queryField('projectByExternalId', (t) =>
  t.prismaField({
    type: 'Project',
    nullable: true,
    description: 'The project with this externalId; null when there is none or it is outside what the caller may see.',
    authScopes: { read: 'PROJECTS' },
    args: { externalId: t.arg.string({ required: true, description: EXTERNAL_ID.lookup }) },
    resolve: (query, _root, { externalId }, ctx) =>
      ctx.prisma.project.findFirst({
        ...query,
        where: { externalId: externalId.trim(), AND: [scope.project(ctx.principal)] },
      }),
  }),
);

const UpsertProjectInput = builder.inputType('UpsertProjectInput', {
  description: 'A project named by its externalId, with the fields of createProject.',
  fields: (t) => ({
    externalId: t.string({ required: true, description: EXTERNAL_ID.upsert }),
    name: t.string({ required: true }),
    code: t.string({ required: true, description: 'Short code, unique within the organisation.' }),
    status: t.field({
      type: ProjectStatusEnum,
      required: false,
      description: 'Defaults to ACTIVE on create; omit or null to keep on update.',
    }),
    addressLine1: t.string({
      required: false,
      description: 'On update: omit to keep, null to clear (so for every address field and the dates).',
    }),
    addressLine2: t.string({ required: false }),
    city: t.string({ required: false }),
    state: t.string({ required: false }),
    zip: t.string({ required: false }),
    country: t.string({ required: false }),
    startsOn: t.field({ type: 'Date', required: false }),
    endsOn: t.field({ type: 'Date', required: false, description: 'Not before startsOn.' }),
  }),
});

builder.relayMutationField(
  'upsertProject',
  UpsertProjectInput,
  {
    description:
      'Creates the project with this externalId (as createProject), or updates it (as updateProject) with the fields that differ; sent again, it changes nothing. Owners and admins only.',
    authScopes: { organizationAdmin: true },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() => upsertProject(ctx, input as typeof UpsertProjectInput.$inferInput)),
  },
  {
    outputFields: (t) => ({
      ...payloadFields(t, { project: ProjectRef }),
      created: t.boolean({ description: EXTERNAL_ID.created, resolve: (payload) => payload.created ?? false }),
    }),
  },
);
