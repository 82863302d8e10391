import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../src/server.ts';
import { apiKeyFixture, organizationWith, type OrganizationScenario } from './support/scenarios.ts';
import { startTestServer, type TestServer } from './support/server.ts';

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
    createServer({ db: server.db, logger: pino({ level: 'silent' }), trustProxy: 'loopback' }),
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
