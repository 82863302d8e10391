import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  applyMigrations,
  defaultMigrationsDir,
  MigrationError,
  pendingMigrations,
  type MigrationTarget,
} from '../src/db/migrations.ts';
import { useTempDirs } from './support/temp-dirs.ts';

interface Backend {
  target: MigrationTarget;
  query(sql: string, params?: unknown[]): Promise<Record<string, any>[]>;
  close(): Promise<void>;
}

async function openBackend(kind: 'pglite' | 'postgres'): Promise<Backend> {
  if (kind === 'pglite') {
    const db = new PGlite();
    return {
      target: { kind: 'pglite', db },
      query: async (sql, params) => (await db.query<Record<string, any>>(sql, params)).rows,
      close: () => db.close(),
    };
  }
  const server = process.env.DATABASE_URL!;
  const name = `crewgraph_mig_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  return {
    target: { kind: 'postgres', connectionString: url.toString() },
    query: async (sql, params) => (await client.query(sql, params)).rows,
    close: async () => {
      await client.end();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const tempDir = useTempDirs('crewgraph-mig-');
async function writeMigration(dir: string, name: string, sql: string) {
  await mkdir(path.join(dir, name), { recursive: true });
  await writeFile(path.join(dir, name, 'migration.sql'), sql);
}

const realMigrations = (await readdir(defaultMigrationsDir, { withFileTypes: true }))
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

const kinds: ('pglite' | 'postgres')[] = ['pglite', ...(process.env.DATABASE_URL ? (['postgres'] as const) : [])];

describe.each(kinds)('applyMigrations on %s', (kind) => {
  let b: Backend;
  const tableExists = async (table: string) =>
    (await b.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [`"${table}"`]))[0].present as boolean;

  beforeAll(async () => {
    b = await openBackend(kind);
  });
  afterAll(() => b?.close());
  beforeEach(async () => {
    await b.query('DROP SCHEMA public CASCADE');
    await b.query('CREATE SCHEMA public');
  });

  it('brings a fresh database up to date and records it like prisma migrate deploy', async () => {
    expect(realMigrations.length).toBeGreaterThan(0);
    expect(await pendingMigrations(b.target)).toEqual(realMigrations);

    const started = performance.now();
    const { applied } = await applyMigrations(b.target);
    console.info(`[${kind}] applied ${applied.length} migration(s) in ${Math.round(performance.now() - started)} ms`);
    expect(applied).toEqual(realMigrations);

    for (const table of ['Organization', 'User', 'ApiKey', 'Worker', 'Recognition'])
      expect(await tableExists(table)).toBe(true);
    const [partial] = await b.query(
      `SELECT indexdef FROM pg_indexes WHERE indexname = 'ApiKey_organizationId_normalizedName_key'`,
    );
    expect(partial.indexdef).toMatch(/^CREATE UNIQUE INDEX .* WHERE \("deletedAt" IS NULL\)$/);

    const rows = await b.query(
      'SELECT migration_name, checksum, finished_at, rolled_back_at, logs, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(realMigrations);
    for (const row of rows) {
      expect(row.checksum).toBe(
        sha256(await readFile(path.join(defaultMigrationsDir, row.migration_name, 'migration.sql'))),
      );
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }

    expect(await applyMigrations(b.target)).toEqual({ applied: [] });
    expect(await pendingMigrations(b.target)).toEqual([]);
    expect(await b.query('SELECT count(*)::int AS n FROM "_prisma_migrations"')).toEqual([
      { n: realMigrations.length },
    ]);
  });

  it('makes key names unique case-insensitively: of live keys sharing a name so, the newer get their keyId appended', async () => {
    const dir = await tempDir();
    const governance = realMigrations.findIndex((name) => name.endsWith('_credential_governance'));
    const copy = async (names: string[]) => {
      for (const name of names)
        await writeMigration(dir, name, await readFile(path.join(defaultMigrationsDir, name, 'migration.sql'), 'utf8'));
    };
    await copy(realMigrations.slice(0, governance));
    await applyMigrations(b.target, dir);
    const [org] = await b.query(
      `INSERT INTO "Organization" (id, name) VALUES (gen_random_uuid(), 'Dupes') RETURNING id`,
    );
    const key = (name: string, keyId: string, createdAt: string, deletedAt: string | null = null) =>
      b.query(
        `INSERT INTO "ApiKey" (id, "organizationId", name, "keyId", "secretHash", "createdAt", "updatedAt", "deletedAt")
         VALUES (gen_random_uuid(), $1, $2, $3, '\\x00', $4, $4, $5)`,
        [org.id, name, keyId, createdAt, deletedAt],
      );
    await key('Payroll sync', 'keyOldest001', '2026-01-01T00:00:00Z');
    await key('payroll SYNC ', 'keyNewer0002', '2026-02-01T00:00:00Z');
    await key('PAYROLL sync', 'keyDeleted03', '2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z');
    await key('Badge reader', 'keyOther0004', '2026-04-01T00:00:00Z');
    await copy(realMigrations.slice(governance));
    await applyMigrations(b.target, dir);
    const keys = await b.query(`SELECT "keyId", name, "normalizedName" FROM "ApiKey" ORDER BY "createdAt"`);
    expect(keys).toEqual([
      { keyId: 'keyOldest001', name: 'Payroll sync', normalizedName: 'payroll sync' },
      { keyId: 'keyNewer0002', name: 'payroll SYNC  (keyNewer0002)', normalizedName: 'payroll sync  (keynewer0002)' },
      { keyId: 'keyDeleted03', name: 'PAYROLL sync', normalizedName: 'payroll sync' },
      { keyId: 'keyOther0004', name: 'Badge reader', normalizedName: 'badge reader' },
    ]);
    const events = await b.query(`SELECT action, changes, "requestId" FROM "ApiKeyEvent"`);
    expect(events).toEqual([
      {
        action: 'UPDATED',
        changes: { name: { before: 'payroll SYNC ', after: 'payroll SYNC  (keyNewer0002)' } },
        requestId: 'migration credential_governance',
      },
    ]);
    const clash = b.query(
      `INSERT INTO "ApiKey" (id, "organizationId", name, "normalizedName", "keyId", "secretHash", "updatedAt")
       VALUES (gen_random_uuid(), $1, 'PAYROLL SYNC', 'payroll sync', 'keyClash0005', '\\x00', now())`,
      [org.id],
    );
    await expect(clash).rejects.toThrow(/unique|duplicate/i);
  });

  it('rolls a failing migration back completely, does not record it, and applies it once fixed', async () => {
    const dir = await tempDir();
    await writeMigration(dir, '20260101000000_one', 'CREATE TABLE "One" (id int PRIMARY KEY);\n');
    const broken = '20260102000000_two';
    await writeMigration(dir, broken, 'CREATE TABLE "Partial" (id int);\nINSERT INTO "Missing" VALUES (1);\n');

    const error = await applyMigrations(b.target, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).migration).toBe(broken);
    expect((error as Error).message).toContain(broken);
    expect((error as Error).message).toMatch(/relation "Missing" does not exist/);

    expect(await tableExists('One')).toBe(true);
    expect(await tableExists('Partial')).toBe(false);
    expect((await b.query('SELECT migration_name FROM "_prisma_migrations"')).map((r) => r.migration_name)).toEqual([
      '20260101000000_one',
    ]);
    expect(await pendingMigrations(b.target, dir)).toEqual([broken]);

    await writeMigration(dir, broken, 'CREATE TABLE "Partial" (id int);\n');
    expect(await applyMigrations(b.target, dir)).toEqual({ applied: [broken] });
    expect(await tableExists('Partial')).toBe(true);
  });

  it('reports a syntax error as a MigrationError naming the migration', async () => {
    const dir = await tempDir();
    await writeMigration(dir, '20260101000000_typo', 'CRATE TABLE "Typo" (id int);\n');
    await expect(applyMigrations(b.target, dir)).rejects.toThrow(/20260101000000_typo.*syntax error/);
    expect(await pendingMigrations(b.target, dir)).toEqual(['20260101000000_typo']);
  });

  it('refuses a migration edited after it was applied, but tolerates CRLF line endings', async () => {
    const dir = await tempDir();
    const name = '20260101000000_one';
    await writeMigration(dir, name, 'CREATE TABLE "One" (id int PRIMARY KEY);\n');
    await applyMigrations(b.target, dir);

    await writeMigration(dir, name, 'CREATE TABLE "One" (id int PRIMARY KEY);\r\n');
    expect(await applyMigrations(b.target, dir)).toEqual({ applied: [] });

    await writeMigration(dir, name, 'CREATE TABLE "One" (id bigint PRIMARY KEY);\n');
    await writeMigration(dir, '20260102000000_two', 'CREATE TABLE "Two" (id int);\n');
    const error = await applyMigrations(b.target, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).migration).toBe(name);
    expect((error as Error).message).toMatch(/modified after it was applied/);
    expect(await tableExists('Two')).toBe(false);
  });

  it('refuses to continue after a migration recorded as failed', async () => {
    const dir = await tempDir();
    await writeMigration(dir, '20260101000000_one', 'CREATE TABLE "One" (id int);\n');
    await applyMigrations(b.target, dir);
    await b.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs) VALUES ('f4c1a1b0-0000-4000-8000-000000000000', 'x', '20260102000000_failed', 'boom')`,
    );
    await writeMigration(dir, '20260102000000_failed', 'SELECT 1;\n');
    await expect(applyMigrations(b.target, dir)).rejects.toThrow(/20260102000000_failed.*recorded as failed/);
  });

  it('lets concurrent runs apply each migration once', async () => {
    const results = await Promise.all([
      applyMigrations(b.target),
      applyMigrations(b.target),
      applyMigrations(b.target),
    ]);
    expect(
      results
        .map((r) => r.applied)
        .flat()
        .sort(),
    ).toEqual(realMigrations);
    expect(await b.query('SELECT count(*)::int AS n FROM "_prisma_migrations"')).toEqual([
      { n: realMigrations.length },
    ]);
  });
});
