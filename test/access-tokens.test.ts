import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../src/http/limits/rate-limit.ts';
import pino from 'pino';
import { CREATE, CYCLE, DELETE, REACTIVATE, REVOKE, UPDATE } from './support/api-key-operations.ts';
import { globalId, organizationWith, type OrganizationScenario } from './support/scenarios.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let acme: OrganizationScenario;
let clock = new Date('2026-11-28T12:00:00Z');
const MINUTE = 60_000;
const KEY_BUDGET = 40;

beforeAll(async () => {
  server = await startTestServer({
    now: () => clock,
    accessTokenTtlSeconds: 1800,
    rateLimiter: createRateLimiter(
      { keyRequests: KEY_BUDGET, adminRequests: 10_000, windowSeconds: 3600 },
      pino({ level: 'silent' }),
    ),
  });
  acme = await organizationWith(server.db.prisma, 'TokenCo', {
    projects: 2,
    contractorsPerProject: 1,
    workersPerContractor: 1,
  });
});
afterAll(() => server?.close());

let counter = 0;
async function newKey(input: Record<string, unknown> = {}) {
  const res = await server.graphql(acme.adminToken, CREATE, {
    input: { name: `token key ${++counter}`, projectIds: [globalId('Project', acme.projectIds[0])], ...input },
  });
  expect(res.body.data.createApiKey.userErrors).toEqual([]);
  return res.body.data.createApiKey as { token: string; apiKey: { id: string; keyId: string } };
}

interface Exchange {
  body?: string;
  headers?: Record<string, string>;
  method?: string;
}

async function post({ body, headers = {}, method = 'POST' }: Exchange) {
  const response = await server.yoga.fetch('http://crewgraph.test/oauth/token', {
    method,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: method === 'GET' ? undefined : body,
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const form = (params: Record<string, string>) => new URLSearchParams(params).toString();

async function exchange(key: { token: string; apiKey: { keyId: string } }) {
  const res = await post({
    body: form({ grant_type: 'client_credentials' }),
    headers: { authorization: basic(key.apiKey.keyId, key.token) },
  });
  expect(res.status).toBe(200);
  return res.body.access_token as string;
}

const VIEWER = `{ viewer { kind tokenKind keyId expiresAt tokenExpiresAt } }`;

async function works(token: string) {
  const res = await server.graphql(token, VIEWER);
  return res.status === 200 && res.body.data?.viewer?.tokenKind === 'ACCESS_TOKEN';
}

describe('POST /oauth/token', () => {
  it('issues a 30-minute bearer token for HTTP Basic client authentication, never cached', async () => {
    const key = await newKey();
    const res = await post({
      body: form({ grant_type: 'client_credentials' }),
      headers: { authorization: basic(key.apiKey.keyId, key.token) },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('pragma')).toBe('no-cache');
    expect(res.body).toEqual({
      access_token: expect.stringMatching(/^cgt_\w{12}_\w{49}$/),
      token_type: 'Bearer',
      expires_in: 1800,
      // A new key reads only (allowWrites defaults to false): the token has the key's rights.
      scope: 'read',
    });
    const viewer = await server.graphql(res.body.access_token, VIEWER);
    expect(viewer.body.data.viewer).toEqual({
      kind: 'API_KEY',
      tokenKind: 'ACCESS_TOKEN',
      keyId: key.apiKey.keyId,
      expiresAt: null,
      tokenExpiresAt: new Date(clock.getTime() + 30 * MINUTE).toISOString(),
    });
  });

  it('accepts the credentials as form fields too, and stores only a hash', async () => {
    const key = await newKey();
    const res = await post({
      body: form({ grant_type: 'client_credentials', client_id: key.apiKey.keyId, client_secret: key.token }),
    });
    expect(res.status).toBe(200);
    const token: string = res.body.access_token;
    const stored = await server.db.prisma.accessToken.findUniqueOrThrow({ where: { tokenId: token.split('_')[1] } });
    expect(Buffer.from(stored.secretHash).toString('utf8')).not.toContain(token.split('_')[2].slice(0, 20));
    expect(await works(token)).toBe(true);
  });

  it('records the issuance in the key audit trail, without a secret', async () => {
    const key = await newKey();
    const token = await exchange(key);
    const events = await server.db.prisma.apiKeyEvent.findMany({
      where: { apiKey: { keyId: key.apiKey.keyId } },
      orderBy: { createdAt: 'asc' },
    });
    expect(events.map((e) => e.action)).toEqual(['CREATED', 'TOKEN_ISSUED']);
    expect(JSON.stringify(events[1].changes)).toContain(token.split('_')[1]);
    expect(JSON.stringify(events[1].changes)).not.toContain(token.split('_')[2]);
  });

  it('never outlives the key: expires_in stops at the key expiry', async () => {
    const key = await newKey({ expiresAt: new Date(clock.getTime() + 10 * MINUTE).toISOString() });
    const res = await post({
      body: form({ grant_type: 'client_credentials' }),
      headers: { authorization: basic(key.apiKey.keyId, key.token) },
    });
    expect(res.body.expires_in).toBe(600);
  });

  describe('errors as RFC 6749 §5.2', () => {
    let key: { token: string; apiKey: { keyId: string } };
    beforeAll(async () => {
      key = await newKey();
    });
    const cases: [string, () => Exchange, number, string][] = [
      ['GET instead of POST', () => ({ method: 'GET' }), 405, 'invalid_request'],
      [
        'a JSON body',
        () => ({
          body: JSON.stringify({ grant_type: 'client_credentials' }),
          headers: { 'content-type': 'application/json' },
        }),
        400,
        'invalid_request',
      ],
      [
        'no grant_type',
        () => ({ body: form({}), headers: { authorization: basic(key.apiKey.keyId, key.token) } }),
        400,
        'invalid_request',
      ],
      [
        'another grant type',
        () => ({
          body: form({ grant_type: 'password' }),
          headers: { authorization: basic(key.apiKey.keyId, key.token) },
        }),
        400,
        'unsupported_grant_type',
      ],
      [
        'a repeated parameter',
        () => ({
          body: 'grant_type=client_credentials&grant_type=client_credentials',
          headers: { authorization: basic(key.apiKey.keyId, key.token) },
        }),
        400,
        'invalid_request',
      ],
      [
        'two authentication methods',
        () => ({
          body: form({ grant_type: 'client_credentials', client_id: key.apiKey.keyId, client_secret: key.token }),
          headers: { authorization: basic(key.apiKey.keyId, key.token) },
        }),
        400,
        'invalid_request',
      ],
      ['no client authentication', () => ({ body: form({ grant_type: 'client_credentials' }) }), 401, 'invalid_client'],
      [
        'a client_secret with a bad checksum',
        () => ({
          body: form({ grant_type: 'client_credentials' }),
          headers: {
            authorization: basic(key.apiKey.keyId, key.token.slice(0, -1) + (key.token.endsWith('A') ? 'B' : 'A')),
          },
        }),
        401,
        'invalid_client',
      ],
      [
        'a client_id of another key',
        () => ({
          body: form({ grant_type: 'client_credentials' }),
          headers: { authorization: basic('AAAAAAAAAAAA', key.token) },
        }),
        401,
        'invalid_client',
      ],
      [
        'an admin token as client_secret',
        () => ({
          body: form({ grant_type: 'client_credentials' }),
          headers: { authorization: basic(acme.adminToken.split('_')[1], acme.adminToken) },
        }),
        401,
        'invalid_client',
      ],
      [
        'a malformed Basic header',
        () => ({ body: form({ grant_type: 'client_credentials' }), headers: { authorization: 'Basic !!!' } }),
        401,
        'invalid_client',
      ],
    ];
    for (const [name, request, status, error] of cases) {
      it(`${name}: ${status} ${error}, nothing issued`, async () => {
        const before = await server.db.prisma.accessToken.count();
        const res = await post(request());
        expect({ status: res.status, error: res.body.error }).toEqual({ status, error });
        expect(res.body.error_description).toEqual(expect.any(String));
        expect(res.headers.get('cache-control')).toBe('no-store');
        if (status === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
        expect(await server.db.prisma.accessToken.count()).toBe(before);
      });
    }

    it('a revoked key cannot exchange: 401 invalid_client saying why', async () => {
      const revoked = await newKey();
      await server.graphql(acme.adminToken, REVOKE, { input: { id: revoked.apiKey.id } });
      const res = await post({
        body: form({ grant_type: 'client_credentials' }),
        headers: { authorization: basic(revoked.apiKey.keyId, revoked.token) },
      });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'invalid_client', error_description: 'This API key has been deactivated.' });
    });

    it('an access token cannot be exchanged for another', async () => {
      const token = await exchange(await newKey());
      const res = await post({
        body: form({ grant_type: 'client_credentials' }),
        headers: { authorization: basic(token.split('_')[1], token) },
      });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_client');
    });
  });
});

describe('an access token', () => {
  it('has the rights of its key: a read-only key token cannot write, and sees only its projects', async () => {
    const token = await exchange(await newKey({ allowWrites: false }));
    const write = await server.graphql(
      token,
      `mutation ($input: UpdateContractorInput!) { updateContractor(input: $input) { contractor { name } } }`,
      { input: { id: globalId('Contractor', acme.contractorIds[0]), name: 'Renamed' } },
    );
    expect(write.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const other = await server.graphql(token, `query ($id: ID!) { node(id: $id) { id } }`, {
      id: globalId('Project', acme.projectIds[1]),
    });
    expect(other.body.data.node).toBeNull();
    const own = await server.graphql(token, `{ projects(first: 5) { edges { node { id } } } }`);
    expect(own.body.data.projects.edges).toEqual([{ node: { id: globalId('Project', acme.projectIds[0]) } }]);
  });

  it('takes the key flags as they are at the moment of use', async () => {
    const key = await newKey({ allowWrites: false });
    const token = await exchange(key);
    await server.graphql(acme.adminToken, UPDATE, { input: { id: key.apiKey.id, allowWrites: true } });
    const viewer = await server.graphql(token, `{ viewer { allowWrites } }`);
    expect(viewer.body.data.viewer.allowWrites).toBe(true);
  });

  it('stops working after expires_in seconds (injected clock)', async () => {
    const token = await exchange(await newKey());
    const issuedAt = clock;
    try {
      clock = new Date(issuedAt.getTime() + 29 * MINUTE);
      expect(await works(token)).toBe(true);
      clock = new Date(issuedAt.getTime() + 30 * MINUTE);
      const res = await server.graphql(token, VIEWER);
      expect(res.status).toBe(401);
      expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(res.body.errors[0].message).toMatch(/expired/);
    } finally {
      clock = issuedAt;
    }
  });

  it('dies with its key when the key expires', async () => {
    const start = clock;
    const token = await exchange(await newKey({ expiresAt: new Date(start.getTime() + 5 * MINUTE).toISOString() }));
    try {
      clock = new Date(start.getTime() + 5 * MINUTE);
      const res = await server.graphql(token, VIEWER);
      expect(res.status).toBe(401);
      expect(res.body.errors[0].extensions.code).toBe('API_KEY_EXPIRED');
    } finally {
      clock = start;
    }
  });

  const deaths: [string, (id: string) => Promise<unknown>, string][] = [
    ['revoked', (id) => server.graphql(acme.adminToken, REVOKE, { input: { id } }), 'API_KEY_INACTIVE'],
    [
      'deactivated',
      (id) => server.graphql(acme.adminToken, UPDATE, { input: { id, active: false } }),
      'API_KEY_INACTIVE',
    ],
    ['deleted', (id) => server.graphql(acme.adminToken, DELETE, { input: { id } }), 'UNAUTHENTICATED'],
    [
      'cycled without grace',
      (id) => server.graphql(acme.adminToken, CYCLE, { input: { id, gracePeriodSeconds: 0 } }),
      'UNAUTHENTICATED',
    ],
  ];
  for (const [event, act, code] of deaths) {
    it(`dies on the next request when its key is ${event} (${code})`, async () => {
      const key = await newKey();
      const token = await exchange(key);
      expect(await works(token)).toBe(true);
      await act(key.apiKey.id);
      const res = await server.graphql(token, VIEWER);
      expect(res.status).toBe(401);
      expect(res.body.errors[0].extensions.code).toBe(code);
    });
  }

  it('works again when a revoked key is reactivated before it expires', async () => {
    const key = await newKey();
    const token = await exchange(key);
    await server.graphql(acme.adminToken, REVOKE, { input: { id: key.apiKey.id } });
    expect(await works(token)).toBe(false);
    await server.graphql(acme.adminToken, REACTIVATE, { input: { id: key.apiKey.id } });
    expect(await works(token)).toBe(true);
  });

  it('survives a cycle with a grace period until the grace ends, and the new token issues new ones', async () => {
    const key = await newKey();
    const token = await exchange(key);
    const cycled = await server.graphql(acme.adminToken, CYCLE, {
      input: { id: key.apiKey.id, gracePeriodSeconds: 300 },
    });
    const start = clock;
    try {
      expect(await works(token)).toBe(true);
      const fresh = await exchange({ token: cycled.body.data.cycleApiKey.token, apiKey: key.apiKey });
      clock = new Date(start.getTime() + 5 * MINUTE);
      expect(await works(token)).toBe(false);
      expect(await works(fresh)).toBe(true);
    } finally {
      clock = start;
    }
  });

  it('shares the rate limit of its key', async () => {
    const key = await newKey();
    const token = await exchange(key);
    let last: Response | undefined;
    for (let i = 0; i < KEY_BUDGET; i++) {
      const headers = { authorization: `Bearer ${i % 2 ? token : key.token}`, 'content-type': 'application/json' };
      last = await server.yoga.fetch('http://crewgraph.test/graphql', {
        method: 'POST',
        headers,
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      if (last.status === 429) break;
    }
    // One request went to the exchange; the rest of the budget is shared by key and token.
    expect(last?.status).toBe(429);
    expect(last?.headers.get('retry-after')).toMatch(/^\d+$/);
    const res = await post({
      body: form({ grant_type: 'client_credentials' }),
      headers: { authorization: basic(key.apiKey.keyId, key.token) },
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('scope on the token request (RFC 6749 §3.3)', () => {
  const UPDATE_CONTRACTOR = `mutation ($input: UpdateContractorInput!) {
    updateContractor(input: $input) { contractor { name } userErrors { code } }
  }`;
  const contractorId = () => globalId('Contractor', acme.contractorIds[0]);
  const contractorName = async () =>
    (await server.db.prisma.contractor.findUniqueOrThrow({ where: { id: acme.contractorIds[0] } })).name;

  async function request(key: { token: string; apiKey: { keyId: string } }, scope?: string) {
    return post({
      body: form({ grant_type: 'client_credentials', ...(scope === undefined ? {} : { scope }) }),
      headers: { authorization: basic(key.apiKey.keyId, key.token) },
    });
  }
  const storedScope = async (token: string) =>
    (await server.db.prisma.accessToken.findUniqueOrThrow({ where: { tokenId: token.split('_')[1] } })).scope;

  it('read narrows a writing key to reads: FORBIDDEN on a mutation, nothing written; reads work', async () => {
    const key = await newKey({ allowWrites: true, canWritePeople: true });
    const res = await request(key, 'read');
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('read');
    const token: string = res.body.access_token;
    expect(await storedScope(token)).toBe('read');

    const viewer = await server.graphql(token, `{ viewer { allowWrites canWritePeople tokenKind } }`);
    expect(viewer.body.data.viewer).toEqual({ allowWrites: false, canWritePeople: false, tokenKind: 'ACCESS_TOKEN' });
    const before = await contractorName();
    const write = await server.graphql(token, UPDATE_CONTRACTOR, { input: { id: contractorId(), name: 'Narrowed' } });
    expect(write.status).toBe(403);
    expect(write.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(await contractorName()).toBe(before);
    const read = await server.graphql(token, `{ projects(first: 5) { edges { node { id } } } }`);
    expect(read.body.data.projects.edges).toEqual([{ node: { id: globalId('Project', acme.projectIds[0]) } }]);

    // The key itself, and a token without scope, still write.
    const own = await exchange(key);
    expect(await storedScope(own)).toBeNull();
    const written = await server.graphql(own, UPDATE_CONTRACTOR, { input: { id: contractorId(), name: 'Written' } });
    expect(written.body.data.updateContractor.contractor.name).toBe('Written');
    await server.db.prisma.contractor.update({ where: { id: acme.contractorIds[0] }, data: { name: before } });
  });

  it('stays read-only when its key is later allowed to write', async () => {
    const key = await newKey({ allowWrites: false });
    const res = await request(key, 'read');
    expect(res.body.scope).toBe('read');
    await server.graphql(acme.adminToken, UPDATE, { input: { id: key.apiKey.id, allowWrites: true } });
    const viewer = await server.graphql(res.body.access_token, `{ viewer { allowWrites } }`);
    expect(viewer.body.data.viewer.allowWrites).toBe(false);
  });

  const granted: [string, boolean, string | undefined, string, string | null][] = [
    ['omitted, writing key', true, undefined, 'read write', null],
    ['omitted, read-only key', false, undefined, 'read', null],
    ['empty, writing key', true, '', 'read write', null],
    ['"read write", writing key', true, 'read write', 'read write', null],
    ['"write", writing key', true, 'write', 'read write', null],
    ['"write read", writing key', true, 'write read', 'read write', null],
    ['"read", read-only key', false, 'read', 'read', 'read'],
  ];
  for (const [name, allowWrites, scope, echoed, stored] of granted) {
    it(`${name}: grants "${echoed}"`, async () => {
      const res = await request(await newKey({ allowWrites }), scope);
      expect(res.status).toBe(200);
      expect(res.body.scope).toBe(echoed);
      expect(await storedScope(res.body.access_token)).toBe(stored);
    });
  }

  const refused: [string, boolean, string][] = [
    ['an unknown scope', true, 'admin'],
    ['an unknown scope next to a known one', true, 'read delete'],
    ['a tab instead of a space', true, 'read\twrite'],
    ['a case variant', true, 'READ'],
    ['write for a read-only key', false, 'write'],
    ['read write for a read-only key', false, 'read write'],
  ];
  for (const [name, allowWrites, scope] of refused) {
    it(`${name}: 400 invalid_scope, nothing issued`, async () => {
      const key = await newKey({ allowWrites });
      const before = await server.db.prisma.accessToken.count();
      const res = await request(key, scope);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_scope');
      expect(res.body.error_description).toEqual(expect.any(String));
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await server.db.prisma.accessToken.count()).toBe(before);
    });
  }
});

describe("an access token's lifetime", () => {
  // Set on the key before its first use, so no instance holds the key's row yet.
  async function keyWithLifetime(seconds: number, input: Record<string, unknown> = {}) {
    const key = await newKey(input);
    await server.db.prisma.apiKey.update({
      where: { keyId: key.apiKey.keyId },
      data: { accessTokenTtlSeconds: seconds },
    });
    return key;
  }
  async function expiresIn(key: { token: string; apiKey: { keyId: string } }) {
    const res = await post({
      body: form({ grant_type: 'client_credentials' }),
      headers: { authorization: basic(key.apiKey.keyId, key.token) },
    });
    expect(res.status).toBe(200);
    return { expiresIn: res.body.expires_in as number, token: res.body.access_token as string };
  }

  it("is the key's own when set: shorter than the server's", async () => {
    const issued = await expiresIn(await keyWithLifetime(300));
    expect(issued.expiresIn).toBe(300);
    const viewer = await server.graphql(issued.token, VIEWER);
    expect(viewer.body.data.viewer.tokenExpiresAt).toBe(new Date(clock.getTime() + 5 * MINUTE).toISOString());
    const start = clock;
    try {
      clock = new Date(start.getTime() + 5 * MINUTE);
      const res = await server.graphql(issued.token, VIEWER);
      expect(res.status).toBe(401);
      expect(res.body.errors[0].message).toMatch(/expired/);
    } finally {
      clock = start;
    }
  });

  it("is the key's own when set: longer than the server's", async () => {
    expect((await expiresIn(await keyWithLifetime(7200))).expiresIn).toBe(7200);
  });

  it("is the server's when the key has none", async () => {
    expect((await expiresIn(await newKey())).expiresIn).toBe(1800);
  });

  it("never outlives the key's expiry", async () => {
    const key = await keyWithLifetime(3600, { expiresAt: new Date(clock.getTime() + 20 * MINUTE).toISOString() });
    expect((await expiresIn(key)).expiresIn).toBe(1200);
  });
});
