import { AuthScopeFailureType, type AuthFailure, type AuthScopeFailure } from '@pothos/plugin-scope-auth';
import { whyKeyLacks, type Access, type Resource } from '../core/permissions.ts';
import type { Principal } from '../core/principal.ts';

/** The scopes that refused a field (field scopes fail as a group of one or more). */
function scopeFailures(failure: AuthFailure): AuthScopeFailure[] {
  if (failure.kind === AuthScopeFailureType.AnyAuthScopes || failure.kind === AuthScopeFailureType.AllAuthScopes)
    return failure.failures.flatMap(scopeFailures);
  return failure.kind === AuthScopeFailureType.AuthScope ? [failure] : [];
}

/**
 * "<subject> needs READ on GOALS, and this API key's permissions give it NONE on GOALS.": what
 * needed the access, and (for a key, the only principal that can lack it) why it is missing.
 */
export function lacking(subject: string, principal: Principal, resource: Resource, wanted: Access = 'READ'): string {
  const why = principal.kind === 'API_KEY' ? `, and ${whyKeyLacks(principal, resource, wanted)}` : '';
  return `${subject} needs ${wanted} on ${resource}${why}.`;
}

/** Who a role-only field is for, by the scope that refused it. */
const ROLE_SCOPES: Record<string, string> = {
  admin: 'admins (an admin token, cga_…)',
  organizationAdmin: "the organisation's owners and admins",
  owner: "the organisation's owners",
};

/**
 * Why a field was refused, in words a client can act on: the permission, flag or role it
 * needs and what the caller lacks (the "messages that say why"). `coordinate` is
 * e.g. "`Mutation.createGoal`".
 */
export function refusalMessage(principal: Principal, failure: AuthFailure, coordinate: string): string {
  const [first] = scopeFailures(failure);
  if (!first) return `You are not allowed to access ${coordinate}.`;
  if (principal.kind === 'API_KEY' && (first.scope === 'read' || first.scope === 'write')) {
    return lacking(coordinate, principal, first.parameter as Resource, first.scope === 'read' ? 'READ' : 'WRITE');
  }
  if (first.scope === 'canReadQualifications')
    return `${coordinate} needs canReadQualificationData, which this API key does not have.`;
  const role = ROLE_SCOPES[first.scope];
  if (role) return `${coordinate} is for ${role} only.`;
  return `You are not allowed to access ${coordinate}.`;
}
