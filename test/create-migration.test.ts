import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMigration } from '../src/db/migration-create.ts';
import { defaultMigrationsDir } from '../src/db/migrations.ts';
import { useTempDirs } from './support/temp-dirs.ts';

/*
 * createMigration (npm run db:migration:create) diffs prisma/schema.prisma against the committed
 * migrations: tens of seconds, so in the process tier; applying migrations is test/migrations.
 */

const tempDir = useTempDirs('crewgraph-mig-');

describe('createMigration', () => {
  it('finds no changes between the committed migrations and prisma/schema.prisma', async () => {
    const started = performance.now();
    expect(await createMigration('nothing', { log: () => {} })).toBeNull();
    console.info(`createMigration (no changes) took ${Math.round(performance.now() - started)} ms`);
  }, 300_000);

  it('writes a migration for a schema change that then round-trips', async () => {
    const root = await tempDir();
    const migrationsDir = path.join(root, 'migrations');
    await cp(defaultMigrationsDir, migrationsDir, { recursive: true });
    const schemaPath = path.join(root, 'schema.prisma');
    const schema = await readFile(path.join(defaultMigrationsDir, '..', 'schema.prisma'), 'utf8');
    await writeFile(schemaPath, schema.replace(/(\n\s+trade\s+String\?)/, '$1\n  badge String? @unique'));

    const created = await createMigration('Add worker badge!', { migrationsDir, schemaPath, log: () => {} });
    expect(created).not.toBeNull();
    expect(path.basename(created!.dir)).toMatch(/^\d{14}_add_worker_badge$/);
    const sql = await readFile(path.join(created!.dir, 'migration.sql'), 'utf8');
    expect(sql).toContain('ALTER TABLE "Worker" ADD COLUMN     "badge" TEXT;');
    expect(sql).toContain('CREATE UNIQUE INDEX "Worker_badge_key" ON "Worker"("badge");');

    expect(await createMigration('again', { migrationsDir, schemaPath, log: () => {} })).toBeNull();
  }, 300_000);
});
