import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { createRateLimiter } from '../src/http/limits/rate-limit.ts';
import { createServer } from '../src/http/server.ts';
import { api } from '../src/schema.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { apiKeyFixture, organizationWith, type OrganizationScenario } from './support/scenarios.ts';
import { freshKeyPrincipal } from './support/principals.ts';

/*
 * Issue 18, items 2, 3, 6 and 7: what a hostile client can do at the HTTP edge before and
 * around authentication: log lines, per-address and burst budgets, CORS, error detail.
 */

const silent = pino({ level: 'silent' });
const ADDRESS_BUDGET = 3;
/** A key's steady rate here is 120 an hour (one per 30 s), so a burst of 3 refills in 90 s. */
const KEY_BUDGET = 120;
const BURST = 3;

let db: TestDatabase;
let org: OrganizationScenario;
let yoga: ReturnType<typeof createServer>;
const lines: Record<string, any>[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  org = await organizationWith(db.prisma, 'Hardened', { projects: 1 });
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  yoga = createServer({
    api,
    db,
    logger: pino({ level: 'info' }, sink),
    rateLimiter: createRateLimiter(
      {
        keyRequests: KEY_BUDGET,
        adminRequests: 100_000,
        windowSeconds: 3600,
        burst: BURST,
        unauthenticatedRequests: ADDRESS_BUDGET,
      },
      silent,
    ),
  });
});
afterAll(() => db?.drop());
afterEach(() => vi.useRealTimers());

/** What node:http gives Yoga as server context: the socket's peer address is the client address. */
const from = (address: string) =>
  ({ req: { socket: { remoteAddress: address }, headers: {} } }) as unknown as Record<string, never>;

let addresses = 0;
/** A client address no other test has used (TEST-NET-3). */
const freshAddress = () => `203.0.113.${++addresses}`;

async function graphql({
  token,
  address,
  body,
  headers = {},
}: {
  token?: string | null;
  address?: string;
  body?: unknown;
  headers?: Record<string, string>;
}) {
  const response = await yoga.fetch(
    new URL('http://crewgraph.test/graphql'),
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body ?? { query: '{ viewer { kind } }' }),
    },
    ...(address ? [from(address)] : []),
  );
  return { status: response.status, headers: response.headers, body: await response.json() };
}

describe('log lines stay small whatever the client sends (item 2)', () => {
  it('an unauthenticated request with a 900 KB operationName writes a short line, the name cut with a marker', async () => {
    const name = 'Op' + 'x'.repeat(900_000);
    const requestId = 'huge-operation-name';
    const res = await graphql({
      body: { query: '{ viewer { kind } }', operationName: name },
      headers: { 'x-request-id': requestId },
    });
    expect(res.status).toBe(401);
    const line = lines.find((l) => l.requestId === requestId);
    expect(line).toBeDefined();
    expect(JSON.stringify(line).length).toBeLessThan(2_000);
    expect(line!.operationName.startsWith('Opxxx')).toBe(true);
    expect(line!.operationName).toMatch(/cut\]$/);
    expect(line!.operationName.length).toBeLessThan(300);
  });

  it('a short operationName is logged as sent', async () => {
    const res = await graphql({
      token: org.adminToken,
      body: { query: 'query Short { viewer { kind } }', operationName: 'Short' },
      headers: { 'x-request-id': 'short-name' },
    });
    expect(res.status).toBe(200);
    expect(lines.find((l) => l.requestId === 'short-name')?.operationName).toBe('Short');
  });
});

describe('a per-address budget before authentication (item 2)', () => {
  it('requests without a credential spend their address budget, then 429 RATE_LIMITED with Retry-After', async () => {
    const address = freshAddress();
    const statuses: number[] = [];
    const remaining: (string | null)[] = [];
    for (let i = 0; i < ADDRESS_BUDGET; i++) {
      const res = await graphql({ address });
      statuses.push(res.status);
      remaining.push(res.headers.get('ratelimit-remaining'));
      expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    expect(statuses).toEqual([401, 401, 401]);
    expect(remaining).toEqual(['2', '1', '0']);
    const refused = await graphql({ address });
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', requestId: expect.any(String) });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // another address is not affected
    expect((await graphql({ address: freshAddress() })).status).toBe(401);
  });

  it('failed token lookups are counted; once spent, the address is refused before any database work', async () => {
    const address = freshAddress();
    const unknownKey = (i: number) => `cgk_${'A'.repeat(11)}${i}_${'B'.repeat(43)}`;
    for (let i = 0; i < ADDRESS_BUDGET; i++) {
      const res = await graphql({ address, token: unknownKey(i) });
      expect(res.status).toBe(401);
    }
    const before = db.statements.length;
    const refused = await graphql({ address, token: unknownKey(9) });
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(db.statements.slice(before)).toEqual([]);
  });

  it('a valid key never spends the address budget', async () => {
    const address = freshAddress();
    const key = await apiKeyFixture(db.prisma, org.organizationId, { projectIds: org.projectIds });
    for (let i = 0; i < ADDRESS_BUDGET; i++) {
      expect((await graphql({ address, token: org.adminToken })).status).toBe(200);
    }
    expect((await graphql({ address, token: key.token })).status).toBe(200);
    // the whole budget is still there for unauthenticated requests from that address
    const unauthenticated = [];
    for (let i = 0; i <= ADDRESS_BUDGET; i++) unauthenticated.push((await graphql({ address })).status);
    expect(unauthenticated).toEqual([401, 401, 401, 429]);
  });

  it('from a refused address, a credential this instance holds in memory still passes (no database work); others get 429', async () => {
    // an admin token: a key's burst here (3) is too small for the loop below
    const token = org.adminToken;
    const address = freshAddress();
    for (let i = 0; i < ADDRESS_BUDGET; i++) expect((await graphql({ address })).status).toBe(401);
    expect((await graphql({ address })).status).toBe(429);
    const unused = await apiKeyFixture(db.prisma, org.organizationId, { projectIds: org.projectIds });
    // The new key emptied the cache (every instance hears of a credential change). Until the
    // admin token is answered from memory again, no statement reading it:
    for (let i = 0; ; i++) {
      const before = db.statements.length;
      expect((await graphql({ address: freshAddress(), token })).status).toBe(200);
      if (db.statements.length === before) break;
      if (i > 400) throw new Error('the token was never cached');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const before = db.statements.length;
    expect((await graphql({ address, token })).status).toBe(200);
    expect((await graphql({ address, token: unused.token })).status).toBe(429);
    expect(db.statements.slice(before)).toEqual([]);
  });

  it('POST /oauth/token spends the address budget before reading credentials: 429 RATE_LIMITED, no database work', async () => {
    const address = freshAddress();
    const exchange = () =>
      yoga.fetch(
        new URL('http://crewgraph.test/oauth/token'),
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: 'nope',
            client_secret: `cgk_${'A'.repeat(12)}_${'B'.repeat(43)}`,
          }).toString(),
        },
        from(address),
      );
    for (let i = 0; i < ADDRESS_BUDGET; i++) expect((await exchange()).status).toBe(401);
    const before = db.statements.length;
    const refused = await exchange();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: 'temporarily_unavailable', code: 'RATE_LIMITED' });
    expect(db.statements.slice(before)).toEqual([]);
  });
});

describe('bursts (item 3)', () => {
  it('a key firing at once is refused after its burst though its window budget is not spent, and the burst refills', async () => {
    // Date is frozen: every request below happens at one instant, then time jumps.
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = new Date();
    vi.setSystemTime(start);
    const key = await apiKeyFixture(db.prisma, org.organizationId, { projectIds: org.projectIds });
    const statuses: number[] = [];
    for (let i = 0; i < BURST; i++) statuses.push((await graphql({ token: key.token })).status);
    expect(statuses).toEqual([200, 200, 200]);

    const refused = await graphql({ token: key.token });
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    // the headers still describe the window: far from spent
    expect(refused.headers.get('ratelimit-limit')).toBe(String(KEY_BUDGET));
    expect(Number(refused.headers.get('ratelimit-remaining'))).toBe(KEY_BUDGET - BURST - 1);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(90);
    expect(retryAfter).toBeLessThan(Number(refused.headers.get('ratelimit-reset')));

    // another key is not held back by this one's burst
    const other = await apiKeyFixture(db.prisma, org.organizationId, { projectIds: org.projectIds });
    expect((await graphql({ token: other.token })).status).toBe(200);

    vi.setSystemTime(new Date(start.getTime() + (retryAfter + 1) * 1000));
    const again = await graphql({ token: key.token });
    expect(again.status).toBe(200);
    expect(Number(again.headers.get('ratelimit-remaining'))).toBe(KEY_BUDGET - BURST - 2);
  });

  it('with REDIS_URL two instances share one burst', async () => {
    const options = { keyRequests: KEY_BUDGET, adminRequests: 1000, windowSeconds: 3600, burst: BURST };
    const a = createRateLimiter({ ...options, redisUrl: 'redis://127.0.0.1:6379' }, silent);
    const b = createRateLimiter({ ...options, redisUrl: 'redis://127.0.0.1:6379' }, silent);
    const principal = freshKeyPrincipal('burst');
    try {
      expect(await Promise.all([a.ready(), b.ready()])).toEqual([true, true]);
      const results = [
        await a.consume(principal),
        await b.consume(principal),
        await a.consume(principal),
        await b.consume(principal),
      ];
      expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
      expect(results.map((r) => r.remaining)).toEqual([119, 118, 117, 116]);
      expect(results[3].retryAfterSeconds).toBeLessThan(results[3].resetSeconds);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('CORS for bearer tokens (item 6)', () => {
  const preflight = (server: typeof yoga, origin: string) =>
    server.fetch('http://crewgraph.test/graphql', {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, x-custom',
      },
    });

  it('by default any origin may call, never with credentials; preflights name the headers the API reads and exposes', async () => {
    const pre = await preflight(yoga, 'https://anywhere.example');
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://anywhere.example');
    expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
    const allowed = pre.headers.get('access-control-allow-headers')!.toLowerCase().split(/,\s*/);
    expect(allowed).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'x-request-id', 'idempotency-key']),
    );
    expect(allowed).not.toContain('x-custom');
    const exposed = pre.headers.get('access-control-expose-headers')!.toLowerCase().split(/,\s*/);
    expect(exposed).toEqual(
      expect.arrayContaining([
        'ratelimit-limit',
        'ratelimit-remaining',
        'ratelimit-reset',
        'retry-after',
        'x-request-id',
      ]),
    );

    const res = await graphql({ token: org.adminToken, headers: { origin: 'https://anywhere.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://anywhere.example');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('with CORS_ORIGINS only the listed origins get CORS headers, and every answer varies by Origin', async () => {
    const listed = createServer({
      api,
      db,
      logger: silent,
      corsOrigins: ['https://app.example.com', 'https://b.example'],
    });
    const ok = await preflight(listed, 'https://b.example');
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://b.example');
    expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
    expect(ok.headers.get('vary')).toMatch(/origin/i);
    const other = await preflight(listed, 'https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-credentials')).toBeNull();
    expect(other.headers.get('vary')).toMatch(/origin/i);
  });

  it('CORS_ORIGINS is * by default, or a list of origins; anything else is a configuration error', () => {
    expect(loadConfig({}).corsOrigins).toBe('*');
    expect(loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:3000' }).corsOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:3000',
    ]);
    expect(() => loadConfig({ CORS_ORIGINS: 'app.example.com' })).toThrow(ConfigError);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://app.example.com/path' })).toThrow(ConfigError);
  });
});

describe('errors carry a code, the request id and a message of ours, nothing else (item 7)', () => {
  const PARSER_DETAIL =
    /position \d|Unexpected (token|end|non-whitespace)|is not valid JSON|SyntaxError|\bat \S+\.(js|ts|mjs|cjs):\d/;

  const POST_CASES: [string, string, string][] = [
    ['truncated JSON', 'application/json', '{"query": '],
    ['an unclosed array', 'application/json', '[1,2'],
    ['garbage', 'application/json', 'not json at all'],
    ['a trailing comma', 'application/json', '{"query": "{ viewer { kind } }",}'],
    ['single quotes', 'application/json', "{'query': '{ viewer { kind } }'}"],
    ['a number', 'application/json', '42'],
    ['null', 'application/json', 'null'],
    ['a string', 'application/json', '"{ viewer { kind } }"'],
    ['an empty body', 'application/json', ''],
    ['a query that is a number', 'application/json', '{"query": 5}'],
    ['no query', 'application/json', '{}'],
    ['variables as a string', 'application/json', '{"query": "{ viewer { kind } }", "variables": "{bad"}'],
    ['variables as a number', 'application/json', '{"query": "{ viewer { kind } }", "variables": 5}'],
    ['extensions as a string', 'application/json', '{"query": "{ viewer { kind } }", "extensions": "{bad"}'],
    ['an operationName that is a number', 'application/json', '{"query": "{ viewer { kind } }", "operationName": 5}'],
    ['invalid GraphQL syntax', 'application/json', '{"query": "{ viewer { kind "}'],
    ['a batch', 'application/json', '[{"query": "{ viewer { kind } }"}]'],
    ['a form with a broken escape', 'application/x-www-form-urlencoded', 'query=%ZZ'],
    ['a form with bad variables', 'application/x-www-form-urlencoded', 'query=%7Bviewer%7Bkind%7D%7D&variables=%7Bbad'],
    ['text/plain', 'text/plain', '{"query": "{ viewer { kind } }"}'],
    ['a charset other than utf-8', 'application/json; charset=latin1', '{"query": "{ viewer { kind } }"}'],
  ];
  const GET_CASES: [string, string][] = [
    ['bad variables JSON', 'query=%7Bviewer%7Bkind%7D%7D&variables=%7Bbad'],
    ['bad extensions JSON', 'query=%7Bviewer%7Bkind%7D%7D&extensions=%7Bbad'],
    ['variables that are a number', 'query=%7Bviewer%7Bkind%7D%7D&variables=5'],
    ['no query', 'foo=1'],
    ['a mutation', 'query=mutation%7Bx%7D'],
    ['broken percent escapes', 'query=%ZZ'],
  ];

  const expectOnlyOurs = async (response: Response) => {
    expect(response.status).toBeGreaterThanOrEqual(400);
    const text = await response.text();
    expect(text).not.toContain('originalError');
    expect(text).not.toContain('stack');
    const body = JSON.parse(text);
    expect(body.errors.length).toBeGreaterThan(0);
    for (const error of body.errors) {
      expect(Object.keys(error.extensions).sort()).toEqual(['code', 'requestId']);
      expect(error.extensions.requestId).toBe(response.headers.get('x-request-id'));
      expect(error.message).not.toMatch(PARSER_DETAIL);
    }
  };

  for (const withToken of [false, true]) {
    const who = withToken ? 'with a token' : 'without a token';
    it.each(POST_CASES)(`POST with %s (${who})`, async (_case, contentType, body) => {
      const response = await yoga.fetch('http://crewgraph.test/graphql', {
        method: 'POST',
        headers: {
          'content-type': contentType,
          accept: 'application/graphql-response+json, application/json',
          ...(withToken ? { authorization: `Bearer ${org.adminToken}` } : {}),
        },
        body,
      });
      await expectOnlyOurs(response);
    });

    it.each(GET_CASES)(`GET with %s (${who})`, async (_case, search) => {
      const response = await yoga.fetch(`http://crewgraph.test/graphql?${search}`, {
        headers: {
          accept: 'application/graphql-response+json, application/json',
          ...(withToken ? { authorization: `Bearer ${org.adminToken}` } : {}),
        },
      });
      await expectOnlyOurs(response);
    });
  }

  it.each(['application/graphql-response+json', 'application/json'])(
    'malformed JSON is told in our words, with 400 (accepting %s)',
    async (accept) => {
      const response = await yoga.fetch('http://crewgraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept },
        body: '{"query": ',
      });
      expect(response.status).toBe(400);
      expect((await response.json()).errors).toEqual([
        {
          message: 'The request holds JSON that does not parse.',
          extensions: { code: 'BAD_USER_INPUT', requestId: response.headers.get('x-request-id') },
        },
      ]);
    },
  );
});

describe('settings', () => {
  it('RATE_LIMIT_BURST and RATE_LIMIT_UNAUTHENTICATED_REQUESTS have defaults and bounds', () => {
    expect(loadConfig({}).rateLimits).toMatchObject({ burst: 60, unauthenticatedRequests: 60 });
    expect(loadConfig({ RATE_LIMIT_BURST: '10', RATE_LIMIT_UNAUTHENTICATED_REQUESTS: '5' }).rateLimits).toMatchObject({
      burst: 10,
      unauthenticatedRequests: 5,
    });
    expect(() => loadConfig({ RATE_LIMIT_BURST: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ RATE_LIMIT_UNAUTHENTICATED_REQUESTS: 'many' })).toThrow(ConfigError);
  });
});
