import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { burstOf, createRateLimiter } from '../src/http/limits/rate-limit.ts';
import { apiKeyFixture, organizationWith, type OrganizationScenario } from './support/scenarios.ts';
import { freshKeyPrincipal } from './support/principals.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/** Per-key request budgets (issue 20, part 4): a key's own, else its organisation's, else the server's. */
const silent = pino({ level: 'silent' });
const SERVER = { keyRequests: 10, adminRequests: 20, windowSeconds: 60 };

let server: TestServer;
let org: OrganizationScenario;
let other: OrganizationScenario;

beforeAll(async () => {
  // burst 3: smaller than the server's 10 (it applies), not smaller than a 3-request budget (none applies)
  server = await startTestServer({
    rateLimiter: createRateLimiter({ ...SERVER, burst: 3 }, silent),
    keyRateLimit: { requests: SERVER.keyRequests, perSeconds: SERVER.windowSeconds },
  });
  org = await organizationWith(server.db.prisma, 'Budgeted', { projects: 1, contractorsPerProject: 1 });
  other = await organizationWith(server.db.prisma, 'Unbudgeted', { projects: 1, contractorsPerProject: 1 });
});
afterAll(() => server?.close());
afterEach(() => vi.useRealTimers());

const ask = (token: string) => server.graphql(token, '{ viewer { kind } }');
const headers = (res: Awaited<ReturnType<typeof ask>>) => ({
  status: res.status,
  limit: res.headers.get('ratelimit-limit'),
  remaining: res.headers.get('ratelimit-remaining'),
});
const keyWith = async (o: OrganizationScenario, budget?: { requests: number; perSeconds: number }) => {
  const key = await apiKeyFixture(server.db.prisma, o.organizationId, { projectIds: o.projectIds });
  if (budget) {
    await server.db.prisma.apiKey.update({
      where: { id: key.id },
      data: { rateLimitRequests: budget.requests, rateLimitPerSeconds: budget.perSeconds },
    });
  }
  return key;
};

describe('per-key budgets', () => {
  it('two keys with different budgets on one server: each is counted against its own, and the headers say so', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-07T10:00:00Z'));
    const small = await keyWith(org, { requests: 3, perSeconds: 60 });
    const large = await keyWith(org, { requests: 5, perSeconds: 3600 });

    const smallSeen = [];
    for (let i = 0; i < 4; i++) smallSeen.push(headers(await ask(small.token)));
    expect(smallSeen).toEqual([
      { status: 200, limit: '3', remaining: '2' },
      { status: 200, limit: '3', remaining: '1' },
      { status: 200, limit: '3', remaining: '0' },
      { status: 429, limit: '3', remaining: '0' },
    ]);
    const refused = await ask(small.token);
    expect(refused.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);

    // the other key is untouched by the first one's spent budget, and counts in its own window
    const largeFirst = await ask(large.token);
    expect(headers(largeFirst)).toEqual({ status: 200, limit: '5', remaining: '4' });
    expect(Number(largeFirst.headers.get('ratelimit-reset'))).toBeGreaterThan(60);
    expect(Number(largeFirst.headers.get('ratelimit-reset'))).toBeLessThanOrEqual(3600);

    // after the small key's window (60 s) it may ask again
    vi.setSystemTime(new Date('2026-12-07T10:01:01Z'));
    expect(headers(await ask(small.token))).toEqual({ status: 200, limit: '3', remaining: '2' });
  });

  it("a key without its own budget spends its organisation's default; without one, the server's (with its burst)", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-07T11:00:00Z'));
    await server.db.prisma.organization.update({
      where: { id: org.organizationId },
      data: { defaultRateLimitRequests: 3, defaultRateLimitPerSeconds: 120 },
    });
    const defaulted = await keyWith(org);
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(headers(await ask(defaulted.token)));
    expect(seen.map((s) => s.status)).toEqual([200, 200, 200, 429]);
    expect(seen.every((s) => s.limit === '3')).toBe(true);

    // another organisation's key: the server's 10 a minute, and its burst of 3 at one instant
    const plain = await keyWith(other);
    const plainSeen = [];
    for (let i = 0; i < 4; i++) plainSeen.push(headers(await ask(plain.token)));
    expect(plainSeen).toEqual([
      { status: 200, limit: '10', remaining: '9' },
      { status: 200, limit: '10', remaining: '8' },
      { status: 200, limit: '10', remaining: '7' },
      { status: 429, limit: '10', remaining: '6' },
    ]);

    // admins keep the server's admin budget, whatever the organisation's default
    expect(headers(await ask(org.adminToken)).limit).toBe('20');

    // the settings show the organisation's default beside the server's figures
    const settings = await server.graphql(
      org.adminToken,
      '{ viewer { organization { settings { defaultRateLimit { requests perSeconds } serverRateLimit { requests perSeconds } } } } }',
    );
    expect(settings.body.data.viewer.organization.settings).toEqual({
      defaultRateLimit: { requests: 3, perSeconds: 120 },
      serverRateLimit: { requests: 10, perSeconds: 60 },
    });
  });

  it('a changed budget starts a fresh window', async () => {
    const limiter = createRateLimiter({ ...SERVER }, silent);
    const principal = freshKeyPrincipal('changed');
    principal.rateLimit = { requests: 2, perSeconds: 60 };
    const first = [
      await limiter.consume(principal),
      await limiter.consume(principal),
      await limiter.consume(principal),
    ];
    expect(first.map((d) => d.allowed)).toEqual([true, true, false]);
    principal.rateLimit = { requests: 3, perSeconds: 60 };
    const after = await limiter.consume(principal);
    expect(after).toMatchObject({ allowed: true, limit: 3, remaining: 2 });
    principal.rateLimit = null;
    expect(await limiter.consume(principal)).toMatchObject({ allowed: true, limit: 10, remaining: 9 });
  });

  it('burst of a custom budget: none when the burst is not smaller than the budget, else at least a second of its rate', () => {
    expect(burstOf(3, 60, 60)).toBeNull();
    expect(burstOf(600, 60, 60)).toEqual({ points: 60, seconds: 6 });
    expect(burstOf(6000, 60, 60)).toEqual({ points: 100, seconds: 1 });
    expect(burstOf(100_000, 86_400, 60)).toEqual({ points: 60, seconds: 52 });
  });

  it('with REDIS_URL two instances share a custom budget; another budget is another counter', async () => {
    const a = createRateLimiter({ ...SERVER, redisUrl: 'redis://127.0.0.1:6379' }, silent);
    const b = createRateLimiter({ ...SERVER, redisUrl: 'redis://127.0.0.1:6379' }, silent);
    const principal = freshKeyPrincipal('shared-budget');
    principal.rateLimit = { requests: 3, perSeconds: 60 };
    try {
      expect(await Promise.all([a.ready(), b.ready()])).toEqual([true, true]);
      const results = [
        await a.consume(principal),
        await b.consume(principal),
        await a.consume(principal),
        await b.consume(principal),
      ];
      expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
      expect(results.map((r) => [r.limit, r.remaining])).toEqual([
        [3, 2],
        [3, 1],
        [3, 0],
        [3, 0],
      ]);
      principal.rateLimit = { requests: 4, perSeconds: 60 };
      expect(await b.consume(principal)).toMatchObject({ allowed: true, limit: 4, remaining: 3 });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
