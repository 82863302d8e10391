import type { Prisma } from '../../generated/prisma/client.ts';
import type { ApprovalStatus, QualificationStatus } from '../../generated/prisma/enums.ts';
import { projectRestriction, scope } from '../../auth/scope.ts';
import { lockScoped } from '../../auth/lock-scoped.ts';
import { requireVisible } from '../../auth/visible.ts';
import type { RequestScope } from '../../core/request-scope.ts';
import { notFound } from '../../core/errors.ts';
import { InputCheck, UserErrors, userError } from '../../core/user-errors.ts';
import { checkExternalId, checkExternalIdFree, externalIdRace } from '../../core/external-id.ts';

type Tx = Prisma.TransactionClient;

const MAX_TAGS = 20;
/** Optional text fields of a contractor and their maximum lengths. */
const CONTRACTOR_TEXT_FIELDS = { address: 500, city: 100, state: 100, zip: 20 } as const;
/** Optional text fields of a worker and their maximum lengths (email is also an EmailAddress). */
const WORKER_TEXT_FIELDS = { email: 254, phone: 40, trade: 100 } as const;
const MAX_TAG_LENGTH = 50;
/** A qualification expiring within this many days is EXPIRING when no status is given. */
export const EXPIRING_WITHIN_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface CreateContractorInput {
  name: string;
  projectIds: string[];
  address?: string | null;
  city?: string | null;
  state?: string | null;
  zip?: string | null;
  tags?: string[] | null;
  autoApprove?: boolean | null;
  approvalStatus?: ApprovalStatus | null;
  contractorComplianceScore?: number | null;
  employeeComplianceScore?: number | null;
  externalId?: string | null;
}

/** Trimmed, de-duplicated tags; a blank or over-long tag is a userError at its index. */
function normalizeTags(check: InputCheck, tags: string[] | null | undefined): string[] {
  if (!tags) return [];
  if (tags.length > MAX_TAGS) check.add(['input', 'tags'], 'TOO_LONG', `At most ${MAX_TAGS} tags.`);
  const normalized = tags.map((tag, i) => check.text(['input', 'tags', String(i)], tag, { max: MAX_TAG_LENGTH }));
  return [...new Set(normalized)];
}

/** A contractor linked to ≥ 1 project the principal can see (a key: one of its projects). */
export async function createContractor(ctx: RequestScope, input: CreateContractorInput) {
  const check = new InputCheck();
  const name = check.text(['input', 'name'], input.name, { max: 200 });
  const address =
    check.text(['input', 'address'], input.address, { max: CONTRACTOR_TEXT_FIELDS.address, required: false }) || null;
  const city = check.text(['input', 'city'], input.city, { max: CONTRACTOR_TEXT_FIELDS.city, required: false }) || null;
  const state =
    check.text(['input', 'state'], input.state, { max: CONTRACTOR_TEXT_FIELDS.state, required: false }) || null;
  const zip = check.text(['input', 'zip'], input.zip, { max: CONTRACTOR_TEXT_FIELDS.zip, required: false }) || null;
  const tags = normalizeTags(check, input.tags);
  if (input.projectIds.length === 0) {
    check.add(['input', 'projectIds'], 'PROJECT_REQUIRED', 'A contractor needs at least one project.');
  }
  check.range(['input', 'contractorComplianceScore'], input.contractorComplianceScore, 0, 100);
  check.range(['input', 'employeeComplianceScore'], input.employeeComplianceScore, 0, 100);
  const externalId = checkExternalId(check, input.externalId) ?? null;
  await checkExternalIdFree(check, ctx.prisma.contractor, ctx.principal.organizationId, externalId);
  check.throwIfAny();
  await requireVisible(ctx, 'project', input.projectIds, ['input', 'projectIds']);
  // One nested write: the contractor and its project links commit together or not at all.
  const creating = ctx.prisma.contractor.create({
    data: {
      organizationId: ctx.principal.organizationId,
      externalId,
      name,
      address,
      city,
      state,
      zip,
      tags,
      autoApprove: input.autoApprove ?? false,
      approvalStatus: input.approvalStatus ?? undefined,
      contractorComplianceScore: input.contractorComplianceScore,
      employeeComplianceScore: input.employeeComplianceScore,
      projects: { connect: [...new Set(input.projectIds)].map((id) => ({ id })) },
    },
  });
  const contractor = await creating.catch(externalIdRace(externalId));
  return { contractor };
}

export interface CreateWorkerInput {
  contractorId: string;
  firstName: string;
  lastName: string;
  email?: string | null;
  phone?: string | null;
  trade?: string | null;
  externalId?: string | null;
}

/** A worker of a contractor the principal can see (a key: a contractor of its projects). */
export async function createWorker(ctx: RequestScope, input: CreateWorkerInput) {
  const check = new InputCheck();
  const firstName = check.text(['input', 'firstName'], input.firstName, { max: 100 });
  const lastName = check.text(['input', 'lastName'], input.lastName, { max: 100 });
  const email =
    check.text(['input', 'email'], input.email, { max: WORKER_TEXT_FIELDS.email, required: false })?.toLowerCase() ||
    null;
  const phone = check.text(['input', 'phone'], input.phone, { max: WORKER_TEXT_FIELDS.phone, required: false }) || null;
  const trade = check.text(['input', 'trade'], input.trade, { max: WORKER_TEXT_FIELDS.trade, required: false }) || null;
  const externalId = checkExternalId(check, input.externalId) ?? null;
  await checkExternalIdFree(check, ctx.prisma.worker, ctx.principal.organizationId, externalId);
  check.throwIfAny();
  await requireVisible(ctx, 'contractor', [input.contractorId], ['input', 'contractorId']);
  const creating = ctx.prisma.worker.create({
    data: {
      organizationId: ctx.principal.organizationId,
      externalId,
      contractorId: input.contractorId,
      firstName,
      lastName,
      email,
      phone,
      trade,
    },
  });
  const worker = await creating.catch(externalIdRace(externalId));
  return { worker };
}

/*
 * Writes to existing contractors and workers.
 *
 * Every one runs in a transaction that first locks the row it acts on and then checks,
 * under that lock, that the principal may see it (a NOT_FOUND GraphQL error otherwise).
 * Every write that reads or changes a contractor's project links takes the contractor's
 * row lock first, so such writes run one after another per contractor: two concurrent
 * removals of its last two projects cannot both see "another project is left".
 */

/**
 * Locks a contractor of the organisation until the transaction ends and returns it with
 * the ids of all its projects (including those outside an API key's scope). NOT_FOUND when
 * the principal may not see it. `FOR NO KEY UPDATE` serialises writers of this contractor
 * without blocking the foreign-key checks of inserts that reference it (new workers).
 */
async function lockContractor(tx: Tx, ctx: RequestScope, id: string) {
  const { projects, ...row } = await lockScoped(tx, ctx.principal, 'contractor', id, 'noKeyUpdate', {
    include: { projects: { select: { id: true } } },
  });
  return { contractor: row, projectIds: projects.map((p) => p.id) };
}

/** A project the principal may see (a key: one of its own), read in the transaction; else a NOT_FOUND userError. */
async function visibleProject(tx: Tx, ctx: RequestScope, id: string) {
  const project = await tx.project.findFirst({ where: { id, AND: [scope.project(ctx.principal)] } });
  if (!project) throw new UserErrors([userError(['input', 'projectId'], 'NOT_FOUND', 'Project not found.')]);
  return project;
}

export interface UpdateContractorInput extends Partial<Record<keyof typeof CONTRACTOR_TEXT_FIELDS, string | null>> {
  name?: string | null;
  tags?: string[] | null;
  autoApprove?: boolean | null;
  contractorComplianceScore?: number | null;
  employeeComplianceScore?: number | null;
  externalId?: string | null;
}

/**
 * Changes the fields the input names. Omitted fields stay; null clears address, city,
 * state, zip, the scores, and tags (same as []); name and autoApprove cannot be null.
 * `tags` replaces the whole list, normalised as in createContractor.
 */
export async function updateContractor(ctx: RequestScope, id: string, input: UpdateContractorInput) {
  const check = new InputCheck();
  const data: Prisma.ContractorUpdateInput = {};
  if (input.name === null) check.add(['input', 'name'], 'BLANK', "name can't be blank.");
  else if (input.name !== undefined) data.name = check.text(['input', 'name'], input.name, { max: 200 });
  for (const [field, max] of Object.entries(CONTRACTOR_TEXT_FIELDS) as [
    keyof typeof CONTRACTOR_TEXT_FIELDS,
    number,
  ][]) {
    const value = input[field];
    if (value !== undefined) data[field] = check.text(['input', field], value, { max, required: false }) || null;
  }
  if (input.tags !== undefined) data.tags = normalizeTags(check, input.tags);
  if (check.notNull('autoApprove', input.autoApprove)) data.autoApprove = input.autoApprove!;
  for (const field of ['contractorComplianceScore', 'employeeComplianceScore'] as const) {
    check.range(['input', field], input[field], 0, 100);
    if (input[field] !== undefined) data[field] = input[field];
  }
  const externalId = input.externalId === undefined ? undefined : checkExternalId(check, input.externalId);
  if (externalId !== undefined) data.externalId = externalId;
  return ctx.prisma.$transaction(async (tx) => {
    const { contractor: stored } = await lockContractor(tx, ctx, id);
    if (externalId && externalId !== stored.externalId) {
      await checkExternalIdFree(check, tx.contractor, ctx.principal.organizationId, externalId, id);
    }
    check.throwIfAny();
    if (!Object.keys(data).length) return { contractor: stored };
    const updating = tx.contractor.update({ where: { id }, data });
    return { contractor: await updating.catch(externalIdRace(externalId)) };
  });
}

/** Sets the approval status (NEW, PENDING, APPROVED, DENIED); any status may follow any other. */
export async function setContractorApprovalStatus(ctx: RequestScope, id: string, approvalStatus: ApprovalStatus) {
  return ctx.prisma.$transaction(async (tx) => {
    const { contractor: stored } = await lockContractor(tx, ctx, id);
    if (stored.approvalStatus === approvalStatus) return { contractor: stored };
    return { contractor: await tx.contractor.update({ where: { id }, data: { approvalStatus } }) };
  });
}

export interface ContractorProjectInput {
  contractorId: string;
  projectId: string;
}

/** Links a contractor to a project; linking it again changes nothing and is no error. */
export async function addContractorToProject(ctx: RequestScope, { contractorId, projectId }: ContractorProjectInput) {
  return ctx.prisma.$transaction(async (tx) => {
    const { contractor: stored, projectIds } = await lockContractor(tx, ctx, contractorId);
    const project = await visibleProject(tx, ctx, projectId);
    if (projectIds.includes(projectId)) return { contractor: stored, project };
    // A change of its projects is a change of the contractor, so updatedAt moves too
    // (a nested connect or disconnect alone would not touch the contractor row).
    const contractor = await tx.contractor.update({
      where: { id: contractorId },
      data: { updatedAt: ctx.now(), projects: { connect: { id: projectId } } },
    });
    return { contractor, project };
  });
}

/**
 * Unlinks a contractor from a project. A contractor keeps at least one project: removing
 * its last one is a PROJECT_REQUIRED userError (counting every project it has, also those
 * outside an API key's scope). Removing a project it is not on changes nothing and is no
 * error (like adding twice), so a retried call succeeds.
 *
 * An API key may remove its own project from a contractor whose other projects are all
 * outside the key's scope: the contractor keeps a project, but the key no longer sees it,
 * so the payload's `contractor` is then null.
 */
export async function removeContractorFromProject(
  ctx: RequestScope,
  { contractorId, projectId }: ContractorProjectInput,
) {
  return ctx.prisma.$transaction(async (tx) => {
    const { contractor: stored, projectIds } = await lockContractor(tx, ctx, contractorId);
    const project = await visibleProject(tx, ctx, projectId);
    if (!projectIds.includes(projectId)) return { contractor: stored, project };
    if (projectIds.length === 1) {
      throw new UserErrors([
        userError(
          ['input', 'projectId'],
          'PROJECT_REQUIRED',
          'This is the contractor’s only project; add it to another project before removing this one.',
        ),
      ]);
    }
    const updated = await tx.contractor.update({
      where: { id: contractorId },
      data: { updatedAt: ctx.now(), projects: { disconnect: { id: projectId } } },
    });
    // Re-read through the scope: a key or project admin may just have lost sight of the contractor.
    const contractor =
      projectRestriction(ctx.principal) === null
        ? updated
        : await tx.contractor.findFirst({ where: { id: contractorId, AND: [scope.contractor(ctx.principal)] } });
    return { contractor, project };
  });
}

export interface UpdateWorkerInput extends Partial<Record<keyof typeof WORKER_TEXT_FIELDS, string | null>> {
  firstName?: string | null;
  lastName?: string | null;
  contractorId?: string | null;
  externalId?: string | null;
}

/**
 * Changes the fields the input names. Omitted fields stay; null clears email, phone and
 * trade; firstName, lastName and contractorId cannot be null. `contractorId` moves the
 * worker to another contractor the principal can see (a key: one on its projects),
 * else a NOT_FOUND userError. The worker row is locked with its current contractor and
 * the destination contractor held in share mode, so neither can concurrently leave the
 * principal's scope between the check and the write.
 */
export async function updateWorker(ctx: RequestScope, id: string, input: UpdateWorkerInput) {
  const check = new InputCheck();
  const data: Prisma.WorkerUncheckedUpdateInput = {};
  for (const field of ['firstName', 'lastName'] as const) {
    if (input[field] === null) check.add(['input', field], 'BLANK', `${field} can't be blank.`);
    else if (input[field] !== undefined) data[field] = check.text(['input', field], input[field], { max: 100 });
  }
  for (const [field, max] of Object.entries(WORKER_TEXT_FIELDS) as [keyof typeof WORKER_TEXT_FIELDS, number][]) {
    const value = input[field];
    if (value !== undefined) data[field] = check.text(['input', field], value, { max, required: false }) || null;
  }
  if (typeof data.email === 'string') data.email = data.email.toLowerCase();
  check.notNull('contractorId', input.contractorId);
  const externalId = input.externalId === undefined ? undefined : checkExternalId(check, input.externalId);
  if (externalId !== undefined) data.externalId = externalId;
  const organizationId = ctx.principal.organizationId;
  return ctx.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`
      SELECT w.id FROM "Worker" w JOIN "Contractor" c ON c.id = w."contractorId"
      WHERE w.id = ${id}::uuid AND w."organizationId" = ${organizationId}::uuid
      FOR NO KEY UPDATE OF w FOR SHARE OF c`;
    const stored = await tx.worker.findFirst({ where: { id, AND: [scope.worker(ctx.principal)] } });
    if (!stored) throw notFound('Worker');
    if (externalId && externalId !== stored.externalId) {
      await checkExternalIdFree(check, tx.worker, organizationId, externalId, id);
    }
    check.throwIfAny();
    const contractorId = input.contractorId;
    if (contractorId && contractorId !== stored.contractorId) {
      await tx.$queryRaw`
        SELECT id FROM "Contractor"
        WHERE id = ${contractorId}::uuid AND "organizationId" = ${organizationId}::uuid
        FOR SHARE`;
      const target = await tx.contractor.findFirst({
        where: { id: contractorId, AND: [scope.contractor(ctx.principal)] },
        select: { id: true },
      });
      if (!target) {
        throw new UserErrors([userError(['input', 'contractorId'], 'NOT_FOUND', 'Contractor not found.')]);
      }
      data.contractorId = contractorId;
    }
    if (!Object.keys(data).length) return { worker: stored };
    const updating = tx.worker.update({ where: { id }, data });
    return { worker: await updating.catch(externalIdRace(externalId)) };
  });
}

export interface AddQualificationInput {
  workerId: string;
  name: string;
  issuer: string;
  licenseNumber: string;
  issuedOn?: Date | null;
  expiresOn?: Date | null;
  status?: QualificationStatus | null;
}

/** The status a qualification gets when none is given: from its expiry, as of today. */
export function statusFromExpiry(expiresOn: Date | null | undefined, now: Date): QualificationStatus {
  if (!expiresOn) return 'VALID';
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (expiresOn.getTime() < today) return 'EXPIRED';
  if (expiresOn.getTime() <= today + EXPIRING_WITHIN_DAYS * DAY_MS) return 'EXPIRING';
  return 'VALID';
}

export async function addQualification(ctx: RequestScope, input: AddQualificationInput) {
  const check = new InputCheck();
  const name = check.text(['input', 'name'], input.name, { max: 200 });
  const issuer = check.text(['input', 'issuer'], input.issuer, { max: 200 });
  const licenseNumber = check.text(['input', 'licenseNumber'], input.licenseNumber, { max: 100 });
  check.datesInOrder('issuedOn', 'expiresOn', input);
  check.throwIfAny();
  await requireVisible(ctx, 'worker', [input.workerId], ['input', 'workerId']);
  const qualification = await ctx.prisma.qualification.create({
    data: {
      organizationId: ctx.principal.organizationId,
      workerId: input.workerId,
      name,
      issuer,
      licenseNumber,
      issuedOn: input.issuedOn,
      expiresOn: input.expiresOn,
      status: input.status ?? statusFromExpiry(input.expiresOn, ctx.now()),
    },
  });
  return { qualification };
}
