import DataLoader from 'dataloader';
import type { ApiKey, Person, User } from '../../generated/prisma/client.ts';
import { scope } from '../../auth/scope.ts';
import { forbidden } from '../../core/errors.ts';
import { canRead } from '../../core/permissions.ts';
import { lacking } from '../../graphql/refusals.ts';
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
 * A key without READ on PEOPLE gets null with a FORBIDDEN error where the actor is a person.
 */
export async function actorOf(
  ctx: GraphQLContext,
  { personId, apiKeyId, userId }: ActorIds,
): Promise<ActorShape | null> {
  if (personId) {
    if (!canRead(ctx.principal, 'PEOPLE'))
      throw forbidden(lacking('Reading the actor, a person,', ctx.principal, 'PEOPLE'));
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
