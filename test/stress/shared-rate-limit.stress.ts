import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin } from '../../src/modules/admins/admin.service.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startServerProcess, type RunningServer } from '../support/process.ts';
import { apiKeyFixture } from '../support/scenarios.ts';
import { gql, skipReason } from './support.ts';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const BUDGET = 10;

// (A revoke through one process refused by the other: test/multi-process.test.ts.)
describe.skipIf(skipReason)(
  `two server processes share one rate limit through Redis (${skipReason ?? REDIS_URL})`,
  () => {
    let db: TestDatabase;
    let a: RunningServer;
    let b: RunningServer;
    let keyToken: string;

    beforeAll(async () => {
      db = await createTestDatabase();
      const admin = await createAdmin(db.prisma, { organizationName: 'Budget', email: 'owner@budget.test' });
      const project = await db.prisma.project.create({
        data: { organizationId: admin.organizationId, name: 'P', code: 'P' },
      });
      // a fresh key: its budget in Redis (keyed by the key's uuid) starts full
      keyToken = (await apiKeyFixture(db.prisma, admin.organizationId, { projectIds: [project.id] })).token;
      const env = {
        DATABASE_URL: db.url,
        PORT: '0',
        SEED_DEMO: '0',
        LOG_LEVEL: 'warn',
        REDIS_URL,
        RATE_LIMIT_KEY_REQUESTS: String(BUDGET),
        RATE_LIMIT_WINDOW_SECONDS: '60',
      };
      [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    });
    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      await db?.drop();
    });

    it(`alternating requests through both processes spend one budget of ${BUDGET}: the next is 429 on either`, async () => {
      expect(a.stdout() + b.stdout()).not.toMatch(/Redis not reachable/);
      const seen: { server: string; status: number; remaining: string | null; retryAfter: string | null }[] = [];
      for (let i = 0; i < BUDGET + 2; i++) {
        const server = i % 2 ? b : a;
        const reply = await gql(server.url, keyToken, '{ viewer { kind } }');
        seen.push({
          server: i % 2 ? 'b' : 'a',
          status: reply.status,
          remaining: reply.headers?.get('ratelimit-remaining') ?? null,
          retryAfter: reply.headers?.get('retry-after') ?? null,
        });
        if (reply.status === 429) expect(reply.code).toBe('RATE_LIMITED');
      }
      console.log(JSON.stringify(seen));
      // the budget is shared: 10 served alternately, counting down across both processes
      expect(seen.slice(0, BUDGET).map((s) => [s.status, s.remaining])).toEqual(
        Array.from({ length: BUDGET }, (_, i) => [200, String(BUDGET - 1 - i)]),
      );
      // the 11th (process a) and the 12th (process b) are both refused with Retry-After
      for (const refused of seen.slice(BUDGET)) {
        expect(refused.status).toBe(429);
        expect(refused.remaining).toBe('0');
        expect(Number(refused.retryAfter)).toBeGreaterThan(0);
        expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
      }
      expect(seen.slice(BUDGET).map((s) => s.server)).toEqual(['a', 'b']);
    });
  },
);
