import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Data directory of an embedded database with every migration applied (unset on PostgreSQL). */
    migratedTemplateDir?: string;
    /** Where the test files' copies of it go; removed with the template after the run. */
    testDatabasesDir?: string;
  }
}

/**
 * Migrating an embedded database takes seconds; doing it once per run and giving each test
 * file a copy (createTestDatabase) saves that per file. On PostgreSQL each file still
 * creates and migrates its own database.
 */
export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) return;
  const runDir = mkdtempSync(path.join(tmpdir(), 'crewgraph-test-run-'));
  const dir = path.join(runDir, 'template');
  const db = await openDatabase({ dataDir: dir });
  try {
    await db.migrate();
  } finally {
    await db.close();
  }
  project.provide('migratedTemplateDir', dir);
  project.provide('testDatabasesDir', runDir);
  // Also takes the copies of files that only closed their database, or whose worker died.
  return () => rmSync(runDir, { recursive: true, force: true });
}
