import type { RequestScope } from '../../core/request-scope.ts';

/*
 * What a write records of who made it: ids only, no GraphQL (services import this; the read
 * side, actor.ts, turns the ids into the `Actor` union).
 */

/** What a write records as its actor: the API key, or the admin (history rows have no person). */
export function principalActor(ctx: RequestScope): { userId: string | null; apiKeyId: string | null } {
  const principal = ctx.principal;
  return principal.kind === 'API_KEY'
    ? { userId: null, apiKeyId: principal.apiKeyId }
    : { userId: principal.userId, apiKeyId: null };
}

/**
 * The author of a comment or the assessor of an assessment: for an admin, the person of the
 * organisation with the admin's email (case-insensitive; the admin account and the directory
 * are both under the organisation's control) and the admin; for an API key, the key (an
 * integration is not a person, and a key must not pose as one).
 */
export async function authorOf(
  ctx: RequestScope,
): Promise<{ personId: string | null; userId: string | null; apiKeyId: string | null }> {
  const principal = ctx.principal;
  if (principal.kind === 'API_KEY') return { personId: null, userId: null, apiKeyId: principal.apiKeyId };
  const user = await ctx.prisma.user.findUnique({ where: { id: principal.userId }, select: { email: true } });
  const person = user
    ? await ctx.prisma.person.findFirst({
        where: { organizationId: principal.organizationId, email: { equals: user.email, mode: 'insensitive' } },
        select: { id: true },
      })
    : null;
  return { personId: person?.id ?? null, userId: principal.userId, apiKeyId: null };
}
