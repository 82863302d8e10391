import type { Organization, Prisma } from '../../generated/prisma/client.ts';
import type { RequestScope } from '../../core/request-scope.ts';
import { InputCheck } from '../../core/user-errors.ts';
import { changedFields, recordAudit } from '../audit/audit.record.ts';

/** Ranges of the settings (docs/organization-settings.md); outside is OUT_OF_RANGE. */
export const SETTING_RANGES = {
  maxKeyLifetimeDays: [1, 3650],
  revokeIdleKeysAfterDays: [1, 3650],
  maxAdminTokenLifetimeDays: [1, 3650],
  requests: [1, 100_000],
  perSeconds: [1, 86_400],
} as const;

export interface RequestBudget {
  requests: number;
  perSeconds: number;
}

/** The input of updateOrganizationSettings: omitted (undefined) stays, null clears. */
export interface OrganizationSettingsInput {
  maxKeyLifetimeDays?: number | null;
  requireKeyExpiry?: boolean | null;
  revokeIdleKeysAfterDays?: number | null;
  defaultRateLimit?: RequestBudget | null;
  maxAdminTokenLifetimeDays?: number | null;
}

/** The settings as the API and the audit log show them. */
export interface OrganizationSettings {
  maxKeyLifetimeDays: number | null;
  requireKeyExpiry: boolean;
  revokeIdleKeysAfterDays: number | null;
  defaultRateLimit: RequestBudget | null;
  maxAdminTokenLifetimeDays: number | null;
}

export function settingsOf(organization: Organization): OrganizationSettings {
  const { defaultRateLimitRequests: requests, defaultRateLimitPerSeconds: perSeconds } = organization;
  return {
    maxKeyLifetimeDays: organization.maxKeyLifetimeDays,
    requireKeyExpiry: organization.requireKeyExpiry,
    revokeIdleKeysAfterDays: organization.revokeIdleKeysAfterDays,
    defaultRateLimit: requests != null && perSeconds != null ? { requests, perSeconds } : null,
    maxAdminTokenLifetimeDays: organization.maxAdminTokenLifetimeDays,
  };
}

function validate(input: OrganizationSettingsInput) {
  const check = new InputCheck();
  for (const field of ['maxKeyLifetimeDays', 'revokeIdleKeysAfterDays', 'maxAdminTokenLifetimeDays'] as const) {
    const [min, max] = SETTING_RANGES[field];
    check.range(['input', field], input[field], min, max);
  }
  if (input.requireKeyExpiry !== undefined) check.notNull('requireKeyExpiry', input.requireKeyExpiry);
  if (input.defaultRateLimit) {
    for (const field of ['requests', 'perSeconds'] as const) {
      const [min, max] = SETTING_RANGES[field];
      check.range(['input', 'defaultRateLimit', field], input.defaultRateLimit[field], min, max);
    }
  }
  check.throwIfAny();
}

/**
 * Changes the organisation's settings (owners only: the mutation's authScopes). Omitted
 * fields stay, null clears. The row is locked while read and written, so the audit event
 * (`organization.settings_updated`, { field: { before, after } } of what changed, written in
 * the same transaction) holds the true before. Keys that a new maxKeyLifetimeDays would refuse
 * are left as they are (ApiKey.policyViolations reports them). A new default budget reaches
 * every instance at once: authentication's credential caches are emptied by the change.
 */
export async function updateOrganizationSettings(ctx: RequestScope, input: OrganizationSettingsInput) {
  validate(input);
  const { organizationId } = ctx.principal;
  return ctx.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Organization" WHERE id = ${organizationId}::uuid FOR UPDATE`;
    const current = await tx.organization.findUniqueOrThrow({ where: { id: organizationId } });
    const before = settingsOf(current);
    const data: Prisma.OrganizationUpdateInput = {};
    if (input.maxKeyLifetimeDays !== undefined) data.maxKeyLifetimeDays = input.maxKeyLifetimeDays;
    if (input.requireKeyExpiry != null) data.requireKeyExpiry = input.requireKeyExpiry;
    if (input.revokeIdleKeysAfterDays !== undefined) data.revokeIdleKeysAfterDays = input.revokeIdleKeysAfterDays;
    if (input.maxAdminTokenLifetimeDays !== undefined) data.maxAdminTokenLifetimeDays = input.maxAdminTokenLifetimeDays;
    if (input.defaultRateLimit !== undefined) {
      data.defaultRateLimitRequests = input.defaultRateLimit?.requests ?? null;
      data.defaultRateLimitPerSeconds = input.defaultRateLimit?.perSeconds ?? null;
    }
    const budget = input.defaultRateLimit;
    const after: OrganizationSettings = {
      maxKeyLifetimeDays: input.maxKeyLifetimeDays === undefined ? before.maxKeyLifetimeDays : input.maxKeyLifetimeDays,
      requireKeyExpiry: input.requireKeyExpiry ?? before.requireKeyExpiry,
      revokeIdleKeysAfterDays:
        input.revokeIdleKeysAfterDays === undefined ? before.revokeIdleKeysAfterDays : input.revokeIdleKeysAfterDays,
      defaultRateLimit:
        budget === undefined
          ? before.defaultRateLimit
          : budget && { requests: budget.requests, perSeconds: budget.perSeconds },
      maxAdminTokenLifetimeDays:
        input.maxAdminTokenLifetimeDays === undefined
          ? before.maxAdminTokenLifetimeDays
          : input.maxAdminTokenLifetimeDays,
    };
    const changes = changedFields(before, after);
    if (!Object.keys(changes).length) return { organization: current };
    const organization = await tx.organization.update({ where: { id: organizationId }, data });
    await recordAudit(tx, ctx, {
      action: 'organization.settings_updated',
      targetType: 'Organization',
      targetId: organizationId,
      changes,
    });
    return { organization };
  });
}
