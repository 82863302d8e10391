import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../src/auth/tokens.ts';
import { createRateLimiter } from '../src/http/limits/rate-limit.ts';
import { CREATE } from './support/api-key-operations.ts';
import { globalId, organizationWith, type OrganizationScenario } from './support/scenarios.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/*
 * Issue 20, part 6: POST /oauth/revoke (RFC 7009) for access tokens.
 */

const ADDRESS_BUDGET = 3;
const AUTHENTICATE = /\/\* authenticate \*\//;
const MINUTE = 60_000;

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
let clock = new Date('2026-11-28T12:00:00Z');

beforeAll(async () => {
  server = await startTestServer({
    now: () => clock,
    rateLimiter: createRateLimiter(
      { keyRequests: 1000, adminRequests: 10_000, windowSeconds: 3600, unauthenticatedRequests: ADDRESS_BUDGET },
      pino({ level: 'silent' }),
    ),
  });
  acme = await organizationWith(server.db.prisma, 'RevokeCo', { projects: 1, contractorsPerProject: 1 });
  other = await organizationWith(server.db.prisma, 'OtherCo', { projects: 1, contractorsPerProject: 1 });
});
afterAll(() => server?.close());

interface Key {
  token: string;
  apiKey: { id: string; keyId: string };
}

let counter = 0;
async function newKey(org: OrganizationScenario = acme): Promise<Key> {
  const res = await server.graphql(org.adminToken, CREATE, {
    input: { name: `revoke key ${++counter}`, projectIds: [globalId('Project', org.projectIds[0])] },
  });
  expect(res.body.data.createApiKey.userErrors).toEqual([]);
  return res.body.data.createApiKey as Key;
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const form = (params: Record<string, string>) => new URLSearchParams(params).toString();

/** What node:http gives Yoga as server context: the socket's peer address is the client address. */
const from = (address: string) =>
  ({ req: { socket: { remoteAddress: address }, headers: {} } }) as unknown as Record<string, never>;

interface Call {
  path?: string;
  body?: string;
  headers?: Record<string, string>;
  method?: string;
  address?: string;
}

async function post({ path = '/oauth/revoke', body, headers = {}, method = 'POST', address }: Call) {
  const response = await server.yoga.fetch(
    `http://crewgraph.test${path}`,
    {
      method,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: method === 'GET' ? undefined : body,
    },
    ...(address ? [from(address)] : []),
  );
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : null };
}

async function exchange(key: Key) {
  const res = await post({
    path: '/oauth/token',
    body: form({ grant_type: 'client_credentials' }),
    headers: { authorization: basic(key.apiKey.keyId, key.token) },
  });
  expect(res.status).toBe(200);
  return res.body.access_token as string;
}

const revoke = (key: Key, token: string, extra: Record<string, string> = {}) =>
  post({ body: form({ token, ...extra }), headers: { authorization: basic(key.apiKey.keyId, key.token) } });

const VIEWER = '{ viewer { kind tokenKind keyId } }';
const works = async (token: string) => (await server.graphql(token, VIEWER)).status === 200;
const stored = (token: string) => server.db.prisma.accessToken.findUnique({ where: { tokenId: token.split('_')[1] } });
const events = async (key: Key) =>
  (
    await server.db.prisma.apiKeyEvent.findMany({
      where: { apiKey: { keyId: key.apiKey.keyId } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    })
  ).filter((event) => event.action.startsWith('TOKEN_'));

/** Until the token is answered from the credential cache (no authentication statement), so a revoke must empty it. */
async function untilCached(token: string) {
  for (let i = 0; i < 600; i++) {
    server.db.statements.length = 0;
    expect(await works(token)).toBe(true);
    if (!server.db.statements.some((sql) => AUTHENTICATE.test(sql))) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the token was never cached');
}

describe('POST /oauth/revoke', () => {
  it('revokes an access token of the key: 200 with an empty body, refused by the very next request', async () => {
    const key = await newKey();
    const token = await exchange(key);
    const sibling = await exchange(key);
    await untilCached(token);

    const res = await revoke(key, token);
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(res.headers.get('cache-control')).toBe('no-store');

    const refused = await server.graphql(token, VIEWER);
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(await stored(token)).toBeNull();
    // The key and its other tokens are untouched.
    expect(await works(sibling)).toBe(true);
    expect((await server.graphql(key.token, VIEWER)).body.data.viewer).toEqual({
      kind: 'API_KEY',
      tokenKind: 'API_KEY',
      keyId: key.apiKey.keyId,
    });
  });

  it("records TOKEN_REVOKED in the key's audit trail with the token id, never a secret; once", async () => {
    const key = await newKey();
    const token = await exchange(key);
    expect((await revoke(key, token)).status).toBe(200);
    expect((await revoke(key, token)).status).toBe(200);
    const trail = await events(key);
    expect(trail.map((event) => event.action)).toEqual(['TOKEN_ISSUED', 'TOKEN_REVOKED']);
    const changes = JSON.stringify(trail[1].changes);
    expect(changes).toContain(token.split('_')[1]);
    expect(changes).not.toContain(token.split('_')[2]);
    expect(trail[1].requestId).toEqual(expect.any(String));
  });

  it('accepts the client credentials as form fields, and token_type_hint', async () => {
    const key = await newKey();
    const first = await exchange(key);
    const second = await exchange(key);
    const byForm = await post({
      body: form({ token: first, client_id: key.apiKey.keyId, client_secret: key.token }),
    });
    expect(byForm.status).toBe(200);
    expect(await works(first)).toBe(false);
    // A wrong hint does not stop the search (RFC 7009 §2.1).
    expect((await revoke(key, second, { token_type_hint: 'refresh_token' })).status).toBe(200);
    expect(await works(second)).toBe(false);
  });

  describe('answers 200 and changes nothing (RFC 7009 §2.2)', () => {
    let key: Key;
    beforeAll(async () => {
      key = await newKey();
    });

    it("for another key's token, which keeps working", async () => {
      const owner = await newKey();
      const token = await exchange(owner);
      expect((await revoke(key, token)).status).toBe(200);
      expect(await works(token)).toBe(true);
      expect(await stored(token)).not.toBeNull();
      expect(await events(key)).toEqual([]);
      expect((await events(owner)).map((event) => event.action)).toEqual(['TOKEN_ISSUED']);
    });

    it("for another organisation's key's token, which keeps working", async () => {
      const token = await exchange(await newKey(other));
      expect((await revoke(key, token)).status).toBe(200);
      expect(await works(token)).toBe(true);
    });

    it('for a token of the key with a wrong secret (its id is public), which keeps working', async () => {
      const token = await exchange(key);
      const forged = issueToken('cgt', token.split('_')[1]).token;
      expect((await revoke(key, forged)).status).toBe(200);
      expect(await works(token)).toBe(true);
    });

    const tokens: [string, () => string][] = [
      ['an unknown token', () => issueToken('cgt').token],
      ['a malformed token', () => 'not-a-token'],
      ['a token with a bad checksum', () => issueToken('cgt').token.slice(0, -1) + '0'],
    ];
    for (const [name, token] of tokens) {
      it(`for ${name}`, async () => {
        const before = await server.db.prisma.accessToken.count();
        const res = await revoke(key, token());
        expect(res.status).toBe(200);
        expect(res.text).toBe('');
        expect(await server.db.prisma.accessToken.count()).toBe(before);
      });
    }

    it('for an expired token', async () => {
      const token = await exchange(key);
      const start = clock;
      try {
        clock = new Date(start.getTime() + 31 * MINUTE);
        expect(await works(token)).toBe(false);
        expect((await revoke(key, token)).status).toBe(200);
      } finally {
        clock = start;
      }
    });
  });

  describe('errors', () => {
    let key: Key;
    let token: string;
    beforeAll(async () => {
      key = await newKey();
      token = await exchange(key);
    });

    const cases: [string, () => Call, number, string][] = [
      ['no client authentication', () => ({ body: form({ token }) }), 401, 'invalid_client'],
      [
        'a wrong client_secret',
        () => ({
          body: form({ token }),
          headers: { authorization: basic(key.apiKey.keyId, issueToken('cgk', key.apiKey.keyId).token) },
        }),
        401,
        'invalid_client',
      ],
      [
        'a client_id of another key',
        () => ({ body: form({ token }), headers: { authorization: basic('AAAAAAAAAAAA', key.token) } }),
        401,
        'invalid_client',
      ],
      [
        'the access token itself as client_secret',
        () => ({ body: form({ token }), headers: { authorization: basic(token.split('_')[1], token) } }),
        401,
        'invalid_client',
      ],
      [
        "the key's own token to revoke (cgk_)",
        () => ({ body: form({ token: key.token }), headers: { authorization: basic(key.apiKey.keyId, key.token) } }),
        400,
        'unsupported_token_type',
      ],
      [
        'an admin token to revoke (cga_)',
        () => ({
          body: form({ token: acme.adminToken }),
          headers: { authorization: basic(key.apiKey.keyId, key.token) },
        }),
        400,
        'unsupported_token_type',
      ],
      [
        'no token',
        () => ({ body: form({}), headers: { authorization: basic(key.apiKey.keyId, key.token) } }),
        400,
        'invalid_request',
      ],
      [
        'a JSON body',
        () => ({
          body: JSON.stringify({ token }),
          headers: { 'content-type': 'application/json', authorization: basic(key.apiKey.keyId, key.token) },
        }),
        400,
        'invalid_request',
      ],
      [
        'a repeated token',
        () => ({
          body: `${form({ token })}&${form({ token })}`,
          headers: { authorization: basic(key.apiKey.keyId, key.token) },
        }),
        400,
        'invalid_request',
      ],
      ['GET instead of POST', () => ({ method: 'GET' }), 405, 'invalid_request'],
    ];
    for (const [name, call, status, error] of cases) {
      it(`${name}: ${status} ${error}, nothing revoked`, async () => {
        const res = await post(call());
        expect({ status: res.status, error: res.body?.error }).toEqual({ status, error });
        expect(res.body.error_description).toEqual(expect.any(String));
        expect(res.headers.get('cache-control')).toBe('no-store');
        if (status === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
        expect(await works(token)).toBe(true);
        expect(await works(key.token)).toBe(true);
        expect(await works(acme.adminToken)).toBe(true);
      });
    }
  });

  it("spends the client address's budget before reading credentials: 429 RATE_LIMITED, no database work", async () => {
    const address = '203.0.113.7';
    const attempt = () =>
      post({
        address,
        body: form({ token: issueToken('cgt').token, client_id: 'nope', client_secret: issueToken('cgk').token }),
      });
    for (let i = 0; i < ADDRESS_BUDGET; i++) expect((await attempt()).status).toBe(401);
    const before = server.db.statements.length;
    const refused = await attempt();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body).toMatchObject({ error: 'temporarily_unavailable', code: 'RATE_LIMITED' });
    expect(server.db.statements.slice(before)).toEqual([]);
  });
});
