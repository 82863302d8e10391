import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';

/**
 * A transaction client that services can use as their `prisma`: its `$transaction(body)`
 * runs `body` in the transaction that is already open (a Prisma transaction client has no
 * `$transaction`), so a service that opens its own transaction joins the caller's one and
 * everything commits, or rolls back, together.
 */
export function joinedClient(tx: Prisma.TransactionClient): PrismaClient {
  const joined: PrismaClient = new Proxy(tx, {
    get(target, property) {
      if (property === '$transaction') {
        return (body: ((client: PrismaClient) => Promise<unknown>) | Promise<unknown>[]) =>
          typeof body === 'function' ? body(joined) : Promise.all(body);
      }
      return Reflect.get(target, property, target);
    },
  }) as unknown as PrismaClient;
  return joined;
}

/**
 * Runs `body` in one transaction with a client whose nested `$transaction` calls join it.
 * Called with a client that is already joined, it joins that transaction too (the
 * options are then those of the outer one).
 */
export function inOneTransaction<T>(
  prisma: PrismaClient,
  body: (client: PrismaClient) => Promise<T>,
  options?: { timeout?: number; maxWait?: number },
): Promise<T> {
  return prisma.$transaction((tx) => body(joinedClient(tx)), options) as Promise<T>;
}

/**
 * Runs `body` inside a savepoint of the open transaction: when it throws (a refused input,
 * or a database error such as a unique violation, which would otherwise abort the whole
 * PostgreSQL transaction), its writes are undone and the transaction can go on.
 */
export async function withSavepoint<T>(client: PrismaClient, body: () => Promise<T>): Promise<T> {
  await client.$executeRaw(Prisma.sql`SAVEPOINT crewgraph_item`);
  let result: T;
  try {
    result = await body();
  } catch (error) {
    await client.$executeRaw(Prisma.sql`ROLLBACK TO SAVEPOINT crewgraph_item`);
    throw error;
  }
  await client.$executeRaw(Prisma.sql`RELEASE SAVEPOINT crewgraph_item`);
  return result;
}
