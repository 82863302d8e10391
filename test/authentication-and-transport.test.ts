import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizationWith, type OrganizationScenario } from './support/scenarios.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/* Who a request is (tokens, 401s), its request id, and what the server serves besides POST /graphql. */

let server: TestServer;
let acme: OrganizationScenario;

beforeAll(async () => {
  server = await startTestServer();
  acme = await organizationWith(server.db.prisma, 'Acme', { projects: 1 });
});
afterAll(() => server?.close());

describe('authentication', () => {
  it.each([
    ['no token', null],
    ['garbage', 'not-a-token'],
    ['a made-up token with a wrong checksum', 'cga_AAAAAAAAAAAA_' + 'A'.repeat(49)],
  ])('answers 401 UNAUTHENTICATED with %s', async (_case, token) => {
    const res = await server.graphql(token, '{ viewer { kind } }');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0].extensions.code).toBe('UNAUTHENTICATED');
    expect(res.body.errors![0].extensions.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('rejects a well-formed token whose secret does not match', async () => {
    const [prefix, id] = acme.adminToken.split('_');
    const forged = `${prefix}_${id}_${'B'.repeat(43)}`;
    const { parseToken } = await import('../src/auth/tokens.ts');
    expect(parseToken(forged + 'AAAAAA')).toBeNull();
    const res = await server.graphql(
      acme.adminToken.slice(0, -1) + (acme.adminToken.endsWith('A') ? 'B' : 'A'),
      '{ viewer { kind } }',
    );
    expect(res.status).toBe(401);
  });

  it('accepts the token in X-Api-Key too', async () => {
    const res = await server.graphql(null, '{ viewer { kind organizationId } }', {}, { 'x-api-key': acme.adminToken });
    expect(res.status).toBe(200);
    expect(res.body.data.viewer).toEqual({ kind: 'ADMIN', organizationId: acme.organizationId });
  });
});

describe('request ids', () => {
  it('echoes a sane X-Request-Id and replaces an unsafe one', async () => {
    const sane = await server.graphql(acme.adminToken, '{ viewer { kind } }', {}, { 'x-request-id': 'client-123.abc' });
    expect(sane.headers.get('x-request-id')).toBe('client-123.abc');
    const unsafe = await server.graphql(
      acme.adminToken,
      '{ viewer { kind } }',
      {},
      { 'x-request-id': 'bad id<script>' },
    );
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('transport', () => {
  it('serves GraphiQL to a browser without a token', async () => {
    const res = await server.yoga.fetch('http://crewgraph.test/graphql', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Crewgraph GraphiQL');
    expect(html).toContain('Authorization');
  });

  it('serves /health and /ready', async () => {
    const health = await server.yoga.fetch('http://crewgraph.test/health');
    expect(health.status).toBe(200);
    const ready = await server.yoga.fetch('http://crewgraph.test/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('accepts GET for queries', async () => {
    const res = await server.yoga.fetch(
      `http://crewgraph.test/graphql?query=${encodeURIComponent('{ viewer { kind } }')}`,
      { headers: { authorization: `Bearer ${acme.adminToken}`, accept: 'application/json' } },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      data: { viewer: { kind: 'ADMIN' } },
      extensions: { cost: { requestedQueryCost: 1, maximumAvailable: 50_000 } },
    });
  });
});
