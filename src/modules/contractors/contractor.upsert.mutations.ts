import { scope } from '../../auth/scope.ts';
import { withUserErrors } from '../../core/user-errors.ts';
import { builder } from '../../graphql/builder.ts';
import { ApprovalStatusEnum } from '../../graphql/enums.ts';
import { EXTERNAL_ID } from '../../graphql/external-id.ts';
import { rowId, rowIds } from '../../graphql/input-ids.ts';
import { payloadFields } from '../../graphql/payloads.ts';
import { ProjectRef } from '../projects/project.type.ts';
import { MAX_BULK_ITEMS } from '../sync/bulk-upsert.service.ts';
import { ContractorRef } from './contractor.type.ts';
import { upsertContractor, upsertContractors, upsertWorker } from './contractor.upsert.service.ts';
import { WorkerRef } from './worker.type.ts';

const KEY_RULE =
  'Admins, and API keys that allow writes (contractors on their projects; a record outside them is TAKEN, a project outside them NOT_FOUND).';

builder.queryField('contractorByExternalId', (t) =>
  t.prismaField({
    type: 'Contractor',
    nullable: true,
    description:
      'The contractor with this externalId; null when there is none or it is outside what the caller may see.',
    authScopes: { read: 'CONTRACTORS' },
    args: { externalId: t.arg.string({ required: true, description: EXTERNAL_ID.lookup }) },
    resolve: (query, _root, { externalId }, ctx) =>
      ctx.prisma.contractor.findFirst({
        ...query,
        where: { externalId: externalId.trim(), AND: [scope.contractor(ctx.principal)] },
      }),
  }),
);

builder.queryField('workerByExternalId', (t) =>
  t.prismaField({
    type: 'Worker',
    nullable: true,
    description: 'The worker with this externalId; null when there is none or it is outside what the caller may see.',
    authScopes: { read: 'WORKERS' },
    args: { externalId: t.arg.string({ required: true, description: EXTERNAL_ID.lookup }) },
    resolve: (query, _root, { externalId }, ctx) =>
      ctx.prisma.worker.findFirst({
        ...query,
        where: { externalId: externalId.trim(), AND: [scope.worker(ctx.principal)] },
      }),
  }),
);

const UpsertContractorInput = builder.inputType('UpsertContractorInput', {
  description: 'A contractor named by its externalId, with the fields of createContractor.',
  fields: (t) => ({
    externalId: t.string({ required: true, description: EXTERNAL_ID.upsert }),
    name: t.string({ required: true }),
    projectIds: t.globalIDList({
      for: ProjectRef,
      required: true,
      description:
        'At least one project; an API key may name only its own. On update, the contractor is added to those it is not on yet; it keeps the others.',
    }),
    address: t.string({
      required: false,
      description: 'On update: omit to keep, null (or blank) to clear; so for city, state and zip.',
    }),
    city: t.string({ required: false }),
    state: t.string({ required: false }),
    zip: t.string({ required: false }),
    tags: t.stringList({
      required: false,
      description: 'Trimmed and de-duplicated; at most 20. On update: replaces the list; omit to keep.',
    }),
    autoApprove: t.boolean({
      required: false,
      description: 'Defaults to false on create; omit or null to keep on update.',
    }),
    approvalStatus: t.field({
      type: ApprovalStatusEnum,
      required: false,
      description: 'Defaults to NEW on create; omit or null to keep on update.',
    }),
    contractorComplianceScore: t.int({
      required: false,
      description: '0–100; on update: omit to keep, null to clear.',
    }),
    employeeComplianceScore: t.int({ required: false, description: '0–100; on update: omit to keep, null to clear.' }),
  }),
});
type UpsertContractorFields = typeof UpsertContractorInput.$inferInput;
const contractorInput = (input: UpsertContractorFields) => ({ ...input, projectIds: rowIds(input.projectIds) });

builder.relayMutationField(
  'upsertContractor',
  UpsertContractorInput,
  {
    description: `Creates the contractor with this externalId (as createContractor), or updates it with what differs (as updateContractor, addContractorToProject and setContractorApprovalStatus); sent again, it changes nothing. ${KEY_RULE}`,
    authScopes: { write: 'CONTRACTORS' },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() => upsertContractor(ctx, contractorInput(input as UpsertContractorFields))),
  },
  {
    outputFields: (t) => ({
      ...payloadFields(t, { contractor: ContractorRef }),
      created: t.boolean({ description: EXTERNAL_ID.created, resolve: (payload) => payload.created ?? false }),
    }),
  },
);

builder.relayMutationField(
  'upsertContractors',
  {
    inputFields: (t) => ({
      contractors: t.field({
        type: [UpsertContractorInput],
        required: true,
        description: `1–${MAX_BULK_ITEMS} contractors, each with its own externalId.`,
      }),
    }),
  },
  {
    description: `upsertContractor for up to ${MAX_BULK_ITEMS} contractors in one transaction, all or nothing: a userError of any item (its field path names the item's index, e.g. ["input", "contractors", "3", "name"]) changes nothing. ${KEY_RULE}`,
    authScopes: { write: 'CONTRACTORS' },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() =>
        upsertContractors(ctx, (input.contractors as UpsertContractorFields[]).map(contractorInput)),
      ),
  },
  {
    outputFields: (t) => ({
      ...payloadFields(t),
      contractors: t.field({
        type: [ContractorRef],
        nullable: true,
        authScopes: { read: 'CONTRACTORS' },
        extensions: { listSize: MAX_BULK_ITEMS },
        description: 'The contractors in the order of the input; null when userErrors is not empty.',
        resolve: (payload) => payload.contractors ?? null,
      }),
    }),
  },
);

const UpsertWorkerInput = builder.inputType('UpsertWorkerInput', {
  description: 'A worker named by its externalId, with the fields of createWorker.',
  fields: (t) => ({
    externalId: t.string({ required: true, description: EXTERNAL_ID.upsert }),
    contractorId: t.globalID({
      for: ContractorRef,
      required: true,
      description:
        'An API key may name only a contractor of its projects. On update, a different contractor moves the worker.',
    }),
    firstName: t.string({ required: true }),
    lastName: t.string({ required: true }),
    email: t.field({ type: 'EmailAddress', required: false, description: 'On update: omit to keep, null to clear.' }),
    phone: t.string({ required: false, description: 'On update: omit to keep, null (or blank) to clear.' }),
    trade: t.string({ required: false, description: 'On update: omit to keep, null (or blank) to clear.' }),
  }),
});
type UpsertWorkerFields = typeof UpsertWorkerInput.$inferInput;

builder.relayMutationField(
  'upsertWorker',
  UpsertWorkerInput,
  {
    description: `Creates the worker with this externalId (as createWorker), or updates it with the fields that differ (as updateWorker); sent again, it changes nothing. ${KEY_RULE}`,
    authScopes: { write: 'WORKERS' },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() => {
        const fields = input as UpsertWorkerFields;
        return upsertWorker(ctx, { ...fields, contractorId: rowId(fields.contractorId) });
      }),
  },
  {
    outputFields: (t) => ({
      ...payloadFields(t, { worker: WorkerRef }),
      created: t.boolean({ description: EXTERNAL_ID.created, resolve: (payload) => payload.created ?? false }),
    }),
  },
);
