import type { ApiKey, Organization, Prisma } from '../../generated/prisma/client.ts';
import { DEFAULTS } from '../../config.ts';
import type { InputCheck } from '../../core/user-errors.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The organisation's key policies (owners set them in the organisation settings). */
export type KeyPolicy = Pick<Organization, 'maxKeyLifetimeDays' | 'requireKeyExpiry'>;
/** The organisation's default request budget of a key without its own. */
export type OrganizationBudget = Pick<Organization, 'defaultRateLimitRequests' | 'defaultRateLimitPerSeconds'>;

export const KEY_POLICY_SELECT = { maxKeyLifetimeDays: true, requireKeyExpiry: true } as const;
export const ORGANIZATION_BUDGET_SELECT = { defaultRateLimitRequests: true, defaultRateLimitPerSeconds: true } as const;

/** How a key breaks the organisation's policies today (`ApiKey.policyViolations`). */
export type PolicyViolation = 'NO_EXPIRY' | 'EXPIRES_AFTER_MAX_LIFETIME';

/** The latest expiry the policy allows for a key created or changed at `now`; null: no limit. */
const latestExpiry = (policy: KeyPolicy, now: Date) =>
  policy.maxKeyLifetimeDays == null ? null : new Date(now.getTime() + policy.maxKeyLifetimeDays * DAY_MS);

const expiryRequired = (policy: KeyPolicy) => policy.requireKeyExpiry || policy.maxKeyLifetimeDays != null;

/**
 * The policy violations of an expiry: none, or one of NO_EXPIRY (an expiry is required: by
 * requireKeyExpiry or by a maximum lifetime) and EXPIRES_AFTER_MAX_LIFETIME (later than now
 * plus maxKeyLifetimeDays).
 */
export function expiryViolations(policy: KeyPolicy, expiresAt: Date | null, now: Date): PolicyViolation[] {
  if (!expiresAt) return expiryRequired(policy) ? ['NO_EXPIRY'] : [];
  const latest = latestExpiry(policy, now);
  return latest && expiresAt > latest ? ['EXPIRES_AFTER_MAX_LIFETIME'] : [];
}

/** The keys whose `policyViolations` at `now` are not empty (deleted keys never are), as a where clause. */
export function violatingPolicyWhere(policy: KeyPolicy, now: Date): Prisma.ApiKeyWhereInput {
  const latest = latestExpiry(policy, now);
  if (latest) return { deletedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: latest } }] };
  if (policy.requireKeyExpiry) return { deletedAt: null, expiresAt: null };
  return { id: { in: [] } };
}

/** An expiry being set (create, or update with expiresAt) must obey the policy: POLICY userError otherwise. */
export function checkExpiryPolicy(check: InputCheck, policy: KeyPolicy, expiresAt: Date | null, now: Date) {
  for (const violation of expiryViolations(policy, expiresAt, now)) {
    check.add(
      ['input', 'expiresAt'],
      'POLICY',
      violation === 'NO_EXPIRY'
        ? "The organisation's key policy requires an expiry (expiresAt)."
        : `The organisation's key policy allows keys to live at most ${policy.maxKeyLifetimeDays} days: expiresAt must be on or before ${latestExpiry(policy, now)!.toISOString()}.`,
    );
  }
}

/** Where a budget in force comes from (`RateLimit.source`). */
export type RateLimitSource = 'KEY' | 'ORGANIZATION' | 'SERVER';
export interface RateLimitInForce {
  requests: number;
  perSeconds: number;
  source: RateLimitSource;
}
/** The server's budget of a key (RATE_LIMIT_KEY_REQUESTS per RATE_LIMIT_WINDOW_SECONDS). */
export interface ServerKeyBudget {
  requests: number;
  perSeconds: number;
}
export const DEFAULT_SERVER_KEY_BUDGET: ServerKeyBudget = {
  requests: DEFAULTS.rateLimits.keyRequests,
  perSeconds: DEFAULTS.rateLimits.windowSeconds,
};

/** The budget in force for a key: its own, else its organisation's default, else the server's. */
export function rateLimitInForce(
  key: Pick<ApiKey, 'rateLimitRequests' | 'rateLimitPerSeconds'>,
  organization: OrganizationBudget,
  server: ServerKeyBudget = DEFAULT_SERVER_KEY_BUDGET,
): RateLimitInForce {
  if (key.rateLimitRequests != null && key.rateLimitPerSeconds != null) {
    return { requests: key.rateLimitRequests, perSeconds: key.rateLimitPerSeconds, source: 'KEY' };
  }
  if (organization.defaultRateLimitRequests != null && organization.defaultRateLimitPerSeconds != null) {
    return {
      requests: organization.defaultRateLimitRequests,
      perSeconds: organization.defaultRateLimitPerSeconds,
      source: 'ORGANIZATION',
    };
  }
  return { ...server, source: 'SERVER' };
}
