import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateLimitOptions } from '../src/config.ts';
import { createRateLimiter } from '../src/http/limits/rate-limit.ts';
import { apiKeyFixture, organizationWith, type OrganizationScenario } from './support/scenarios.ts';
import { executedStatements } from './support/database.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { freshKeyPrincipal } from './support/principals.ts';

const silent = pino({ level: 'silent' });
const budget = (options: Partial<RateLimitOptions> = {}) =>
  createRateLimiter({ keyRequests: 3, adminRequests: 5, windowSeconds: 60, ...options }, silent);

let server: TestServer;
let org: OrganizationScenario;
let keyToken: string;

beforeAll(async () => {
  server = await startTestServer({ rateLimiter: budget() });
  org = await organizationWith(server.db.prisma, 'Limited', { projects: 1 });
  keyToken = (await apiKeyFixture(server.db.prisma, org.organizationId, { projectIds: org.projectIds })).token;
});
afterAll(() => server?.close());

describe('rate limits', () => {
  it('counts down on every response and answers 429 RATE_LIMITED with Retry-After when spent', async () => {
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await server.graphql(keyToken, '{ viewer { kind } }');
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBe('3');
      expect(Number(res.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
      remaining.push(res.headers.get('ratelimit-remaining')!);
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const refused = await server.graphql(keyToken, '{ viewer { kind } }');
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
  });

  it('budgets are per principal: another key and the admin are unaffected', async () => {
    const other = await apiKeyFixture(server.db.prisma, org.organizationId, { projectIds: org.projectIds });
    const res = await server.graphql(other.token, '{ viewer { kind } }');
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit-remaining')).toBe('2');
    const admin = await server.graphql(org.adminToken, '{ viewer { kind } }');
    expect(admin.headers.get('ratelimit-limit')).toBe('5');
  });

  it('with REDIS_URL two instances share one budget', async () => {
    const a = budget({ redisUrl: 'redis://127.0.0.1:6379' });
    const b = budget({ redisUrl: 'redis://127.0.0.1:6379' });
    const principal = freshKeyPrincipal('shared');
    try {
      expect(await Promise.all([a.ready(), b.ready()])).toEqual([true, true]);
      const results = [
        await a.consume(principal),
        await b.consume(principal),
        await a.consume(principal),
        await b.consume(principal),
      ];
      expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
      expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('when Redis is down each instance keeps limiting on its own (documented fail-over), no 5xx', async () => {
    const down = await startTestServer({ rateLimiter: budget({ redisUrl: 'redis://127.0.0.1:1' }) });
    try {
      const o = await organizationWith(down.db.prisma, 'NoRedis', { projects: 1 });
      const statuses = [];
      for (let i = 0; i < 6; i++) statuses.push((await down.graphql(o.adminToken, '{ viewer { kind } }')).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    } finally {
      await down.close();
    }
  });
});

describe('query limits, checked before any resolver runs', () => {
  let limits: TestServer;
  let token: string;
  beforeAll(async () => {
    limits = await startTestServer();
    token = (await organizationWith(limits.db.prisma, 'Shapes', { projects: 1 })).adminToken;
  });
  afterAll(() => limits?.close());

  async function refused(query: string) {
    limits.db.statements.length = 0;
    const res = await limits.graphql(token, query);
    const executed = executedStatements(limits.db.statements);
    return { res, executed };
  }

  it('refuses a query whose pages could return too many objects, reporting its cost', async () => {
    const { res, executed } = await refused(
      '{ projects(first: 100) { edges { node { contractors(first: 100) { edges { node { workers(first: 100) { edges { node { id } } } } } } } } } }',
    );
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors[0].message).toMatch(/limit is 50000/);
    expect((res.body as any).extensions.cost.requestedQueryCost).toBeGreaterThan(50_000);
    expect(executed).toEqual([]);
  });

  it('reports the cost of an accepted query (first/last multiply it)', async () => {
    const small = await limits.graphql(token, '{ projects(first: 2) { edges { node { id } } } }');
    const large = await limits.graphql(token, '{ projects(first: 20) { edges { node { id } } } }');
    const cost = (r: typeof small) => (r.body as any).extensions.cost.requestedQueryCost;
    expect(cost(large)).toBeGreaterThan(cost(small) * 5);
  });

  it.each([
    ['depth', `{ people { edges { node { ${'manager { '.repeat(16)} id ${'} '.repeat(16)} } } } }`, /depth/i],
    ['aliases', `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: viewer { kind }`).join(' ')} }`, /alias/i],
    ['directives', `{ viewer { kind ${'@include(if: true) '.repeat(25)} } }`, /directive/i],
    ['tokens', `{ viewer { ${'kind '.repeat(6000)} } }`, /token/i],
  ])('refuses too much %s with a coded error and runs nothing', async (_what, query, message) => {
    const { res, executed } = await refused(query);
    expect(res.body.errors[0].message).toMatch(message);
    expect(res.status).toBeLessThan(500);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(executed).toEqual([]);
  });

  it('refuses a body over the size limit with 413 before parsing', async () => {
    const res = await limits.yoga.fetch('http://crewgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `{ viewer { kind } } # ${'x'.repeat(1_100_000)}` }),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('does not accept batched requests', async () => {
    const res = await limits.yoga.fetch('http://crewgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify([{ query: '{ viewer { kind } }' }, { query: '{ viewer { kind } }' }]),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const body = await res.json();
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});
