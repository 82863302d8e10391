import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../http/server.ts';
import { api } from '../../schema.ts';
import { CREATE, UPDATE } from '../../../test/support/api-key-operations.ts';
import {
  apiKeyFixture,
  globalId,
  organizationWith,
  type OrganizationScenario,
} from '../../../test/support/scenarios.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

// Real sockets: the allow-list is about the peer address, which only a real connection has.
let server: TestServer;
let acme: OrganizationScenario;
let direct: { http: Server; port: number };
let behindProxy: { http: Server; port: number };

async function listen(yoga: ReturnType<typeof createServer>) {
  const http = createHttpServer(yoga);
  // '::' takes IPv4 (as ::ffff:127.0.0.1) and IPv6 connections on one port.
  await new Promise<void>((resolve) => http.listen(0, '::', resolve));
  return { http, port: (http.address() as AddressInfo).port };
}

beforeAll(async () => {
  server = await startTestServer();
  acme = await organizationWith(server.db.prisma, 'Fenced', {
    projects: 1,
    contractorsPerProject: 1,
    workersPerContractor: 1,
  });
  direct = await listen(server.yoga);
  behindProxy = await listen(
    createServer({ api, db: server.db, logger: pino({ level: 'silent' }), trustProxy: 'loopback' }),
  );
});
afterAll(async () => {
  direct?.http.close();
  behindProxy?.http.close();
  await server?.close();
});

async function keyAllowing(allowedIps: string[]) {
  const key = await apiKeyFixture(server.db.prisma, acme.organizationId, { projectIds: acme.projectIds });
  await server.db.prisma.apiKey.update({ where: { id: key.id }, data: { allowedIps } });
  return key;
}

async function viewer(host: string, port: number, token: string, headers: Record<string, string> = {}) {
  const res = await fetch(`http://${host}:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ query: '{ viewer { kind } }' }),
  });
  const body = await res.json();
  return { status: res.status, code: body.errors?.[0]?.extensions?.code ?? null, data: body.data ?? null };
}

const IPV4 = '127.0.0.1';
const IPV6 = '[::1]';

describe('IP allow-lists', () => {
  it('an empty list allows any address', async () => {
    const key = await keyAllowing([]);
    expect((await viewer(IPV4, direct.port, key.token)).status).toBe(200);
    expect((await viewer(IPV6, direct.port, key.token)).status).toBe(200);
  });

  it('an IPv4 range lets its addresses in and refuses others with 403 IP_NOT_ALLOWED', async () => {
    const key = await keyAllowing(['127.0.0.0/8']);
    expect(await viewer(IPV4, direct.port, key.token)).toMatchObject({
      status: 200,
      data: { viewer: { kind: 'API_KEY' } },
    });
    expect(await viewer(IPV6, direct.port, key.token)).toEqual({ status: 403, code: 'IP_NOT_ALLOWED', data: null });
  });

  it('an IPv6 range lets its addresses in and refuses others', async () => {
    const key = await keyAllowing(['::1/128']);
    expect((await viewer(IPV6, direct.port, key.token)).status).toBe(200);
    expect(await viewer(IPV4, direct.port, key.token)).toEqual({ status: 403, code: 'IP_NOT_ALLOWED', data: null });
  });

  it('a forged X-Forwarded-For does not get around the list without TRUST_PROXY', async () => {
    const key = await keyAllowing(['10.0.0.0/8']);
    const forged = await viewer(IPV4, direct.port, key.token, { 'x-forwarded-for': '10.1.2.3' });
    expect(forged).toEqual({ status: 403, code: 'IP_NOT_ALLOWED', data: null });
  });

  it('behind a trusted proxy the forwarded client address counts, as far as trusted hops vouch for it', async () => {
    const key = await keyAllowing(['10.0.0.0/8']);
    const forwarded = await viewer(IPV4, behindProxy.port, key.token, { 'x-forwarded-for': '10.1.2.3' });
    expect(forwarded.status).toBe(200);
    // The client forged the left-most entry; the last untrusted hop (203.0.113.9) is the client.
    const chained = await viewer(IPV4, behindProxy.port, key.token, { 'x-forwarded-for': '10.1.2.3, 203.0.113.9' });
    expect(chained).toEqual({ status: 403, code: 'IP_NOT_ALLOWED', data: null });
  });

  it('applies to the token exchange and to access tokens', async () => {
    const key = await keyAllowing(['::1/128']);
    const keyId = key.token.split('_')[1];
    const exchange = (host: string) =>
      fetch(`http://${host}:${direct.port}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: keyId, client_secret: key.token }),
      });
    const refused = await exchange(IPV4);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: 'access_denied', code: 'IP_NOT_ALLOWED' });
    const granted = await exchange(IPV6);
    expect(granted.status).toBe(200);
    const { access_token: accessToken } = await granted.json();
    expect((await viewer(IPV6, direct.port, accessToken)).status).toBe(200);
    expect(await viewer(IPV4, direct.port, accessToken)).toEqual({ status: 403, code: 'IP_NOT_ALLOWED', data: null });
  });

  it('a revoked key answers API_KEY_INACTIVE before the address is considered', async () => {
    const key = await keyAllowing(['10.0.0.0/8']);
    await server.db.prisma.apiKey.update({ where: { id: key.id }, data: { state: 'INACTIVE' } });
    expect((await viewer(IPV4, direct.port, key.token)).code).toBe('API_KEY_INACTIVE');
  });

  it('does not apply to admin tokens', async () => {
    expect((await viewer(IPV4, direct.port, acme.adminToken)).status).toBe(200);
  });
});

describe('allowedIps in createApiKey and updateApiKey', () => {
  const project = () => globalId('Project', acme.projectIds[0]);
  let counter = 0;

  it('stores the ranges in canonical form and shows them', async () => {
    const res = await server.graphql(acme.adminToken, CREATE, {
      input: {
        name: `fenced ${++counter}`,
        projectIds: [project()],
        allowedIps: ['203.0.113.0/24', '2001:DB8::/32', '198.51.100.7'],
      },
    });
    expect(res.body.data.createApiKey.userErrors).toEqual([]);
    expect(res.body.data.createApiKey.apiKey.allowedIps).toEqual([
      '203.0.113.0/24',
      '2001:db8::/32',
      '198.51.100.7/32',
    ]);
  });

  it('refuses a malformed range or one with host bits set, naming the entry, and writes nothing', async () => {
    const before = await server.db.prisma.apiKey.count();
    const res = await server.graphql(acme.adminToken, CREATE, {
      input: {
        name: `fenced ${++counter}`,
        projectIds: [project()],
        allowedIps: ['10.0.0.0/8', '10.1.2.3/8', 'nonsense', '::1/129'],
      },
    });
    const { apiKey, userErrors } = res.body.data.createApiKey;
    expect(apiKey).toBeNull();
    expect(userErrors.map((e: { field: string[]; code: string }) => [e.field.join('.'), e.code])).toEqual([
      ['input.allowedIps.1', 'INVALID'],
      ['input.allowedIps.2', 'INVALID'],
      ['input.allowedIps.3', 'INVALID'],
    ]);
    expect(userErrors[0].message).toMatch(/did you mean 10\.0\.0\.0\/8/);
    expect(await server.db.prisma.apiKey.count()).toBe(before);
  });

  it('updateApiKey replaces the list, [] opens it again, and the change is audited; a bad entry changes nothing', async () => {
    const created = await server.graphql(acme.adminToken, CREATE, {
      input: { name: `fenced ${++counter}`, projectIds: [project()] },
    });
    const { id } = created.body.data.createApiKey.apiKey;
    const fenced = await server.graphql(acme.adminToken, UPDATE, { input: { id, allowedIps: ['::1'] } });
    expect(fenced.body.data.updateApiKey.apiKey.allowedIps).toEqual(['::1/128']);
    const bad = await server.graphql(acme.adminToken, UPDATE, { input: { id, allowedIps: ['::1', '300.0.0.1'] } });
    expect(bad.body.data.updateApiKey.userErrors[0]).toMatchObject({
      field: ['input', 'allowedIps', '1'],
      code: 'INVALID',
    });
    const opened = await server.graphql(acme.adminToken, UPDATE, { input: { id, allowedIps: [] } });
    expect(opened.body.data.updateApiKey.apiKey.allowedIps).toEqual([]);
    const events = await server.db.prisma.apiKeyEvent.findMany({
      where: {
        action: 'UPDATED',
        apiKey: { name: `fenced ${counter}` },
      },
      orderBy: { createdAt: 'asc' },
    });
    expect(events.map((e) => (e.changes as Record<string, { after: unknown }>).allowedIps?.after)).toEqual([
      ['::1/128'],
      [],
    ]);
  });
});
