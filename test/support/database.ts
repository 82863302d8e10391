import { randomBytes } from 'node:crypto';
import pg from 'pg';
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
 * A fresh, migrated database for one test file: in-memory PGlite by default, a new
 * PostgreSQL database (dropped afterwards) when DATABASE_URL is set.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const statements: string[] = [];
  const onQuery = (sql: string) => statements.push(sql);
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
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
