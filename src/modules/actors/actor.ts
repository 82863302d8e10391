import DataLoader from 'dataloader';
import type { ApiKey, Person, User } from '../../generated/prisma/client.ts';
import { scope } from '../../auth/scope.ts';
import type { RequestScope } from '../../core/request-scope.ts';
import type { GraphQLContext } from '../../graphql/context.ts';

/**
 * Who wrote or changed something (a comment's author, a history entry's actor, an
 * assessment's assessor), as the row records it: the directory person, else the API key,
 * else the admin. Rows keep ids only; `actorOf` turns them into the `Actor` union.
 */
export interface ActorIds {
  personId?: string | null;
  apiKeyId?: string | null;
  userId?: string | null;
}

/** An API key as an actor: its name and public id, which any reader of the record may see. */
export interface ApiKeyActorShape {
  actor: 'ApiKeyActor';
  id: string;
  name: string;
  keyId: string;
}

/** An admin as an actor: their name (never their email). */
export interface AdminActorShape {
  actor: 'AdminActor';
  id: string;
  name: string | null;
}

export type ActorShape = Person | ApiKeyActorShape | AdminActorShape;

/** One statement per kind of lookup and request, whatever the number of rows (DataLoader). */
function loader<Row extends { id: string }>(
  ctx: GraphQLContext,
  name: string,
  find: (ids: string[]) => Promise<Row[]>,
): DataLoader<string, Row | null> {
  return ctx.loaders.once(
    `actors.${name}`,
    () =>
      new DataLoader<string, Row | null>(async (ids) => {
        const byId = new Map((await find([...ids])).map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
  );
}

/** The key behind an ApiKeyActor, in the organisation (a revoked or deleted key keeps its name). */
const keyNames = (ctx: GraphQLContext) =>
  loader(ctx, 'keyNames', (ids) =>
    ctx.prisma.apiKey.findMany({
      where: { id: { in: ids }, organizationId: ctx.principal.organizationId },
      select: { id: true, name: true, keyId: true },
    }),
  );

const adminNames = (ctx: GraphQLContext) =>
  loader(ctx, 'adminNames', (ids) =>
    ctx.prisma.user.findMany({
      where: { id: { in: ids }, organizationId: ctx.principal.organizationId },
      select: { id: true, name: true },
    }),
  );

/** The ApiKey node behind an ApiKeyActor, as the principal may see it (scope.apiKey: admins only). */
export const visibleApiKey = (ctx: GraphQLContext, id: string): Promise<ApiKey | null> =>
  loader(ctx, 'visibleApiKey', (ids) =>
    ctx.prisma.apiKey.findMany({ where: { id: { in: ids }, AND: [scope.apiKey(ctx.principal)] } }),
  ).load(id);

/** The Admin node behind an AdminActor, as the principal may see it (scope.admin: admins only). */
export const visibleAdmin = (ctx: GraphQLContext, id: string): Promise<User | null> =>
  loader(ctx, 'visibleAdmin', (ids) =>
    ctx.prisma.user.findMany({ where: { id: { in: ids }, AND: [scope.admin(ctx.principal)] } }),
  ).load(id);

/**
 * The actor a row records: a person id → the Person (when the principal may see them), else
 * an API key id → ApiKeyActor, else a user id → AdminActor, else null (an old row that
 * recorded nothing). Batched per request, so a page of rows costs one statement per kind.
 */
export async function actorOf(
  ctx: GraphQLContext,
  { personId, apiKeyId, userId }: ActorIds,
): Promise<ActorShape | null> {
  if (personId) {
    const person = await ctx.loaders.visiblePerson.load(personId);
    if (person) return person;
  }
  if (apiKeyId) {
    const key = await keyNames(ctx).load(apiKeyId);
    if (key) return { actor: 'ApiKeyActor', id: key.id, name: key.name, keyId: key.keyId };
  }
  if (userId) {
    const admin = await adminNames(ctx).load(userId);
    if (admin) return { actor: 'AdminActor', id: admin.id, name: admin.name };
  }
  return null;
}

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
