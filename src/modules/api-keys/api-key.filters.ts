import type { Prisma } from '../../generated/prisma/client.ts';
import type { Principal } from '../../core/principal.ts';
import { scope } from '../../auth/scope.ts';
import type { Arg } from '../../graphql/builder.ts';
import { rowId, type DecodedGlobalId } from '../../graphql/input-ids.ts';
import { containsText } from '../../graphql/search-text.ts';
import { ProjectRef } from '../projects/project.type.ts';
import { ApiKeyStatusEnum } from './api-key.type.ts';
import { apiKeyStatusWhere, type ApiKeyListStatus } from './api-key.status.ts';
import { violatingPolicyWhere, type KeyPolicy } from './api-key.policy.ts';

/** Filters of `Query.apiKeys`; they combine with AND. */
export const apiKeyFilterArgs = (arg: Arg) => ({
  status: arg({
    type: [ApiKeyStatusEnum],
    required: false,
    description:
      'Only keys with one of these statuses, as `status` shows them now. DELETED lists deleted keys (as includeDeleted: true does).',
  }),
  expiresBefore: arg({
    type: 'DateTime',
    required: false,
    description: 'Only keys that expire (or expired) before this instant; keys without expiry are left out.',
  }),
  unusedSince: arg({
    type: 'DateTime',
    required: false,
    description: 'Only keys not used since this instant: last used before it, or never used.',
  }),
  search: arg.string({
    required: false,
    description: 'Only keys whose name, keyId or description contains this text (any case).',
  }),
  projectId: arg.globalID({
    for: ProjectRef,
    required: false,
    description: 'Only keys that reach this project (a project you cannot see matches nothing).',
  }),
  violatingPolicy: arg.boolean({
    required: false,
    description:
      "true: only keys that break the organisation's key policies today (policyViolations not empty); false: only keys that do not.",
  }),
  includeDeleted: arg.boolean({
    required: false,
    defaultValue: false,
    description: 'Also list deleted keys (status DELETED), whose audit trail stays readable.',
  }),
});

export interface ApiKeyFilter {
  status?: ApiKeyListStatus[] | null;
  expiresBefore?: Date | null;
  unusedSince?: Date | null;
  search?: string | null;
  projectId?: DecodedGlobalId | null;
  includeDeleted?: boolean | null;
  violatingPolicy?: boolean | null;
}

/** What the filters compare with: the request's clock, and the organisation's key policies (read only when needed). */
export interface ApiKeyFilterContext {
  now: Date;
  policy?: KeyPolicy;
}

function apiKeyFilter(
  principal: Principal,
  args: ApiKeyFilter,
  { now, policy }: ApiKeyFilterContext,
): Prisma.ApiKeyWhereInput[] {
  const filters: Prisma.ApiKeyWhereInput[] = [];
  if (args.status) filters.push({ OR: args.status.map((status) => apiKeyStatusWhere(status, now)) });
  if (args.expiresBefore) filters.push({ expiresAt: { lt: args.expiresBefore } });
  if (args.unusedSince) filters.push({ OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: args.unusedSince } }] });
  const search = args.search?.trim();
  if (search) {
    const text = containsText(search);
    filters.push({ OR: [{ name: text }, { keyId: text }, { description: text }] });
  }
  if (args.projectId) {
    filters.push({ projects: { some: { id: rowId(args.projectId), AND: [scope.project(principal)] } } });
  }
  if (args.violatingPolicy != null && policy) {
    const violating = violatingPolicyWhere(policy, now);
    filters.push(args.violatingPolicy ? violating : { NOT: violating });
  }
  return filters;
}

/** The keys the principal may read that match the filters (deleted ones only when asked for). */
export function apiKeyWhere(
  principal: Principal,
  args: ApiKeyFilter,
  context: ApiKeyFilterContext,
): Prisma.ApiKeyWhereInput {
  const withDeleted = args.includeDeleted || args.status?.includes('DELETED');
  const visible = withDeleted ? scope.apiKeyWithDeleted(principal) : scope.apiKey(principal);
  return { AND: [visible, ...apiKeyFilter(principal, args, context)] };
}
