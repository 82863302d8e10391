import type { Contractor, Worker } from '../../generated/prisma/client.ts';
import { requireVisible } from '../../auth/visible.ts';
import { changedFields, type FieldKind } from '../../core/external-id.ts';
import type { RequestScope } from '../../core/request-scope.ts';
import { InputCheck } from '../../core/user-errors.ts';
import { upsertEach } from '../sync/bulk-upsert.service.ts';
import { upsertByExternalId } from '../sync/upsert.service.ts';
import {
  addContractorToProject,
  createContractor,
  createWorker,
  setContractorApprovalStatus,
  updateContractor,
  updateWorker,
  type CreateContractorInput,
  type CreateWorkerInput,
} from './contractor.service.ts';

export interface UpsertContractorInput extends Omit<CreateContractorInput, 'externalId'> {
  externalId: string;
}

/** How the fields updateContractor changes compare with the stored contractor (core/external-id.ts). */
const CONTRACTOR_FIELDS = {
  name: 'text',
  address: 'optionalText',
  city: 'optionalText',
  state: 'optionalText',
  zip: 'optionalText',
  tags: 'tags',
  autoApprove: 'defaulted',
  contractorComplianceScore: 'value',
  employeeComplianceScore: 'value',
} as const satisfies Partial<Record<keyof UpsertContractorInput, FieldKind>>;

/**
 * Creates the contractor with this externalId (createContractor), or brings the stored one
 * in line with the input: updateContractor for the fields that differ,
 * addContractorToProject for each named project it is not on yet (projects it has and the
 * input does not name stay: removing is removeContractorFromProject's), and
 * setContractorApprovalStatus when the status differs. A replay writes nothing.
 */
export function upsertContractor(ctx: RequestScope, { externalId, ...input }: UpsertContractorInput) {
  return upsertByExternalId<Contractor & { projects: { id: string }[] }, { contractor: Contractor }>(
    ctx,
    'contractor',
    externalId,
    {
      read: { include: { projects: { select: { id: true } } } },
      create: (scoped, id) => createContractor(scoped, { ...input, externalId: id }),
      update: async (scoped, { projects, ...stored }) => {
        if (input.projectIds.length === 0) {
          new InputCheck()
            .add(['input', 'projectIds'], 'PROJECT_REQUIRED', 'A contractor needs at least one project.')
            .throwIfAny();
        }
        await requireVisible(scoped, 'project', input.projectIds, ['input', 'projectIds']);
        let contractor: Contractor = stored;
        const changes = changedFields(stored, input, CONTRACTOR_FIELDS);
        if (Object.keys(changes).length) ({ contractor } = await updateContractor(scoped, stored.id, changes));
        const linked = new Set(projects.map((project) => project.id));
        for (const projectId of new Set(input.projectIds)) {
          if (!linked.has(projectId)) {
            ({ contractor } = await addContractorToProject(scoped, { contractorId: stored.id, projectId }));
          }
        }
        if (input.approvalStatus != null && input.approvalStatus !== stored.approvalStatus) {
          ({ contractor } = await setContractorApprovalStatus(scoped, stored.id, input.approvalStatus));
        }
        return { contractor };
      },
    },
  );
}

/** upsertContractor for up to 100 contractors, all or nothing (sync/bulk-upsert.service.ts). */
export async function upsertContractors(ctx: RequestScope, contractors: UpsertContractorInput[]) {
  const results = await upsertEach(ctx, 'contractors', contractors, upsertContractor);
  return { contractors: results.map((result) => result.contractor) };
}

export interface UpsertWorkerInput extends Omit<CreateWorkerInput, 'externalId'> {
  externalId: string;
}

const WORKER_FIELDS = {
  firstName: 'text',
  lastName: 'text',
  email: 'email',
  phone: 'optionalText',
  trade: 'optionalText',
  contractorId: 'value',
} as const satisfies Partial<Record<keyof UpsertWorkerInput, FieldKind>>;

/**
 * Creates the worker with this externalId (createWorker), or updates the fields that
 * differ (updateWorker: a different contractorId moves the worker). A replay writes nothing.
 */
export function upsertWorker(ctx: RequestScope, { externalId, ...input }: UpsertWorkerInput) {
  return upsertByExternalId<Worker, { worker: Worker }>(ctx, 'worker', externalId, {
    create: (scoped, id) => createWorker(scoped, { ...input, externalId: id }),
    update: async (scoped, stored) => {
      const changes = changedFields(stored, input, WORKER_FIELDS);
      if (!Object.keys(changes).length) return { worker: stored };
      return updateWorker(scoped, stored.id, changes);
    },
  });
}
