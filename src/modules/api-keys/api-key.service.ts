import type { ApiKey, Prisma } from '../../generated/prisma/client.ts';
import { canonicalRange, MAX_ALLOWED_IP_RANGES } from '../../auth/ip-allow-list.ts';
import { issueToken } from '../../auth/tokens.ts';
import { lockScoped } from '../../auth/lock-scoped.ts';
import { requireVisible } from '../../auth/visible.ts';
import { isOrganizationAdmin, scope } from '../../auth/scope.ts';
import type { RequestScope } from '../../core/request-scope.ts';
import { InputCheck, UserErrors, isUniqueViolation, userError } from '../../core/user-errors.ts';
import { recordKeyWebhookEvent, webhookEventOfAction } from '../webhooks/webhook.events.ts';
import { apiKeyStatus } from './api-key.status.ts';
import { changedFields, recordAudit } from '../audit/audit.record.ts';
import { KEY_POLICY_SELECT, checkExpiryPolicy } from './api-key.policy.ts';
import {
  KEY_WRITABLE_RESOURCES,
  RESOURCES,
  permissionListFromJson,
  type Access,
  type Resource,
} from '../../core/permissions.ts';

export type PermissionInput = { resource: Resource; access: Access };

export const MAX_GRACE_PERIOD_SECONDS = 7 * 24 * 60 * 60;
const MAX_NAME_LENGTH = 100;
export const MAX_DESCRIPTION_LENGTH = 1000;
/** A key's own request budget: requests per window, and the window (at most a day). */
export const RATE_LIMIT_REQUESTS_RANGE = [1, 100_000] as const;
export const RATE_LIMIT_PER_SECONDS_RANGE = [1, 86_400] as const;
/** A key's access-token lifetime: the bounds of the server's ACCESS_TOKEN_TTL_SECONDS (config.ts). */
export const ACCESS_TOKEN_TTL_RANGE = [60, 86_400] as const;

/** Key names are unique case-insensitively: "Payroll sync" and "payroll SYNC " are one name. */
export const normalizedKeyName = (name: string) => name.trim().toLowerCase();

type Tx = Prisma.TransactionClient;
type Action = 'CREATED' | 'UPDATED' | 'CYCLED' | 'REVOKED' | 'REACTIVATED' | 'DELETED';

export interface ApiKeyInput {
  name?: string | null;
  projectIds?: string[] | null;
  allowWrites?: boolean | null;
  canReadQualificationData?: boolean | null;
  canWritePeople?: boolean | null;
  expiresAt?: Date | null;
  active?: boolean | null;
  allowedIps?: string[] | null;
  description?: string | null;
  rateLimit?: { requests: number; perSeconds: number } | null;
  accessTokenTtlSeconds?: number | null;
  /** The key's own list (null: none, the flags alone decide); undefined leaves it. */
  permissions?: PermissionInput[] | null;
  /** Runs only the organisation's trusted (persisted) documents, never a query text. */
  persistedDocumentsOnly?: boolean | null;
}

/** What the audit trail shows of a key: comparable values, never a secret. */
function auditView(key: ApiKey & { projects: { id: string }[] }) {
  return {
    name: key.name,
    allowWrites: key.allowWrites,
    canReadQualificationData: key.canReadQualificationData,
    canWritePeople: key.canWritePeople,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    state: key.state,
    projectIds: key.projects.map((p) => p.id).sort(),
    allowedIps: key.allowedIps,
    description: key.description,
    rateLimit:
      key.rateLimitRequests == null ? null : { requests: key.rateLimitRequests, perSeconds: key.rateLimitPerSeconds },
    accessTokenTtlSeconds: key.accessTokenTtlSeconds,
    permissions: permissionListFromJson(key.permissions),
    persistedDocumentsOnly: key.persistedDocumentsOnly,
  };
}

async function recordEvent(tx: Tx, ctx: RequestScope, apiKeyId: string, action: Action, changes: object = {}) {
  await tx.apiKeyEvent.create({
    data: {
      organizationId: ctx.principal.organizationId,
      apiKeyId,
      actorId: ctx.principal.kind === 'ADMIN' ? ctx.principal.userId : null,
      action,
      changes: changes as Prisma.InputJsonValue,
      requestId: ctx.requestId,
    },
  });
  // The organisation's audit log has every key change too (ApiKey.events stays the key's own trail).
  await recordAudit(tx, ctx, {
    action: `api_key.${action.toLowerCase()}`,
    targetType: 'ApiKey',
    targetId: apiKeyId,
    changes: changes as Record<string, unknown>,
  });
  // Webhooks (issue 9): the outbox event and its deliveries, in this same transaction.
  const type = webhookEventOfAction(action);
  const organizationId = ctx.principal.organizationId;
  if (type) await recordKeyWebhookEvent(tx, { organizationId, apiKeyId, type, now: ctx.now() });
}

/**
 * The key an admin acts on, locked for the rest of the transaction; NOT_FOUND if they
 * may not see it (another organisation, deleted, or for a project admin a key reaching
 * beyond their projects).
 */
const lockKey = (tx: Tx, ctx: RequestScope, id: string) =>
  lockScoped(tx, ctx.principal, 'apiKey', id, 'update', { include: { projects: { select: { id: true } } } });

/**
 * Checks the input; with `expiry`, also the organisation's key policies on the expiry being
 * set (every create, and an update that sends expiresAt): POLICY userErrors.
 */
async function validate(ctx: RequestScope, input: ApiKeyInput, { expiry }: { expiry: boolean }) {
  const check = new InputCheck();
  const name = check.text(['input', 'name'], input.name, { max: MAX_NAME_LENGTH });
  // Trimmed; blank is no description (null), as is null on update (clears it).
  const description =
    input.description === undefined
      ? undefined
      : check.text(['input', 'description'], input.description, { max: MAX_DESCRIPTION_LENGTH, required: false }) ||
        null;
  if (input.rateLimit) {
    check.range(['input', 'rateLimit', 'requests'], input.rateLimit.requests, ...RATE_LIMIT_REQUESTS_RANGE);
    check.range(['input', 'rateLimit', 'perSeconds'], input.rateLimit.perSeconds, ...RATE_LIMIT_PER_SECONDS_RANGE);
  }
  check.range(['input', 'accessTokenTtlSeconds'], input.accessTokenTtlSeconds, ...ACCESS_TOKEN_TTL_RANGE);
  if (input.projectIds && input.projectIds.length === 0) {
    check.add(['input', 'projectIds'], 'PROJECT_REQUIRED', 'A key needs at least one project.');
  }
  if (input.expiresAt && input.expiresAt <= ctx.now()) {
    check.add(['input', 'expiresAt'], 'NOT_IN_FUTURE', 'expiresAt must be in the future.');
  } else if (expiry) {
    const policy = await ctx.prisma.organization.findUniqueOrThrow({
      where: { id: ctx.principal.organizationId },
      select: KEY_POLICY_SELECT,
    });
    checkExpiryPolicy(check, policy, input.expiresAt ?? null, ctx.now());
  }
  const allowedIps = input.allowedIps == null ? undefined : canonicalRanges(check, input.allowedIps);
  if (input.canWritePeople && !isOrganizationAdmin(ctx.principal)) {
    check.add(
      ['input', 'canWritePeople'],
      'NOT_PERMITTED',
      'Only owners and admins write people, so only they can give a key canWritePeople.',
    );
  }
  const permissions = input.permissions === undefined ? undefined : storedPermissions(check, input.permissions);
  check.throwIfAny();
  return { name, allowedIps, description, permissions };
}

/** The stored columns of a key's own budget: undefined leaves them, null clears both. */
const rateLimitColumns = (rateLimit: ApiKeyInput['rateLimit']) =>
  rateLimit === undefined
    ? {}
    : { rateLimitRequests: rateLimit?.requests ?? null, rateLimitPerSeconds: rateLimit?.perSeconds ?? null };

/**
 * canWritePeople is a kind of write: a key holds it only together with allowWrites. Checked on
 * the key as it would be stored, so turning allowWrites off must turn canWritePeople off too.
 */
function checkPeopleFlag(key: { allowWrites: boolean; canWritePeople: boolean }) {
  if (key.canWritePeople && !key.allowWrites) {
    throw new UserErrors([
      userError(
        ['input', 'canWritePeople'],
        'INVALID',
        'canWritePeople needs allowWrites: a read-only key writes nothing (send canWritePeople: false with allowWrites: false).',
      ),
    ]);
  }
}

/**
 * A permissions list as stored: one entry per resource, in RESOURCES order (so equal lists
 * compare equal in the audit trail); null (no list) is stored as []. A list must name a
 * resource once, give WRITE only where keys write, and is not empty (null means "no list").
 */
function storedPermissions(check: InputCheck, input: PermissionInput[] | null): PermissionInput[] {
  if (input === null) return [];
  if (input.length === 0) {
    check.add(
      ['input', 'permissions'],
      'INVALID',
      'permissions is empty: list each resource the key may use, or send null for a key its flags alone limit.',
    );
  }
  const seen = new Set<Resource>();
  input.forEach(({ resource, access }, i) => {
    if (seen.has(resource))
      check.add(['input', 'permissions', String(i), 'resource'], 'INVALID', `${resource} is listed twice.`);
    seen.add(resource);
    if (access === 'WRITE' && !KEY_WRITABLE_RESOURCES.has(resource))
      check.add(
        ['input', 'permissions', String(i), 'access'],
        'INVALID',
        `API keys never write ${resource} (only ${[...KEY_WRITABLE_RESOURCES].join(', ')}): READ at most.`,
      );
  });
  return RESOURCES.filter((resource) => seen.has(resource)).map((resource) => ({
    resource,
    access: input.findLast((entry) => entry.resource === resource)!.access,
  }));
}

/** The allow-list in canonical form, duplicates removed; each bad entry is a userError naming it. */
function canonicalRanges(check: InputCheck, entries: string[]): string[] {
  if (entries.length > MAX_ALLOWED_IP_RANGES) {
    check.add(['input', 'allowedIps'], 'TOO_LONG', `At most ${MAX_ALLOWED_IP_RANGES} ranges.`);
  }
  const ranges = entries.map((entry, i) => {
    const result = canonicalRange(entry);
    if ('error' in result) check.add(['input', 'allowedIps', String(i)], 'INVALID', result.error);
    return 'range' in result ? result.range : '';
  });
  return [...new Set(ranges)];
}

/** Runs a key mutation in one transaction; a lost name race becomes a TAKEN userError. */
async function inTransaction<T>(ctx: RequestScope, name: string | null | undefined, body: (tx: Tx) => Promise<T>) {
  try {
    return await ctx.prisma.$transaction(body);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new UserErrors([userError(['input', 'name'], 'TAKEN', `An API key named "${name}" already exists.`)]);
    }
    throw error;
  }
}

export async function createApiKey(ctx: RequestScope, input: ApiKeyInput & { name: string; projectIds: string[] }) {
  const { name, allowedIps, description, permissions } = await validate(ctx, input, { expiry: true });
  checkPeopleFlag({ allowWrites: input.allowWrites ?? false, canWritePeople: input.canWritePeople ?? false });
  await requireVisible(ctx, 'project', input.projectIds, ['input', 'projectIds']);
  const issued = issueToken('cgk');
  return inTransaction(ctx, name, async (tx) => {
    const apiKey = await tx.apiKey.create({
      data: {
        organizationId: ctx.principal.organizationId,
        name: name!,
        normalizedName: normalizedKeyName(name!),
        keyId: issued.id,
        secretHash: issued.secretHash,
        allowWrites: input.allowWrites ?? false,
        canReadQualificationData: input.canReadQualificationData ?? false,
        canWritePeople: input.canWritePeople ?? false,
        expiresAt: input.expiresAt ?? null,
        allowedIps: allowedIps ?? [],
        description: description ?? null,
        ...rateLimitColumns(input.rateLimit ?? undefined),
        accessTokenTtlSeconds: input.accessTokenTtlSeconds ?? null,
        permissions: permissions ?? [],
        persistedDocumentsOnly: input.persistedDocumentsOnly ?? false,
        createdById: ctx.principal.kind === 'ADMIN' ? ctx.principal.userId : null,
        projects: { connect: input.projectIds.map((id) => ({ id })) },
      },
      include: { projects: { select: { id: true } } },
    });
    await recordEvent(tx, ctx, apiKey.id, 'CREATED', changedFields(null, auditView(apiKey)));
    return { apiKey, token: issued.token };
  });
}

/**
 * Whether an update's expiresAt differs from the key's: a portal that sends every field back
 * must not meet the key policy on an expiry it did not change (existing keys are reported, not
 * broken). A key the caller cannot see counts as changed; the update then answers NOT_FOUND.
 */
async function expiryChanges(ctx: RequestScope, id: string, expiresAt: Date | null) {
  const stored = await ctx.prisma.apiKey.findFirst({
    where: { id, AND: [scope.apiKey(ctx.principal)] },
    select: { expiresAt: true },
  });
  return !stored || (stored.expiresAt?.getTime() ?? null) !== (expiresAt?.getTime() ?? null);
}

export async function updateApiKey(ctx: RequestScope, id: string, input: ApiKeyInput) {
  const { name, allowedIps, description, permissions } = await validate(ctx, input, {
    expiry: input.expiresAt !== undefined && (await expiryChanges(ctx, id, input.expiresAt)),
  });
  if (input.projectIds) await requireVisible(ctx, 'project', input.projectIds, ['input', 'projectIds']);
  return inTransaction(ctx, name, async (tx) => {
    const before = await lockKey(tx, ctx, id);
    checkPeopleFlag({
      allowWrites: input.allowWrites ?? before.allowWrites,
      canWritePeople: input.canWritePeople ?? before.canWritePeople,
    });
    const expiresAt = input.expiresAt === undefined ? before.expiresAt : input.expiresAt;
    if (input.active === true && expiresAt && expiresAt <= ctx.now()) {
      throw new UserErrors([
        userError(['input', 'active'], 'EXPIRED', 'An expired key cannot be activated; extend expiresAt.'),
      ]);
    }
    const apiKey = await tx.apiKey.update({
      where: { id },
      data: {
        name: name ?? undefined,
        normalizedName: name == null ? undefined : normalizedKeyName(name),
        allowWrites: input.allowWrites ?? undefined,
        canReadQualificationData: input.canReadQualificationData ?? undefined,
        canWritePeople: input.canWritePeople ?? undefined,
        expiresAt: input.expiresAt,
        allowedIps,
        description,
        ...rateLimitColumns(input.rateLimit),
        accessTokenTtlSeconds: input.accessTokenTtlSeconds,
        permissions,
        persistedDocumentsOnly: input.persistedDocumentsOnly ?? undefined,
        state: input.active == null ? undefined : input.active ? 'ACTIVE' : 'INACTIVE',
        projects: input.projectIds ? { set: input.projectIds.map((projectId) => ({ id: projectId })) } : undefined,
      },
      include: { projects: { select: { id: true } } },
    });
    const changes = changedFields(auditView(before), auditView(apiKey));
    if (Object.keys(changes).length) await recordEvent(tx, ctx, id, 'UPDATED', changes);
    return { apiKey };
  });
}

export async function cycleApiKey(ctx: RequestScope, id: string, gracePeriodSeconds: number) {
  if (
    !Number.isInteger(gracePeriodSeconds) ||
    gracePeriodSeconds < 0 ||
    gracePeriodSeconds > MAX_GRACE_PERIOD_SECONDS
  ) {
    throw new UserErrors([
      userError(
        ['input', 'gracePeriodSeconds'],
        'OUT_OF_RANGE',
        `gracePeriodSeconds must be between 0 and ${MAX_GRACE_PERIOD_SECONDS} (7 days).`,
      ),
    ]);
  }
  return inTransaction(ctx, null, async (tx) => {
    const before = await lockKey(tx, ctx, id);
    const now = ctx.now();
    const issued = issueToken('cgk', before.keyId);
    const graceEndsAt = gracePeriodSeconds > 0 ? new Date(now.getTime() + gracePeriodSeconds * 1000) : null;
    const apiKey = await tx.apiKey.update({
      where: { id },
      data: {
        secretHash: issued.secretHash,
        previousSecretHash: graceEndsAt ? before.secretHash : null,
        previousSecretExpiresAt: graceEndsAt,
        lastCycledAt: now,
      },
    });
    await recordEvent(tx, ctx, id, 'CYCLED', {
      gracePeriodSeconds,
      previousTokenExpiresAt: (graceEndsAt ?? now).toISOString(),
    });
    return { apiKey, token: issued.token };
  });
}

export async function setApiKeyActive(ctx: RequestScope, id: string, active: boolean) {
  return inTransaction(ctx, null, async (tx) => {
    const before = await lockKey(tx, ctx, id);
    if (active && apiKeyStatus({ ...before, state: 'ACTIVE' }, ctx.now()) === 'EXPIRED') {
      throw new UserErrors([
        userError(['input', 'id'], 'EXPIRED', 'This key has expired; extend expiresAt with updateApiKey first.'),
      ]);
    }
    const state = active ? 'ACTIVE' : 'INACTIVE';
    // An admin's revoke or reactivation replaces any reason the server gave (IDLE).
    const apiKey = await tx.apiKey.update({ where: { id }, data: { state, revokedReason: null } });
    await recordEvent(
      tx,
      ctx,
      id,
      active ? 'REACTIVATED' : 'REVOKED',
      changedFields({ state: before.state, revokedReason: before.revokedReason }, { state, revokedReason: null }),
    );
    return { apiKey };
  });
}

export async function deleteApiKey(ctx: RequestScope, id: string) {
  return inTransaction(ctx, null, async (tx) => {
    await lockKey(tx, ctx, id);
    await tx.apiKey.update({ where: { id }, data: { deletedAt: ctx.now(), previousSecretHash: null } });
    await recordEvent(tx, ctx, id, 'DELETED');
    return { deletedApiKeyId: id };
  });
}
