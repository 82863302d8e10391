// Applies prisma/migrations/*/migration.sql the way `prisma migrate deploy` does, without the
// native schema engine (see ../shared/PRISMA-OFFLINE.md): same `_prisma_migrations` table, same
// checksums, same advisory lock key, so the real `prisma migrate deploy` can take over any time.
// Unlike Prisma, each migration runs in one transaction with its bookkeeping row, so a failing
// migration leaves nothing behind and is not recorded.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import pg from 'pg';
import { DatabaseConnectError } from './unavailable.ts';

export type MigrationTarget =
  { kind: 'pglite'; db: PGlite } | { kind: 'postgres'; connectionString: string; connectionTimeoutMillis?: number };
export interface MigrationResult {
  /** Names applied by this call, in order. */
  applied: string[];
}

export const defaultMigrationsDir = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));
const ADVISORY_LOCK_KEY = 72707369; // the key `prisma migrate` locks
const LOCK_TIMEOUT = '60s';

export class MigrationError extends Error {
  constructor(
    readonly migration: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

// Prisma's DDL (prisma-engines, postgres flavour).
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface LocalMigration {
  name: string;
  script: string;
  checksum: string;
}
interface Row {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}
interface Conn {
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  exec(sql: string): Promise<unknown>;
}
interface Session extends Conn {
  transaction(fn: (tx: Conn) => Promise<void>): Promise<void>;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** Prisma's `script_matches_checksum`: tolerant of CRLF/LF conversions by git. */
function matchesChecksum(script: string, checksum: string) {
  return [script, script.replaceAll('\r\n', '\n'), script.replaceAll('\n', '\r\n')].some((s) => sha256(s) === checksum);
}

async function readMigrations(dir: string): Promise<LocalMigration[]> {
  if (!existsSync(dir)) return [];
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name, 'migration.sql');
      if (!existsSync(file)) throw new MigrationError(name, `Migration ${name} has no migration.sql (${file})`);
      const bytes = await readFile(file);
      return { name, script: bytes.toString('utf8'), checksum: sha256(bytes) };
    }),
  );
}

async function readRows(c: Conn): Promise<Row[]> {
  const [{ present }] = await c.query(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`);
  if (!present) return [];
  return (await c.query(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
  )) as unknown as Row[];
}

const isApplied = (r: Row) => r.finished_at !== null && r.rolled_back_at === null;

/** Pending migrations, after refusing failed and edited ones like `prisma migrate` does. */
function plan(local: LocalMigration[], rows: Row[]): LocalMigration[] {
  const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
  if (failed) {
    throw new MigrationError(
      failed.migration_name,
      `Migration ${failed.migration_name} is recorded as failed in _prisma_migrations (started, never finished); ` +
        'new migrations will not be applied. Repair the database, then mark it rolled back or applied ' +
        '(`prisma migrate resolve`, or set rolled_back_at on its row).',
    );
  }
  const applied = new Map(rows.filter(isApplied).map((r) => [r.migration_name, r]));
  for (const m of local) {
    const row = applied.get(m.name);
    if (row && !matchesChecksum(m.script, row.checksum)) {
      throw new MigrationError(
        m.name,
        `Migration ${m.name} was modified after it was applied (checksum in _prisma_migrations ${row.checksum}, ` +
          `file ${m.checksum}). Restore the original migration.sql and put the change in a new migration.`,
      );
    }
  }
  return local.filter((m) => !applied.has(m.name));
}

async function run(s: Session, dir: string): Promise<MigrationResult> {
  const local = await readMigrations(dir);
  await s.exec(CREATE_TABLE);
  const applied: string[] = [];
  for (const m of plan(local, await readRows(s))) {
    try {
      await s.transaction(async (tx) => {
        const id = randomUUID();
        await tx.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
          [id, m.checksum, m.name],
        );
        await tx.exec(m.script);
        await tx.query(
          'UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1',
          [id],
        );
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new MigrationError(m.name, `Migration ${m.name} failed and was rolled back: ${message}`, { cause: error });
    }
    applied.push(m.name);
  }
  return { applied };
}

const conn = (db: PGlite | Transaction | pg.Client): Conn =>
  db instanceof pg.Client
    ? { query: async (sql, params) => (await db.query(sql, params)).rows, exec: (sql) => db.query(sql) }
    : {
        query: async (sql, params) => (await db.query<Record<string, unknown>>(sql, params)).rows,
        exec: (sql) => db.exec(sql),
      };

// One locked run at a time per PGlite instance; PostgreSQL uses Prisma's advisory lock instead.
const pgliteQueues = new WeakMap<PGlite, Promise<unknown>>();

async function withSession<T>(target: MigrationTarget, locked: boolean, fn: (s: Session) => Promise<T>): Promise<T> {
  if (target.kind === 'pglite') {
    const { db } = target;
    const session: Session = { ...conn(db), transaction: (f) => db.transaction((tx) => f(conn(tx))) };
    if (!locked) return fn(session);
    const result = (pgliteQueues.get(db) ?? Promise.resolve()).catch(() => {}).then(() => fn(session));
    pgliteQueues.set(db, result);
    return result;
  }
  const client = new pg.Client({
    connectionString: target.connectionString,
    connectionTimeoutMillis: target.connectionTimeoutMillis,
  });
  client.on('error', () => {}); // a dropped connection surfaces as the failing query's error
  await client.connect().catch((error: unknown) => {
    throw new DatabaseConnectError(target.connectionString, error);
  });
  const c = conn(client);
  const transaction = async (f: (tx: Conn) => Promise<void>) => {
    await client.query('BEGIN');
    await f(c).catch(async (error) => {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    });
    await client.query('COMMIT');
  };
  try {
    if (locked) {
      await client.query(`SET lock_timeout = '${LOCK_TIMEOUT}'`);
      await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]).catch((error: Error) => {
        throw new Error(
          `Could not take the migration lock pg_advisory_lock(${ADVISORY_LOCK_KEY}) within ${LOCK_TIMEOUT}: ${error.message}`,
        );
      });
      await client.query('RESET lock_timeout');
    }
    return await fn({ ...c, transaction });
  } finally {
    await client.end().catch(() => {}); // closing the session releases the advisory lock
  }
}

/** Applies every pending migration of `dir`, each in its own transaction with its `_prisma_migrations` row. */
export function applyMigrations(target: MigrationTarget, dir = defaultMigrationsDir): Promise<MigrationResult> {
  return withSession(target, true, (s) => run(s, dir));
}

/** Names of the migrations of `dir` not (successfully) applied yet. */
export async function pendingMigrations(target: MigrationTarget, dir = defaultMigrationsDir): Promise<string[]> {
  const local = await readMigrations(dir);
  const rows = await withSession(target, false, readRows);
  const applied = new Set(rows.filter(isApplied).map((r) => r.migration_name));
  return local.filter((m) => !applied.has(m.name)).map((m) => m.name);
}
