import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.ts';

export interface TestDatabase extends Database {
  /** SQL statements Prisma has sent since the last reset. */
  statements: string[];
  /** postgres:// URL of the throwaway database, when running on PostgreSQL. */
  url?: string;
  drop(): Promise<void>;
}

/** The server URL with another database name. */
export function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(sql: string) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Of the statements recorded, those a GraphQL operation itself ran: without authentication, last-use records and usage flushes. */
export function executedStatements(statements: string[]): string[] {
  return statements.filter((sql) => !/\/\* authenticate \*\/|SET "lastUsedAt" = |\/\* usage flush \*\//.test(sql));
}

/**
 * A fresh, migrated database for one test file: PGlite by default (a copy of the run's
 * migrated template, test/support/global-setup.ts, or in memory without one), a new
 * PostgreSQL database (dropped afterwards) when DATABASE_URL is set.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const statements: string[] = [];
  const onQuery = (sql: string) => statements.push(sql);
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const template = inject('migratedTemplateDir');
    if (template) {
      const dataDir = mkdtempSync(path.join(inject('testDatabasesDir') ?? tmpdir(), 'db-'));
      cpSync(path.join(template, 'pgdata'), path.join(dataDir, 'pgdata'), { recursive: true });
      const db = await openDatabase({ dataDir, onQuery });
      await db.migrate(); // nothing pending: the template has every migration
      const drop = async () => {
        await db.close();
        rmSync(dataDir, { recursive: true, force: true });
      };
      return Object.assign(db, { statements, drop });
    }
    const db = await openDatabase({ onQuery });
    await db.migrate();
    return Object.assign(db, { statements, drop: () => db.close() });
  }
  const name = `crewgraph_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = withDatabaseName(serverUrl, name);
  const db = await openDatabase({ url, onQuery, poolSize: 5 });
  await db.migrate();
  return Object.assign(db, {
    statements,
    url,
    drop: async () => {
      await db.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  });
}
