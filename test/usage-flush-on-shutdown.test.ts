import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.ts';
import { createTestDatabase } from './support/database.ts';
import { startServerProcess } from './support/process.ts';
import { apiKeyFixture, organizationWith } from './support/scenarios.ts';
import { storedUsage } from './support/usage.ts';

/*
 * Usage counts of a server process (src/modules/usage): the counts it holds are flushed when it
 * stops. Counting itself is tested in process, in src/modules/usage/usage.test.ts.
 */

const OK = '{ viewer { kind } }';

describe('shutdown', () => {
  it('the process flushes its counts when it stops', async () => {
    // A database of its own that the server process opens (PGlite is single-process).
    const dataDir = process.env.DATABASE_URL ? null : mkdtempSync(path.join(tmpdir(), 'crewgraph-usage-'));
    const target = dataDir ? null : await createTestDatabase();
    const open = async (): Promise<Database> => {
      if (target) return target;
      const embedded = await openDatabase({ dataDir: dataDir! });
      await embedded.migrate();
      return embedded;
    };
    try {
      let database = await open();
      const scenario = await organizationWith(database.prisma, 'Stopping', { projects: 1, contractorsPerProject: 1 });
      const key = await apiKeyFixture(database.prisma, scenario.organizationId, { projectIds: scenario.projectIds });
      if (dataDir) await database.close();
      const env = target
        ? { DATABASE_URL: target.url, SEED_DEMO: '0' }
        : { DATABASE_URL: '', DATA_DIR: dataDir!, SEED_DEMO: '0' };
      const server = await startServerProcess({ ...env, PORT: '0', LOG_LEVEL: 'warn', USAGE_FLUSH_SECONDS: '60' });
      try {
        for (let i = 0; i < 3; i++) {
          const res = await fetch(server.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${key.token}` },
            body: JSON.stringify({ query: OK }),
          });
          expect(res.status).toBe(200);
        }
      } finally {
        expect(await server.stop()).toBe(0);
      }
      database = await open();
      try {
        const rows = await storedUsage(database.prisma, key.id);
        expect(rows.map((row) => row.requests)).toEqual([3]);
      } finally {
        if (dataDir) await database.close();
      }
    } finally {
      await target?.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});
