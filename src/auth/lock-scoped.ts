import { Prisma } from '../generated/prisma/client.ts';
import { notFound } from '../core/errors.ts';
import type { Principal } from '../core/principal.ts';
import { scope } from './scope.ts';

type Tx = Prisma.TransactionClient;

/** The models a mutation locks before it changes them, with their tables and the name NOT_FOUND gives. */
const LOCKABLE = {
  project: { table: 'Project', label: 'Project', scope: scope.project },
  contractor: { table: 'Contractor', label: 'Contractor', scope: scope.contractor },
  person: { table: 'Person', label: 'Person', scope: scope.person },
  goal: { table: 'Goal', label: 'Goal', scope: scope.goal },
  conversation: { table: 'Conversation', label: 'Conversation', scope: scope.conversation },
  apiKey: { table: 'ApiKey', label: 'API key', scope: scope.apiKey },
  user: { table: 'User', label: 'Admin', scope: scope.admin },
} as const;
export type LockableModel = keyof typeof LOCKABLE & keyof Tx;

/**
 * Row locks, weakest first: `keyShare` only keeps the row from being deleted (enough to add
 * a child row); `noKeyUpdate` serialises writers of the row without blocking the foreign-key
 * checks of inserts that reference it; `update` is for deleting it or changing its key.
 */
const LOCK_CLAUSE = { keyShare: 'FOR KEY SHARE', noKeyUpdate: 'FOR NO KEY UPDATE', update: 'FOR UPDATE' } as const;
export type LockMode = keyof typeof LOCK_CLAUSE;

type FindFirstArgs<M extends LockableModel> = Omit<NonNullable<Prisma.Args<Tx[M], 'findFirst'>>, 'where'>;

/**
 * The row a mutation acts on, locked until its transaction ends and then read again under
 * the principal's scope: a row deleted, or moved out of the caller's scope, since the
 * mutation's first check is NOT_FOUND, so a check made before the lock cannot be outrun.
 * `args` adds Prisma's `select` or `include` to the read.
 */
export async function lockScoped<M extends LockableModel, A extends FindFirstArgs<M> = FindFirstArgs<M>>(
  tx: Tx,
  principal: Principal,
  model: M,
  id: string,
  mode: LockMode,
  args?: A,
): Promise<NonNullable<Prisma.Result<Tx[M], A, 'findFirst'>>> {
  const { table, label, scope: visible } = LOCKABLE[model];
  await tx.$queryRaw`SELECT id FROM ${Prisma.raw(`"${table}"`)}
    WHERE id = ${id}::uuid AND "organizationId" = ${principal.organizationId}::uuid ${Prisma.raw(LOCK_CLAUSE[mode])}`;
  const delegate = tx[model] as unknown as { findFirst(args: object): Promise<unknown> };
  const row = await delegate.findFirst({ ...args, where: { id, AND: [visible(principal)] } });
  if (!row) throw notFound(label);
  return row as NonNullable<Prisma.Result<Tx[M], A, 'findFirst'>>;
}
