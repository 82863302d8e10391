import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';
import { CredentialCache, type ListenConnection } from './credential-cache.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { applyMigrations, pendingMigrations, type MigrationTarget } from './migrations.ts';
import type { NamedStatement } from './named-statement.ts';

export type { PrismaClient };

export interface DatabaseOptions {
  /** postgres:// URL; without it the embedded PGlite database is used. */
  url?: string;
  /** Directory of the embedded database; undefined keeps it in memory (tests). */
  dataDir?: string;
  poolSize?: number;
  /**
   * PostgreSQL: how long a statement waits for a connection from the pool, or for a new one
   * (DB_CONNECT_TIMEOUT_MS; the caller passes config's default). Also how long a transaction
   * waits to start. Undefined: no limit.
   */
  connectTimeoutMs?: number;
  /**
   * PostgreSQL: the server's statement_timeout and the length of an interactive transaction
   * (DB_STATEMENT_TIMEOUT_MS); the client gives up on a silent server a second later. Undefined: no limit.
   */
  statementTimeoutMs?: number;
  /** PostgreSQL: run Prisma's statements as named prepared statements (default true; DB_PREPARED_STATEMENTS). */
  preparedStatements?: boolean;
  /** Called with every SQL statement Prisma sends (query-count tests, debug logs). */
  onQuery?: (sql: string) => void;
  /** Answer authentication from the cache of verified credentials (default true; CREDENTIAL_CACHE). */
  credentialCache?: boolean;
  /** Told when the cache's listening connection fails (it reconnects; meanwhile nothing is cached). */
  onCredentialCacheError?: (error: unknown) => void;
}

export type { NamedStatement };

export interface Database {
  kind: 'pglite' | 'postgres';
  prisma: PrismaClient;
  /**
   * Runs a hot, fixed statement straight on the driver (authentication: every request).
   * Prisma's raw queries cost more CPU here (bench/auth-cost.ts).
   */
  query<T>(statement: NamedStatement, values: unknown[]): Promise<T[]>;
  /** `query` for the credential lookups, answered from the cache when it may (db/credential-cache.ts). */
  credentials: CredentialCache;
  migrate(): Promise<string[]>;
  /** Database reachable and no migration pending (false, not a hang, when it does not answer in time). */
  isReady(): Promise<boolean>;
  /** PostgreSQL: connections of the pool (for metrics); null on PGlite, which has one in-process connection. */
  poolStats(): { total: number; idle: number; waiting: number; max: number } | null;
  close(): Promise<void>;
}

/** Beyond the server's statement_timeout, the client stops waiting for an answer. */
const SILENT_SERVER_MARGIN_MS = 1000;

/**
 * pg's query_timeout answers the caller but leaves the unanswered statement on the
 * connection, ahead of every later one. A connection whose server went silent cannot be
 * trusted: it is closed, so the pool discards it and the server rolls back what it held.
 */
function closeOnReadTimeout(client: pg.Client) {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const closeIf = (error: unknown) => {
    if ((error as Error | undefined)?.message !== 'Query read timeout') return;
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  };
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (error: unknown, result: unknown) => {
        closeIf(error);
        callback(error, result);
      };
      return query(...args);
    }
    const result = query(...args);
    if (result instanceof Promise) result.catch(closeIf);
    return result;
  };
}

/**
 * A pg client that always has an 'error' listener. pg-pool hands a released client to a
 * waiting connect() and drops its idle listener before Prisma's adapter adds its own; a
 * server-side disconnect (e.g. PostgreSQL restarting) in that gap would otherwise be an
 * unhandled 'error' event and kill the process. The failing query still gets the error,
 * and the pool still discards the broken client.
 */
class ResilientClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on('error', () => {});
    closeOnReadTimeout(this);
  }
}

/**
 * Names for Prisma's statements, so that each connection parses a statement once and PostgreSQL
 * can switch to a generic plan instead of planning every execution (bench/README.md). At most
 * `limit` distinct statements are named; later ones run unnamed, so a stream of new SQL texts
 * (IN lists of every length) cannot grow every connection's prepared statements without bound.
 */
export function preparedStatementNames(limit = 300) {
  const names = new Map<string, string>();
  return ({ sql }: { sql: string }): string => {
    let name = names.get(sql);
    if (name === undefined && names.size < limit) {
      name = `cg${names.size}`;
      names.set(sql, name);
    }
    return name ?? ''; // '' = unnamed
  };
}

async function connect(options: DatabaseOptions) {
  if (options.url) {
    const timeouts: pg.ClientConfig = {
      connectionTimeoutMillis: options.connectTimeoutMs,
      statement_timeout: options.statementTimeoutMs,
      query_timeout: options.statementTimeoutMs && options.statementTimeoutMs + SILENT_SERVER_MARGIN_MS,
    };
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      Client: ResilientClient,
      ...timeouts,
    });
    pool.on('error', () => {}); // idle clients dying with the server: the pool replaces them
    const adapter = new PrismaPg(
      pool,
      options.preparedStatements === false ? {} : { statementNameGenerator: preparedStatementNames() },
    );
    const target: MigrationTarget = {
      kind: 'postgres',
      connectionString: options.url,
      connectionTimeoutMillis: options.connectTimeoutMs,
    };
    const closeDriver = async () => {
      if (!pool.ended) await pool.end();
    };
    const query = async <T>({ name, text }: NamedStatement, values: unknown[]) =>
      (await pool.query({ name, text, values })).rows as T[];
    const url = options.url;
    const listener = (): ListenConnection => {
      const client = new pg.Client({ connectionString: url, ...timeouts });
      closeOnReadTimeout(client);
      return {
        async open(channel, onNotify, onLost) {
          client.on('notification', (message) => message.channel === channel && onNotify());
          client.on('error', onLost);
          client.on('end', () => onLost(new Error('the credential cache connection ended')));
          await client.connect();
          await client.query(`LISTEN ${channel}`);
        },
        query: async <T>(text: string, values?: unknown[]) => (await client.query(text, values)).rows as T[],
        close: () => client.end(),
      };
    };
    const poolStats = () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      max: options.poolSize ?? 10,
    });
    return { kind: 'postgres' as const, adapter, target, closeDriver, query, listener, poolStats };
  }
  // Loaded only without a URL: on PostgreSQL the embedded engine is dead weight at start.
  const [{ PGlite }, { PrismaPGlite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('pglite-prisma-adapter'),
  ]);
  const unlock = options.dataDir ? lockDataDir(options.dataDir) : () => {};
  try {
    const pglite = options.dataDir ? new PGlite(path.join(options.dataDir, 'pgdata')) : new PGlite();
    const target: MigrationTarget = { kind: 'pglite', db: pglite };
    const closeDriver = async () => {
      await pglite.close();
      unlock();
    };
    const query = async <T>({ text }: NamedStatement, values: unknown[]) => (await pglite.query<T>(text, values)).rows;
    const listener = (): ListenConnection => {
      let unlisten: (() => Promise<void>) | undefined;
      return {
        async open(channel, onNotify) {
          unlisten = await pglite.listen(channel, () => onNotify());
        },
        query: async <T>(text: string, values?: unknown[]) => (await pglite.query<T>(text, values)).rows,
        close: async () => unlisten?.(),
      };
    };
    return {
      kind: 'pglite' as const,
      adapter: new PrismaPGlite(pglite),
      target,
      closeDriver,
      query,
      listener,
      poolStats: () => null,
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const { kind, adapter, target, closeDriver, query, listener, poolStats } = await connect(options);
  const prisma = new PrismaClient({
    adapter,
    ...(kind === 'postgres' &&
      options.connectTimeoutMs &&
      options.statementTimeoutMs && {
        transactionOptions: { maxWait: options.connectTimeoutMs, timeout: options.statementTimeoutMs },
      }),
    log: options.onQuery ? [{ level: 'query', emit: 'event' }] : [],
  });
  if (options.onQuery) {
    const onQuery = options.onQuery;
    (prisma as unknown as { $on(event: 'query', cb: (e: { query: string }) => void): void }).$on('query', (e) =>
      onQuery(e.query),
    );
  }
  const logged = <T>(statement: NamedStatement, values: unknown[]) => {
    options.onQuery?.(statement.text);
    return query<T>(statement, values);
  };
  let migrated = false;
  const credentials = new CredentialCache({
    connect: listener,
    lookup: logged,
    enabled: options.credentialCache ?? true,
    onError: options.onCredentialCacheError ?? (() => {}),
  });
  return {
    kind,
    prisma,
    query: logged,
    credentials,
    poolStats,
    migrate: async () => (await applyMigrations(target)).applied,
    isReady: async () => {
      try {
        await prisma.$queryRaw`SELECT 1`;
        // This process's migrations, once all applied, stay applied: no session of its own each time.
        migrated ||= (await pendingMigrations(target)).length === 0;
        return migrated;
      } catch {
        return false;
      }
    },
    close: async () => {
      await credentials.close();
      await prisma.$disconnect();
      await closeDriver();
    },
  };
}
