import type { AdminRole } from '../../generated/prisma/enums.ts';
import type { Prisma, PrismaClient, User } from '../../generated/prisma/client.ts';
import { issueToken } from '../../auth/tokens.ts';
import { lockScoped } from '../../auth/lock-scoped.ts';
import { requireVisible } from '../../auth/visible.ts';
import type { RequestScope } from '../../core/request-scope.ts';
import { InputCheck, UserErrors, isUniqueViolation, userError } from '../../core/user-errors.ts';
import { checkCliTokenLifetime, firstTokenExpiry } from './admin-token.service.ts';
import { changedFields, recordAudit } from '../audit/audit.record.ts';

type Tx = Prisma.TransactionClient;

export interface CreatedAdmin {
  organizationId: string;
  organizationName: string;
  userId: string;
  /** The plain admin token; shown once, only its hash is stored. */
  token: string;
}

/** A problem with the CLI's arguments that only the database can tell (one readable line). */
export class AdminSetupError extends Error {}

/** The organisation named on the command line is ambiguous or unknown (one readable line). */
export class OrganizationNotFoundError extends Error {}

/** Which organisation: by name (created when no organisation has it) or by id (must exist). */
export type OrganizationRef = { organizationName: string } | { organizationId: string };

/**
 * The organisation `create-admin` works in. A name matches case-insensitively and trimmed,
 * so "org a" finds "Org A" instead of creating a second one; two organisations differing
 * only in case make the name ambiguous. Creation is serialised, so two runs with the same
 * name cannot both create it.
 */
async function resolveOrganization(tx: Tx, ref: OrganizationRef) {
  if ('organizationId' in ref) {
    const id = ref.organizationId.trim();
    const organization = UUID.test(id) ? await tx.organization.findUnique({ where: { id: id.toLowerCase() } }) : null;
    if (!organization) throw new OrganizationNotFoundError(`no organisation with id "${ref.organizationId}"`);
    return organization;
  }
  const name = ref.organizationName.trim();
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('crewgraph:create-organization'))`;
  const matches = await tx.$queryRaw<{ id: string; name: string }[]>`
    SELECT id, name FROM "Organization" WHERE lower(btrim(name)) = lower(${name}) ORDER BY "createdAt", id`;
  if (matches.length > 1) {
    const listed = matches.map((o) => `"${o.name}" (${o.id})`).join(', ');
    throw new OrganizationNotFoundError(
      `organisation name "${name}" matches ${matches.length} organisations that differ only in case: ${listed}; use --org-id <id>`,
    );
  }
  if (matches.length === 1) return tx.organization.findUniqueOrThrow({ where: { id: matches[0].id } });
  return tx.organization.create({ data: { name } });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A project named on the command line: its code, its id, or its global id (`Project:<id>` in base64url). */
async function resolveProjectRefs(tx: Tx, organizationId: string, organizationName: string, refs: string[]) {
  const ids: string[] = [];
  for (const ref of refs) {
    const decoded = Buffer.from(ref, 'base64url').toString('utf8');
    const id = UUID.test(ref)
      ? ref
      : decoded.startsWith('Project:') && UUID.test(decoded.slice(8))
        ? decoded.slice(8)
        : null;
    const project = await tx.project.findFirst({
      where: { organizationId, OR: [{ code: ref }, ...(id ? [{ id }] : [])] },
      select: { id: true },
    });
    if (!project) throw new AdminSetupError(`no project "${ref}" in organisation "${organizationName}"`);
    ids.push(project.id);
  }
  return [...new Set(ids)];
}

/**
 * The CLI's `create-admin`: creates the organisation if needed, the admin if needed, and
 * a new admin token for them, in one transaction. Calling it again for the same email
 * issues another token; it never changes an existing admin's role or projects (that is
 * `updateAdmin`), and refuses a deactivated admin.
 */
export async function createAdmin(
  prisma: PrismaClient,
  input: OrganizationRef & { email: string; name?: string; role?: AdminRole; projects?: string[] },
  /** The new token's name and lifetime (`--token-name`, `--expires-in`); the organisation's cap applies. */
  token: { name?: string; expiresInMs?: number } = {},
): Promise<CreatedAdmin> {
  const issued = issueToken('cga');
  const now = new Date();
  const expiresAt = token.expiresInMs === undefined ? null : new Date(now.getTime() + token.expiresInMs);
  const email = input.email.toLowerCase();
  return prisma.$transaction(async (tx) => {
    const organization = await resolveOrganization(tx, input);
    await checkCliTokenLifetime(tx, organization, expiresAt, now);
    let user = await tx.user.findUnique({
      where: { organizationId_email: { organizationId: organization.id, email } },
    });
    if (user) {
      if (user.deactivatedAt) throw new AdminSetupError(`admin ${email} of "${organization.name}" is deactivated`);
      if (input.role && input.role !== user.role) {
        throw new AdminSetupError(
          `admin ${email} already exists as ${user.role}; change roles with the updateAdmin mutation`,
        );
      }
    } else {
      const role = input.role ?? 'OWNER';
      const projects = input.projects ?? [];
      if (role === 'PROJECT_ADMIN' && !projects.length) {
        throw new AdminSetupError('a PROJECT_ADMIN needs --projects <id-or-code,...>');
      }
      if (role !== 'PROJECT_ADMIN' && projects.length) {
        throw new AdminSetupError('--projects is only for --role PROJECT_ADMIN');
      }
      const projectIds = await resolveProjectRefs(tx, organization.id, organization.name, projects);
      user = await tx.user.create({
        data: {
          organizationId: organization.id,
          email,
          name: input.name,
          role,
          projects: { connect: projectIds.map((id) => ({ id })) },
        },
      });
    }
    await tx.adminToken.create({
      data: {
        organizationId: organization.id,
        userId: user.id,
        tokenId: issued.id,
        secretHash: issued.secretHash,
        name: token.name,
        expiresAt,
      },
    });
    return {
      organizationId: organization.id,
      organizationName: organization.name,
      userId: user.id,
      token: issued.token,
    };
  });
}

// ---------------------------------------------------------------------------------------
// Admin management through the API (owners only; see admin.mutations.ts)

export interface AdminInput {
  email?: string | null;
  name?: string | null;
  role?: AdminRole | null;
  projectIds?: string[] | null;
}

const MAX_EMAIL_LENGTH = 254;
const MAX_NAME_LENGTH = 200;

const emailTaken = (email: string) =>
  new UserErrors([userError(['input', 'email'], 'TAKEN', `An admin with email "${email}" already exists.`)]);

/**
 * A PROJECT_ADMIN administers at least one project; OWNER and ADMIN see the whole
 * organisation and have none. `projectIds` is what the admin will have after the change.
 */
function checkRoleProjects(check: InputCheck, role: AdminRole, projectIds: string[], sentProjectIds: boolean) {
  if (role === 'PROJECT_ADMIN' && projectIds.length === 0) {
    check.add(['input', 'projectIds'], 'PROJECT_REQUIRED', 'A PROJECT_ADMIN needs at least one project.');
  }
  if (role !== 'PROJECT_ADMIN' && sentProjectIds && projectIds.length > 0) {
    check.add(
      ['input', 'projectIds'],
      'INVALID',
      `Only a PROJECT_ADMIN has projects; an ${role} administers the whole organisation.`,
    );
  }
}

/**
 * Locks the organisation's active owners (in id order, before any other admin row, so
 * two owners demoting or deactivating each other serialise instead of deadlocking) and
 * returns their ids. The row re-check after a wait drops an owner another transaction
 * has just demoted or deactivated.
 */
async function lockActiveOwners(tx: Tx, organizationId: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "User"
    WHERE "organizationId" = ${organizationId}::uuid AND role = 'OWNER' AND "deactivatedAt" IS NULL
    ORDER BY id FOR UPDATE`;
  return rows.map((row) => row.id);
}

/** The admin a mutation acts on, locked; NOT_FOUND outside the caller's organisation. */
const lockAdmin = (tx: Tx, ctx: RequestScope, id: string) =>
  lockScoped(tx, ctx.principal, 'user', id, 'update', { include: { projects: { select: { id: true } } } });

/** What the audit log shows of an admin account. */
const auditView = (admin: User) => ({
  email: admin.email,
  name: admin.name,
  role: admin.role,
  deactivatedAt: admin.deactivatedAt?.toISOString() ?? null,
});

/** Admin management in the audit log; roles and project assignments are among the fields. */
const auditAdmin = (
  tx: Prisma.TransactionClient,
  ctx: RequestScope,
  verb: string,
  id: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
) =>
  recordAudit(tx, ctx, {
    action: `admin.${verb}`,
    targetType: 'Admin',
    targetId: id,
    changes: changedFields(before, after),
  });

function lastOwner(field: string[], what: string) {
  return new UserErrors([
    userError(field, 'LAST_OWNER', `This is the organisation's last active owner and cannot be ${what}.`),
  ]);
}

/** A new admin of the caller's organisation and their first admin token (shown once). */
export async function createAdminAccount(
  ctx: RequestScope,
  input: { email: string; name?: string | null; role: AdminRole; projectIds?: string[] | null },
) {
  const check = new InputCheck();
  const email = check.text(['input', 'email'], input.email, { max: MAX_EMAIL_LENGTH }).toLowerCase();
  const name = check.text(['input', 'name'], input.name, { max: MAX_NAME_LENGTH, required: false }) || null;
  const projectIds = [...new Set(input.projectIds ?? [])];
  checkRoleProjects(check, input.role, projectIds, input.projectIds != null);
  check.throwIfAny();
  await requireVisible(ctx, 'project', projectIds, ['input', 'projectIds']);
  const organizationId = ctx.principal.organizationId;
  const issued = issueToken('cga');
  try {
    return await ctx.prisma.$transaction(async (tx) => {
      const clash = await tx.user.count({ where: { organizationId, email } });
      if (clash) throw emailTaken(email);
      const admin = await tx.user.create({
        data: {
          organizationId,
          email,
          name,
          role: input.role,
          projects: { connect: projectIds.map((id) => ({ id })) },
        },
      });
      // Under the organisation's cap on admin-token lifetime, the first token lives as long as it allows.
      await tx.adminToken.create({
        data: {
          organizationId,
          userId: admin.id,
          tokenId: issued.id,
          secretHash: issued.secretHash,
          createdById: ctx.principal.kind === 'ADMIN' ? ctx.principal.userId : null,
          expiresAt: await firstTokenExpiry(tx, organizationId, ctx.now()),
        },
      });
      await auditAdmin(tx, ctx, 'created', admin.id, null, { ...auditView(admin), projectIds: projectIds.sort() });
      return { admin, token: issued.token };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken(email);
    throw error;
  }
}

/**
 * Changes an admin's name, role or projects. Omitted fields stay; a role other than
 * PROJECT_ADMIN drops the projects. The last active owner cannot be demoted.
 */
export async function updateAdminAccount(ctx: RequestScope, id: string, input: Omit<AdminInput, 'email'>) {
  const check = new InputCheck();
  const name =
    input.name === undefined
      ? undefined
      : check.text(['input', 'name'], input.name, { max: MAX_NAME_LENGTH, required: false }) || null;
  check.notNull('role', input.role);
  check.throwIfAny();
  const sentProjectIds = input.projectIds !== undefined;
  const projectIds = sentProjectIds ? [...new Set(input.projectIds ?? [])] : undefined;
  if (projectIds) await requireVisible(ctx, 'project', projectIds, ['input', 'projectIds']);
  return ctx.prisma.$transaction(async (tx) => {
    const owners = await lockActiveOwners(tx, ctx.principal.organizationId);
    const stored = await lockAdmin(tx, ctx, id);
    const role = input.role ?? stored.role;
    const nextProjectIds = projectIds ?? (role === 'PROJECT_ADMIN' ? stored.projects.map((p) => p.id) : []);
    checkRoleProjects(check, role, nextProjectIds, sentProjectIds);
    check.throwIfAny();
    if (stored.role === 'OWNER' && role !== 'OWNER' && owners.length <= 1 && owners.includes(stored.id)) {
      throw lastOwner(['input', 'role'], 'demoted');
    }
    const admin = await tx.user.update({
      where: { id },
      data: { name, role, projects: { set: nextProjectIds.map((projectId) => ({ id: projectId })) } },
    });
    await auditAdmin(
      tx,
      ctx,
      'updated',
      id,
      { ...auditView(stored), projectIds: stored.projects.map((p) => p.id).sort() },
      { ...auditView(admin), projectIds: [...nextProjectIds].sort() },
    );
    return { admin };
  });
}

/**
 * Deactivates an admin: their admin tokens are revoked and every request with one fails
 * from the next one on (authenticate also checks deactivatedAt). Keys they created stay:
 * keys belong to the organisation. Deactivating a deactivated admin changes nothing.
 */
export async function deactivateAdminAccount(ctx: RequestScope, id: string) {
  return ctx.prisma.$transaction(async (tx) => {
    const owners = await lockActiveOwners(tx, ctx.principal.organizationId);
    const stored = await lockAdmin(tx, ctx, id);
    if (stored.deactivatedAt) return { admin: stored };
    if (stored.role === 'OWNER' && owners.length <= 1 && owners.includes(stored.id)) {
      throw lastOwner(['input', 'id'], 'deactivated');
    }
    const now = ctx.now();
    const admin = await tx.user.update({ where: { id }, data: { deactivatedAt: now } });
    await tx.adminToken.updateMany({ where: { userId: id, revokedAt: null }, data: { revokedAt: now } });
    await auditAdmin(tx, ctx, 'deactivated', id, auditView(stored), auditView(admin));
    return { admin };
  });
}
