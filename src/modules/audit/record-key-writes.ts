import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { inOneTransaction } from '../../db/joined-transaction.ts';
import type { GraphQLContext } from '../../graphql/context.ts';
import { createLoaders } from '../../graphql/loaders.ts';
import { changedFields, recordAuditEvents, type AuditEntry } from './audit.record.ts';
import { describeKind, findTargets, lockTargets, readTargets, type TargetState } from './key-write-targets.ts';
import { KEY_WRITES, type KeyWrite } from './key-writes.ts';

/** As long as a bulk upsert gives its own transaction (its options are the outer one's once joined). */
const BULK_TRANSACTION_TIMEOUT_MS = 60_000;

/** A payload with userErrors: its transaction must roll back, and the payload still answers. */
class RolledBack {
  constructor(readonly payload: unknown) {}
}

type Payload = { userErrors?: unknown[] } & Record<string, unknown>;
type Resolver = GraphQLFieldResolver<unknown, GraphQLContext>;

const resultIds = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value ? [value] : []).map((row) => (row as { id: string }).id);

async function targetsBefore(client: PrismaClient, write: KeyWrite, organizationId: string, input: unknown) {
  if (!write.before || !input) return [];
  const before = write.before(input as Record<string, unknown>);
  const ids = 'ids' in before ? before.ids : await findTargets(client, write.type, organizationId, before.where);
  await lockTargets(client, write.type, organizationId, ids);
  return ids;
}

/** One event per target created, deleted or changed; a target whose recorded fields stayed the same has none. */
function entriesOf(write: KeyWrite, ids: string[], before: Map<string, TargetState>, after: Map<string, TargetState>) {
  const { action, redacted = [] } = describeKind(write.type);
  const entries: AuditEntry[] = [];
  for (const id of ids) {
    const was = before.get(id);
    const is = after.get(id);
    if (!was && !is) continue;
    const changes = changedFields(was?.fields ?? null, is?.fields ?? null);
    if (was && is && !Object.keys(changes).length) continue;
    for (const field of redacted) {
      if (changes[field]) changes[field] = { before: was ? '[redacted]' : null, after: is ? '[redacted]' : null };
    }
    const verb = !was ? 'created' : !is ? 'deleted' : (write.verb ?? 'updated');
    const projectIds = [...new Set([...(was?.projectIds ?? []), ...(is?.projectIds ?? [])])].sort();
    entries.push({ action: `${action}.${verb}`, targetType: write.type, targetId: id, projectIds, changes });
  }
  return entries;
}

/**
 * Runs a key's write in one transaction that the services join (they open theirs through
 * `ctx.prisma`), reading its targets before and after, and records what changed in the
 * same transaction: a write answering userErrors or failing leaves no event.
 */
async function recorded(write: KeyWrite, resolve: Resolver, ...[root, args, ctx, info]: Parameters<Resolver>) {
  const { organizationId } = ctx.principal;
  try {
    return await inOneTransaction(
      ctx.prisma,
      async (client) => {
        const beforeIds = await targetsBefore(client, write, organizationId, args.input);
        const before = await readTargets(client, write.type, organizationId, beforeIds);
        const scope = { ...ctx, prisma: client };
        // Loaders too read through the transaction: on PGlite a read beside it would wait for it to end.
        const payload = (await resolve(root, args, { ...scope, loaders: createLoaders(scope) }, info)) as Payload;
        if (payload?.userErrors?.length) throw new RolledBack(payload);
        const ids = [...new Set([...resultIds(write.result && payload?.[write.result]), ...beforeIds])];
        const after = await readTargets(client, write.type, organizationId, ids);
        await recordAuditEvents(client, scope, entriesOf(write, ids, before, after));
        return payload;
      },
      write.bulk && { timeout: BULK_TRANSACTION_TIMEOUT_MS },
    );
  } catch (error) {
    if (error instanceof RolledBack) return error.payload;
    throw error;
  }
}

/**
 * Wraps the resolvers of the domain writes (KEY_WRITES) so that those of an API key, or of
 * an access token of one, are recorded in the organisation's audit log. Admins' writes run
 * as before, with no transaction or read added.
 */
export function recordKeyWrites(schema: GraphQLSchema): GraphQLSchema {
  const fields = schema.getMutationType()?.getFields() ?? {};
  for (const [name, write] of Object.entries(KEY_WRITES)) {
    const field = fields[name];
    if (!field) continue;
    const resolve: Resolver = field.resolve ?? defaultFieldResolver;
    // A read-only key (or a token narrowed to `read`) writes nothing: it is refused without a transaction or lock.
    field.resolve = (root, args, ctx: GraphQLContext, info) =>
      ctx.principal?.kind === 'API_KEY' && ctx.principal.allowWrites
        ? recorded(write, resolve, root, args, ctx, info)
        : resolve(root, args, ctx, info);
  }
  return schema;
}
