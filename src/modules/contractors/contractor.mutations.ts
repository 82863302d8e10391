import { builder } from '../../graphql/builder.ts';
import { ApprovalStatusEnum, QualificationStatusEnum } from '../../graphql/enums.ts';
import { EXTERNAL_ID } from '../../graphql/external-id.ts';
import { withUserErrors } from '../../core/user-errors.ts';
import { payloadFields } from '../../graphql/payloads.ts';
import { rowId, rowIds } from '../../graphql/input-ids.ts';
import { ProjectRef } from '../projects/project.type.ts';
import { ContractorRef } from './contractor.type.ts';
import {
  EXPIRING_WITHIN_DAYS,
  addContractorToProject,
  addQualification,
  createContractor,
  createWorker,
  removeContractorFromProject,
  setContractorApprovalStatus,
  updateContractor,
  updateWorker,
} from './contractor.service.ts';
import { QualificationRef, WorkerRef } from './worker.type.ts';

const KEY_RULE = 'Admins, and API keys that allow writes (contractors on their projects; anything else is NOT_FOUND).';

builder.relayMutationField(
  'createContractor',
  {
    inputFields: (t) => ({
      name: t.string({ required: true }),
      projectIds: t.globalIDList({
        for: ProjectRef,
        required: true,
        description: 'At least one project. An API key may name only its own projects.',
      }),
      address: t.string({ required: false }),
      city: t.string({ required: false }),
      state: t.string({ required: false }),
      zip: t.string({ required: false }),
      tags: t.stringList({ required: false, description: 'Trimmed and de-duplicated; at most 20.' }),
      autoApprove: t.boolean({ required: false, description: 'Defaults to false.' }),
      approvalStatus: t.field({ type: ApprovalStatusEnum, required: false, description: 'Defaults to NEW.' }),
      contractorComplianceScore: t.int({ required: false, description: '0–100.' }),
      employeeComplianceScore: t.int({ required: false, description: '0–100.' }),
      externalId: t.string({ required: false, description: EXTERNAL_ID.create }),
    }),
  },
  {
    description: 'Creates a contractor on one or more projects. Admins, and API keys that allow writes.',
    authScopes: { write: 'CONTRACTORS' },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() => createContractor(ctx, { ...input, projectIds: rowIds(input.projectIds) })),
  },
  { outputFields: (t) => payloadFields(t, { contractor: ContractorRef }) },
);

builder.relayMutationField(
  'createWorker',
  {
    inputFields: (t) => ({
      contractorId: t.globalID({
        for: ContractorRef,
        required: true,
        description: 'An API key may name only a contractor of its projects.',
      }),
      firstName: t.string({ required: true }),
      lastName: t.string({ required: true }),
      email: t.field({ type: 'EmailAddress', required: false }),
      phone: t.string({ required: false }),
      trade: t.string({ required: false }),
      externalId: t.string({ required: false, description: EXTERNAL_ID.create }),
    }),
  },
  {
    description: "Adds a worker to a contractor's crew. Admins, and API keys that allow writes.",
    authScopes: { write: 'WORKERS' },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() => createWorker(ctx, { ...input, contractorId: rowId(input.contractorId) })),
  },
  { outputFields: (t) => payloadFields(t, { worker: WorkerRef }) },
);

builder.relayMutationField(
  'addQualification',
  {
    inputFields: (t) => ({
      workerId: t.globalID({ for: WorkerRef, required: true }),
      name: t.string({ required: true }),
      issuer: t.string({ required: true }),
      licenseNumber: t.string({ required: true, description: 'Sensitive: readable by admins only.' }),
      issuedOn: t.field({ type: 'Date', required: false }),
      expiresOn: t.field({ type: 'Date', required: false, description: 'Not before issuedOn.' }),
      status: t.field({
        type: QualificationStatusEnum,
        required: false,
        description: `Defaults from expiresOn: EXPIRED when past, EXPIRING within ${EXPIRING_WITHIN_DAYS} days, else VALID.`,
      }),
    }),
  },
  {
    description: "Adds a certificate or licence to a worker's record. Admins only.",
    authScopes: { admin: true },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() => addQualification(ctx, { ...input, workerId: rowId(input.workerId) })),
  },
  { outputFields: (t) => payloadFields(t, { qualification: QualificationRef }) },
);

builder.relayMutationField(
  'updateContractor',
  {
    inputFields: (t) => ({
      id: t.globalID({ for: ContractorRef, required: true }),
      name: t.string({ required: false, description: 'Omit to keep; cannot be blank or null.' }),
      address: t.string({
        required: false,
        description: 'Omit to keep, null (or blank) to clear; so for city, state and zip.',
      }),
      city: t.string({ required: false }),
      state: t.string({ required: false }),
      zip: t.string({ required: false }),
      tags: t.stringList({
        required: false,
        description: 'Replaces the list; trimmed and de-duplicated, at most 20. Omit to keep; null or [] clears.',
      }),
      autoApprove: t.boolean({ required: false, description: 'Omit to keep; cannot be null.' }),
      contractorComplianceScore: t.int({ required: false, description: '0–100; omit to keep, null to clear.' }),
      employeeComplianceScore: t.int({ required: false, description: '0–100; omit to keep, null to clear.' }),
      externalId: t.string({ required: false, description: EXTERNAL_ID.update }),
    }),
  },
  {
    description: `Changes a contractor. Omitted fields stay as they are; null clears an optional field. ${KEY_RULE}`,
    authScopes: { write: 'CONTRACTORS' },
    resolve: (_root, { input: { id, ...input } }, ctx) => withUserErrors(() => updateContractor(ctx, rowId(id), input)),
  },
  { outputFields: (t) => payloadFields(t, { contractor: ContractorRef }) },
);

builder.relayMutationField(
  'setContractorApprovalStatus',
  {
    inputFields: (t) => ({
      id: t.globalID({ for: ContractorRef, required: true }),
      approvalStatus: t.field({ type: ApprovalStatusEnum, required: true }),
    }),
  },
  {
    description: `Sets a contractor's approval status (any status may follow any other; setting the current one changes nothing). ${KEY_RULE}`,
    authScopes: { write: 'CONTRACTORS' },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() => setContractorApprovalStatus(ctx, rowId(input.id), input.approvalStatus)),
  },
  { outputFields: (t) => payloadFields(t, { contractor: ContractorRef }) },
);

for (const [name, link, description] of [
  [
    'addContractorToProject',
    addContractorToProject,
    `Links a contractor to a project; linking it again changes nothing. ${KEY_RULE}`,
  ],
  [
    'removeContractorFromProject',
    removeContractorFromProject,
    `Unlinks a contractor from a project. Its last project cannot be removed (PROJECT_REQUIRED); removing a project it is not on changes nothing. An API key that removes its own project from a contractor whose other projects are all outside its scope no longer sees the contractor: the payload's contractor is then null. ${KEY_RULE}`,
  ],
] as const) {
  builder.relayMutationField(
    name,
    {
      inputFields: (t) => ({
        contractorId: t.globalID({ for: ContractorRef, required: true }),
        projectId: t.globalID({
          for: ProjectRef,
          required: true,
          description: 'An API key may name only its own projects; another is a NOT_FOUND userError.',
        }),
      }),
    },
    {
      description,
      authScopes: { write: 'CONTRACTORS' },
      resolve: (_root, { input }, ctx) =>
        withUserErrors(() => link(ctx, { contractorId: rowId(input.contractorId), projectId: rowId(input.projectId) })),
    },
    { outputFields: (t) => payloadFields(t, { contractor: ContractorRef, project: ProjectRef }) },
  );
}

builder.relayMutationField(
  'updateWorker',
  {
    inputFields: (t) => ({
      id: t.globalID({ for: WorkerRef, required: true }),
      firstName: t.string({ required: false, description: 'Omit to keep; cannot be blank or null.' }),
      lastName: t.string({ required: false, description: 'Omit to keep; cannot be blank or null.' }),
      email: t.field({ type: 'EmailAddress', required: false, description: 'Omit to keep, null to clear.' }),
      phone: t.string({ required: false, description: 'Omit to keep, null (or blank) to clear.' }),
      trade: t.string({ required: false, description: 'Omit to keep, null (or blank) to clear.' }),
      contractorId: t.globalID({
        for: ContractorRef,
        required: false,
        description: 'Moves the worker to another contractor; an API key may name only a contractor of its projects.',
      }),
      externalId: t.string({ required: false, description: EXTERNAL_ID.update }),
    }),
  },
  {
    description: `Changes a worker. Omitted fields stay as they are; null clears an optional field. ${KEY_RULE}`,
    authScopes: { write: 'WORKERS' },
    resolve: (_root, { input: { id, contractorId, ...input } }, ctx) =>
      withUserErrors(() =>
        updateWorker(ctx, rowId(id), {
          ...input,
          contractorId: rowId(contractorId),
        }),
      ),
  },
  { outputFields: (t) => payloadFields(t, { worker: WorkerRef }) },
);
