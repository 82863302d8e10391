import { createHmac, randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin } from '../admins/admin.service.ts';
import { DELIVERY_TASK, WEBHOOK_EVENT_TYPES } from './webhook.events.ts';
import { createServer } from '../../http/server.ts';
import { api } from '../../schema.ts';
import { emitExpiryNotices } from '../../jobs/webhooks/expiry-notices.ts';
import { postWebhook, verifySignature, type Resolver } from '../../jobs/webhooks/http-delivery.ts';
import { retryDelayMs, startWebhookWorker, type WebhookWorker } from '../../jobs/webhooks/worker.ts';
import { CREATE, CYCLE, DELETE, REACTIVATE, REVOKE, UPDATE } from '../../../test/support/api-key-operations.ts';
import { globalId, organizationWith, type OrganizationScenario } from '../../../test/support/scenarios.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import {
  eventually,
  freePort,
  startReceiver,
  type Receiver,
  type Responder,
} from '../../../test/support/webhook-receiver.ts';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
/** What the worker logs (the operator's view of a failed delivery). */
const workerLog: { deliveryId?: string; error?: string; detail?: string; msg: string }[] = [];
const workerLogger = pino(
  { level: 'debug' },
  {
    write(line: string) {
      workerLog.push(JSON.parse(line));
      if (process.env.TEST_LOG_LEVEL) process.stdout.write(line);
    },
  },
);
/** Host names the worker resolves as a test says ('' = does not resolve); others go to DNS. */
const testNames = new Map<string, string>();
const resolve: Resolver = async (host) => {
  const address = testNames.get(host);
  if (address === undefined) return lookup(host, { all: true, verbatim: true });
  if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return [{ address, family: address.includes(':') ? 6 : 4 }];
};
let server: TestServer;
let worker: WebhookWorker;
let acme: OrganizationScenario;
let other: OrganizationScenario;
const receivers: Receiver[] = [];

// A generous attempt timeout (a receiver in this busy process may answer late), a short lease
// (renewed every 500 ms while an attempt runs), quick retries and polls.
const FAST = {
  retryBaseMs: 100,
  retryMaxMs: 400,
  timeoutMs: 10_000,
  leaseMs: 1_500,
  pollIntervalMs: 50,
  sweepIntervalMs: 200,
};
const startMainWorker = () =>
  startWebhookWorker({
    db: server.db,
    logger: workerLogger,
    databaseUrl: server.db.url,
    allowHttp: true,
    expiryCheckIntervalMs: 3_600_000,
    resolve,
    ...FAST,
  });

beforeAll(async () => {
  server = await startTestServer({ webhooksAllowHttp: true });
  acme = await organizationWith(server.db.prisma, 'HookCo', { projects: 2, contractorsPerProject: 1 });
  other = await organizationWith(server.db.prisma, 'OtherHooks', { projects: 1, contractorsPerProject: 1 });
  worker = await startMainWorker();
});
afterEach(async () => {
  // Each test owns its endpoints: none outlive it, so no test receives another's events.
  await server.db.prisma.webhookEndpoint.deleteMany({});
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  testNames.clear();
});
afterAll(async () => {
  await worker?.stop();
  await server?.close();
});

const CREATE_ENDPOINT = `mutation ($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) {
    secret webhookEndpoint { id url events active description }
    userErrors { field code message }
  }
}`;
const UPDATE_ENDPOINT = `mutation ($input: UpdateWebhookEndpointInput!) {
  updateWebhookEndpoint(input: $input) { webhookEndpoint { id url events active description } userErrors { field code message } }
}`;
const DELETE_ENDPOINT = `mutation ($input: DeleteWebhookEndpointInput!) {
  deleteWebhookEndpoint(input: $input) { deletedWebhookEndpointId userErrors { field code message } }
}`;
const DELIVERIES = `query ($id: ID!) {
  node(id: $id) { ... on WebhookEndpoint { url deliveries(first: 50) { totalCount edges { node {
    eventId eventType status attempts responseCode lastError nextAttemptAt deliveredAt createdAt } } } } }
}`;

const ROLL = `mutation ($input: RollWebhookEndpointSecretInput!) {
  rollWebhookEndpointSecret(input: $input) {
    secret webhookEndpoint { id previousSecretExpiresAt } userErrors { field code message }
  }
}`;

/** The endpoint's one delivery as the tenant sees it, once it was attempted at least once. */
const attemptedDelivery = (endpointGlobalId: string) =>
  eventually(async () => {
    const res = await server.graphql(acme.adminToken, DELIVERIES, { id: endpointGlobalId });
    const node = res.body.data.node.deliveries.edges[0]?.node;
    return node?.attempts >= 1 && node;
  });

/** What the worker logged about a delivery's attempts (the operator's detail). */
const loggedDetail = async (endpointGlobalId: string) => {
  const delivery = await server.db.prisma.webhookDelivery.findFirstOrThrow({
    where: { endpointId: rowId(endpointGlobalId) },
  });
  return eventually(async () => workerLog.find((line) => line.deliveryId === delivery.id && line.detail)?.detail);
};

/** A promise the test settles itself: a receiver's answer held until `release()`. */
function hold() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  return { released, release };
}

async function receiver(responder?: Responder) {
  const r = await startReceiver(responder);
  receivers.push(r);
  return r;
}

/** An endpoint through the API, its secret handed to the receiver that checks signatures. */
async function endpointFor(r: Receiver, events: readonly string[] = WEBHOOK_EVENT_TYPES, token = acme.adminToken) {
  const res = await server.graphql(token, CREATE_ENDPOINT, { input: { url: r.url, events, description: 'test' } });
  const payload = res.body.data.createWebhookEndpoint;
  expect(payload.userErrors).toEqual([]);
  expect(payload.secret).toMatch(/^whsec_[0-9a-f]{64}$/);
  r.secret = payload.secret;
  return payload.webhookEndpoint as { id: string; url: string; events: string[] };
}

let keyCounter = 0;
async function createKey(input: Record<string, unknown> = {}) {
  const res = await server.graphql(acme.adminToken, CREATE, {
    input: { name: `hook key ${++keyCounter}`, projectIds: [globalId('Project', acme.projectIds[0])], ...input },
  });
  expect(res.body.data.createApiKey.userErrors).toEqual([]);
  return res.body.data.createApiKey as { token: string; apiKey: { id: string; keyId: string } };
}

/** The row id inside a global id. */
const rowId = (id: string) => Buffer.from(id, 'base64url').toString('utf8').split(':')[1];

/** The endpoint's deliveries, once none is PENDING any more. */
const settled = (endpointGlobalId: string) =>
  eventually(async () => {
    const rows = await server.db.prisma.webhookDelivery.findMany({ where: { endpointId: rowId(endpointGlobalId) } });
    return rows.length > 0 && rows.every((d) => d.status !== 'PENDING') && rows;
  });

describe('webhook delivery of key events', () => {
  it('delivers each lifecycle event once, signed, with the key (never a secret) in the body', async () => {
    // graphile-worker jobs on PostgreSQL, the in-process poller on PGlite
    expect(worker.queue).toBe(process.env.DATABASE_URL ? 'graphile-worker' : 'poller');
    const all = await receiver();
    const revokedOnly = await receiver();
    const endpoint = await endpointFor(all);
    await endpointFor(revokedOnly, ['api_key.revoked']);

    const { token, apiKey } = await createKey();
    const project1 = globalId('Project', acme.projectIds[1]);
    await server.graphql(acme.adminToken, UPDATE, { input: { id: apiKey.id, name: 'renamed hook key' } });
    const cycled = await server.graphql(acme.adminToken, CYCLE, { input: { id: apiKey.id } });
    await server.graphql(acme.adminToken, REVOKE, { input: { id: apiKey.id } });
    await server.graphql(acme.adminToken, REACTIVATE, { input: { id: apiKey.id } });
    await server.graphql(acme.adminToken, UPDATE, { input: { id: apiKey.id, projectIds: [project1] } });
    await server.graphql(acme.adminToken, DELETE, { input: { id: apiKey.id } });

    await all.waitFor(7);
    await revokedOnly.waitFor(1);
    await settled(endpoint.id);
    await new Promise((r) => setTimeout(r, 300)); // nothing more arrives
    expect(all.received).toHaveLength(7);
    expect(revokedOnly.received).toHaveLength(1);

    const byType = (type: string) => all.received.filter((w) => w.body.type === type);
    expect(all.received.map((w) => w.body.type).sort()).toEqual(
      [
        'api_key.created',
        'api_key.updated',
        'api_key.cycled',
        'api_key.revoked',
        'api_key.reactivated',
        'api_key.updated',
        'api_key.deleted',
      ].sort(),
    );
    for (const w of [...all.received, ...revokedOnly.received]) {
      expect(w.signatureValid).toBe(true);
      expect(w.headers['content-type']).toBe('application/json');
      expect(w.headers['crewgraph-event']).toBe(w.body.type);
      expect(w.headers['crewgraph-event-id']).toBe(w.body.id);
      expect(w.headers['crewgraph-delivery']).toMatch(/^[0-9a-f-]{36}$/);
      expect(w.headers['crewgraph-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(Object.keys(w.body).sort()).toEqual(['createdAt', 'data', 'id', 'type']);
      expect(w.body.data.apiKey).toMatchObject({ id: apiKey.id, keyId: apiKey.keyId });
      // never a secret: not the token, its secret part, nor any hash field
      expect(w.raw).not.toContain(token.split('_')[2].slice(0, 16));
      expect(w.raw).not.toContain(cycled.body.data.cycleApiKey.token.split('_')[2].slice(0, 16));
      expect(w.raw).not.toMatch(/secret|hash/i);
    }
    expect(byType('api_key.created')[0].body.data.apiKey).toMatchObject({
      name: `hook key ${keyCounter}`,
      status: 'ACTIVE',
      allowWrites: false,
      canReadQualificationData: false,
      permissions: [],
      expiresAt: null,
      projectIds: [globalId('Project', acme.projectIds[0])],
      deletedAt: null,
    });
    expect(byType('api_key.revoked')[0].body.data.apiKey.status).toBe('INACTIVE');
    expect(revokedOnly.received[0].body.id).toBe(byType('api_key.revoked')[0].body.id);
    expect(byType('api_key.reactivated')[0].body.data.apiKey.status).toBe('ACTIVE');
    expect(byType('api_key.updated').map((w) => w.body.data.apiKey.name)).toEqual([
      'renamed hook key',
      'renamed hook key',
    ]);
    // each body is the key as it was at that change (deliveries run concurrently, so in any order)
    expect(byType('api_key.updated').map((w) => w.body.data.apiKey.projectIds)).toEqual(
      expect.arrayContaining([[globalId('Project', acme.projectIds[0])], [project1]]),
    );
    expect(byType('api_key.deleted')[0].body.data.apiKey.deletedAt).not.toBeNull();
    expect(byType('api_key.cycled')[0].body.data.apiKey.lastCycledAt).not.toBeNull();
    // The body delivered is the payload stored in the outbox.
    const stored = await server.db.prisma.webhookEvent.findUniqueOrThrow({
      where: { id: byType('api_key.created')[0].body.id },
    });
    expect(stored.payload).toEqual(byType('api_key.created')[0].body);

    const deliveries = await server.graphql(acme.adminToken, DELIVERIES, { id: endpoint.id });
    const nodes = deliveries.body.data.node.deliveries.edges.map((e: any) => e.node);
    expect(deliveries.body.data.node.deliveries.totalCount).toBe(7);
    for (const node of nodes) {
      expect(node).toMatchObject({ status: 'SUCCEEDED', attempts: 1, responseCode: 204, nextAttemptAt: null });
      expect(node.deliveredAt).not.toBeNull();
    }
    expect(nodes.map((n: any) => n.eventType).sort()).toEqual(all.received.map((w) => w.body.type).sort());
  });

  it('a lifecycle change nobody subscribes to writes no event', async () => {
    const r = await receiver();
    await endpointFor(r, ['api_key.deleted']);
    const before = await server.db.prisma.webhookEvent.count();
    await createKey();
    expect(await server.db.prisma.webhookEvent.count()).toBe(before);
  });

  it('retries a receiver that fails twice: three attempts recorded, then SUCCEEDED', async () => {
    const r = await receiver((n) => ({ status: n < 2 ? 500 : 200 }));
    const endpoint = await endpointFor(r, ['api_key.created']);
    await createKey();
    await r.waitFor(3);
    const [delivery] = await settled(endpoint.id);
    expect(delivery).toMatchObject({ status: 'SUCCEEDED', attempts: 3, lastResponseCode: 200, lastError: null });
    const attempts = await server.db.prisma.webhookDeliveryAttempt.findMany({
      where: { deliveryId: delivery.id },
      orderBy: { attemptedAt: 'asc' },
    });
    expect(attempts.map((a) => a.responseCode)).toEqual([500, 500, 200]);
    expect(attempts[0].error).toMatch(/HTTP 500/);
    // backoff: the second attempt waited at least half the base delay, the third longer
    const gaps = [1, 2].map((i) => attempts[i].attemptedAt.getTime() - attempts[i - 1].attemptedAt.getTime());
    expect(gaps[0]).toBeGreaterThanOrEqual(FAST.retryBaseMs / 2 - 5);
    expect(new Set(r.received.map((w) => w.body.id)).size).toBe(1);
    expect(r.received.every((w) => w.signatureValid)).toBe(true);

    const res = await server.graphql(acme.adminToken, DELIVERIES, { id: endpoint.id });
    expect(res.body.data.node.deliveries.edges[0].node).toMatchObject({
      eventType: 'api_key.created',
      status: 'SUCCEEDED',
      attempts: 3,
      responseCode: 200,
    });
  });

  it('times out a slow receiver and retries it', async () => {
    // This test's worker times out after 700 ms; the first answer comes after 20 s (or never).
    await worker.stop();
    const quick = await startWebhookWorker({
      db: server.db,
      logger: workerLogger,
      allowHttp: true,
      expiryCheckIntervalMs: 3_600_000,
      ...FAST,
      timeoutMs: 700,
    });
    let delivery;
    try {
      const r = await receiver((n) => ({ status: 200, delayMs: n === 0 ? 20_000 : 0 }));
      const endpoint = await endpointFor(r, ['api_key.created']);
      await createKey();
      await r.waitFor(2);
      [delivery] = await settled(endpoint.id);
      const res = await server.graphql(acme.adminToken, DELIVERIES, { id: endpoint.id });
      expect(res.body.data.node.deliveries.edges[0].node).toMatchObject({ status: 'SUCCEEDED', lastError: null });
    } finally {
      await quick.stop();
      worker = await startMainWorker();
    }
    expect(delivery.status).toBe('SUCCEEDED');
    const attempts = await server.db.prisma.webhookDeliveryAttempt.findMany({
      where: { deliveryId: delivery.id },
      orderBy: { attemptedAt: 'asc' },
    });
    expect(attempts).toHaveLength(delivery.attempts);
    expect(attempts[0]).toMatchObject({ responseCode: null, error: 'timed out' });
    expect(attempts[0].durationMs).toBeGreaterThanOrEqual(700 - 5);
    expect(attempts[0].durationMs).toBeLessThan(15_000);
    expect(attempts.at(-1)!.responseCode).toBe(200);
  });

  it('does not follow redirects: a 3xx is a failed attempt', async () => {
    const r = await receiver(() => ({ status: 302 }));
    await endpointFor(r, ['api_key.created']);
    await createKey();
    await r.waitFor(2);
    const attempts = await server.db.prisma.webhookDeliveryAttempt.findMany({
      where: { delivery: { endpoint: { url: r.url } } },
    });
    expect(attempts.length).toBeGreaterThanOrEqual(1);
    expect(attempts[0]).toMatchObject({ responseCode: 302, error: 'HTTP 302' });
  });

  it('gives up after the retry window: the delivery is FAILED', async () => {
    const port = await freePort(); // nobody listens
    const created = await server.graphql(acme.adminToken, CREATE_ENDPOINT, {
      input: { url: `http://127.0.0.1:${port}/gone`, events: ['api_key.created'] },
    });
    const endpointId = created.body.data.createWebhookEndpoint.webhookEndpoint.id;
    await createKey();
    await eventually(async () => {
      const d = await server.db.prisma.webhookDelivery.findFirst({ where: { endpointId: rowId(endpointId) } });
      return d && d.attempts >= 1 && d;
    });
    // the event is now 25 hours old
    const delivery = await server.db.prisma.webhookDelivery.findFirstOrThrow({
      where: { endpointId: rowId(endpointId) },
    });
    await server.db.prisma.webhookEvent.update({
      where: { id: delivery.eventId },
      data: { createdAt: new Date(Date.now() - 25 * 3_600_000) },
    });
    await server.db.prisma.webhookDelivery.update({ where: { id: delivery.id }, data: { nextAttemptAt: new Date() } });
    await worker.runDueOnce();
    const failed = await eventually(async () => {
      const d = await server.db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
      return d.status === 'FAILED' && d;
    });
    expect(failed.nextAttemptAt).toBeNull();
    expect(failed.lastError).toMatch(/retry window|connection refused/);
    const attempts = await server.db.prisma.webhookDeliveryAttempt.findMany({ where: { deliveryId: delivery.id } });
    expect(attempts.length).toBe(failed.attempts);
    expect(attempts.every((a) => a.error === 'connection refused' && a.responseCode === null)).toBe(true);
  });

  it('refuses at delivery time a host name that resolves to a forbidden address (no connection made)', async () => {
    const name = hostname();
    const resolved = await lookup(name).catch(() => null);
    if (!resolved || !resolved.address.startsWith('127.')) return; // the check needs a name resolving to loopback
    const port = await freePort();
    const result = await postWebhook({
      url: `https://${name}:${port}/hook`,
      body: '{}',
      headers: {},
      timeoutMs: 1000,
      allowHttp: false,
    });
    expect(result.ok).toBe(false);
    expect(result.error).toBe('destination not allowed');
    expect(result.detail).toMatch(
      /^refused: .* resolves to a forbidden address \(127\.0\.0\.1 is a loopback address\)/,
    );
    // link-local and metadata stay refused even where http and private receivers are allowed
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://[fd00:ec2::254]/',
      'http://[::ffff:a9fe:a9fe]/',
    ]) {
      const refused = await postWebhook({ url, body: '{}', headers: {}, timeoutMs: 1000, allowHttp: true });
      expect(refused).toMatchObject({ ok: false, error: 'destination not allowed' });
      expect(refused.detail).toMatch(/^refused: /);
    }
  });

  it('refuses at delivery a host name resolving to an IPv6 form that carries a forbidden IPv4 address', async () => {
    const r = await receiver();
    // each carries 169.254.169.254, refused even with WEBHOOKS_ALLOW_HTTP
    const forms = [
      '::a9fe:a9fe', // IPv4-compatible
      '::ffff:a9fe:a9fe', // mapped
      '::ffff:0:a9fe:a9fe', // translated
      '64:ff9b::a9fe:a9fe', // NAT64
      '64:ff9b:1:a9fe:a9:fe00::', // local-use NAT64, /48
      '2002:a9fe:a9fe::1', // 6to4
      '2001:0:4136:e378:8000:63bf:5601:5601', // Teredo
    ];
    const endpoints: { id: string; host: string }[] = [];
    for (const [i, address] of forms.entries()) {
      const host = `internal-${i}.hooks.test`;
      testNames.set(host, address);
      const created = await server.graphql(acme.adminToken, CREATE_ENDPOINT, {
        input: { url: `http://${host}:${r.port}/hooks`, events: ['api_key.created'] },
      });
      expect(created.body.data.createWebhookEndpoint.userErrors).toEqual([]); // a host name passes creation
      endpoints.push({ id: created.body.data.createWebhookEndpoint.webhookEndpoint.id, host });
    }
    await createKey();
    for (const [i, { id, host }] of endpoints.entries()) {
      const node = await attemptedDelivery(id);
      expect(node, forms[i]).toMatchObject({ lastError: 'destination not allowed', responseCode: null });
      expect(await loggedDetail(id)).toMatch(
        new RegExp(
          `^refused: ${host.replace(/\./g, '\\.')} resolves to a forbidden address \\(.*169\\.254\\.169\\.254, a linkLocal`,
        ),
      );
    }
    expect(r.received).toHaveLength(0);
  });

  it("a delivery's lastError is a generic reason; the host, addresses and system message go to the log only", async () => {
    const failing = await receiver(() => ({ status: 500 }));
    const port = await freePort(); // nobody listens
    testNames.set('vm.hooks.test', '169.254.10.1');
    testNames.set('refused.hooks.test', '127.0.0.1');
    testNames.set('nowhere.hooks.test', '');
    testNames.set('tls.hooks.test', '127.0.0.1'); // https to a plain HTTP receiver
    const cases: [string, string, RegExp][] = [
      [`http://vm.hooks.test:${port}/`, 'destination not allowed', /vm\.hooks\.test resolves to .*169\.254\.10\.1/],
      [`http://refused.hooks.test:${port}/`, 'connection refused', /refused\.hooks\.test.*127\.0\.0\.1.*ECONNREFUSED/],
      [`http://nowhere.hooks.test:${port}/`, 'DNS lookup failed', /ENOTFOUND nowhere\.hooks\.test/],
      [failing.url, 'HTTP 500', /127\.0\.0\.1:\d+ answered HTTP 500/],
      [`https://tls.hooks.test:${failing.port}/`, 'TLS error', /tls\.hooks\.test.*127\.0\.0\.1.*(EPROTO|SSL|version)/],
    ];
    const ids: string[] = [];
    for (const [url] of cases) {
      const created = await server.graphql(acme.adminToken, CREATE_ENDPOINT, {
        input: { url, events: ['api_key.created'] },
      });
      expect(created.body.data.createWebhookEndpoint.userErrors).toEqual([]);
      ids.push(created.body.data.createWebhookEndpoint.webhookEndpoint.id);
    }
    await createKey();
    for (const [i, [url, reason, detail]] of cases.entries()) {
      const node = await attemptedDelivery(ids[i]);
      expect(node.lastError, url).toBe(reason);
      expect(await loggedDetail(ids[i]), url).toMatch(detail);
    }
    // the stored attempts hold the same generic reasons
    const errors = await server.db.prisma.webhookDeliveryAttempt.findMany({
      where: { delivery: { endpointId: { in: ids.map(rowId) } } },
      select: { error: true },
    });
    expect(new Set(errors.map((e) => e.error))).toEqual(new Set(cases.map(([, reason]) => reason)));
  });

  it('backoff grows exponentially with jitter, capped', () => {
    expect(retryDelayMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, 60_000, () => 0.999999)).toBe(1000);
    expect(retryDelayMs(4, 1000, 60_000, () => 0.999999)).toBe(8000);
    expect(retryDelayMs(30, 1000, 60_000, () => 0.999999)).toBe(60_000);
  });
});

describe('endpoint management', () => {
  const count = () => server.db.prisma.webhookEndpoint.count();

  it('refuses bad URLs and events with userErrors and writes nothing', async () => {
    const strict = createServer({ api, db: server.db, logger }); // no WEBHOOKS_ALLOW_HTTP
    const call = async (input: object, yoga = strict) => {
      const res = await yoga.fetch('http://crewgraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${acme.adminToken}` },
        body: JSON.stringify({ query: CREATE_ENDPOINT, variables: { input } }),
      });
      return (await res.json()).data.createWebhookEndpoint;
    };
    const before = await count();
    const cases: [string, string[], string, RegExp][] = [
      ['http://example.com/hook', ['api_key.created'], 'url', /https/],
      ['https://169.254.169.254/latest/meta-data', ['api_key.created'], 'url', /linkLocal/],
      ['https://[fd00:ec2::254]/', ['api_key.created'], 'url', /metadata/],
      ['https://[fe80::1]/', ['api_key.created'], 'url', /linkLocal/],
      ['https://[::ffff:169.254.169.254]/', ['api_key.created'], 'url', /linkLocal/],
      ['https://127.0.0.1/hook', ['api_key.created'], 'url', /loopback/],
      ['https://10.0.0.8/hook', ['api_key.created'], 'url', /private/],
      ['https://0.0.0.0/hook', ['api_key.created'], 'url', /unspecified/],
      ['https://localhost/hook', ['api_key.created'], 'url', /localhost/],
      ['https://user:pw@example.com/hook', ['api_key.created'], 'url', /user name/],
      ['not a url', ['api_key.created'], 'url', /valid/],
      ['https://example.com/hook', ['api_key.created', 'api_key.exploded'], 'events', /api_key\.exploded/],
      ['https://example.com/hook', [], 'events', /at least one/],
    ];
    for (const [url, events, field, message] of cases) {
      const payload = await call({ url, events });
      expect(payload.webhookEndpoint, url).toBeNull();
      expect(payload.secret).toBeNull();
      expect(payload.userErrors).toHaveLength(1);
      expect(payload.userErrors[0]).toMatchObject({
        field: ['input', field],
        code: field === 'events' && !events.length ? 'BLANK' : 'INVALID',
      });
      expect(payload.userErrors[0].message).toMatch(message);
    }
    // With WEBHOOKS_ALLOW_HTTP: http and loopback are fine, link-local and metadata never.
    const dev = server.yoga;
    expect((await call({ url: 'http://169.254.169.254/', events: ['api_key.created'] }, dev)).userErrors[0].code).toBe(
      'INVALID',
    );
    expect((await call({ url: 'http://[fd00:ec2::254]/', events: ['api_key.created'] }, dev)).userErrors[0].code).toBe(
      'INVALID',
    );
    expect(await count()).toBe(before);
    const ok = await call({ url: 'https://hooks.example.com/crewgraph', events: ['api_key.created'] });
    expect(ok.userErrors).toEqual([]);
    expect(ok.webhookEndpoint).toMatchObject({ url: 'https://hooks.example.com/crewgraph', active: true });

    // update validates too, and changes nothing on error
    const bad = await server.graphql(acme.adminToken, UPDATE_ENDPOINT, {
      input: { id: ok.webhookEndpoint.id, url: 'http://169.254.169.254/', events: ['nope'] },
    });
    expect(bad.body.data.updateWebhookEndpoint.userErrors.map((e: any) => e.field[1]).sort()).toEqual([
      'events',
      'url',
    ]);
    const stored = await server.db.prisma.webhookEndpoint.findFirstOrThrow({
      where: { url: 'https://hooks.example.com/crewgraph' },
    });
    expect(stored.events).toEqual(['api_key.created']);
  });

  it('refuses IPv6 forms that carry a forbidden IPv4 address, at creation and update', async () => {
    const strict = createServer({ api, db: server.db, logger }); // no WEBHOOKS_ALLOW_HTTP
    const call = async (query: string, input: object, yoga = strict) => {
      const res = await yoga.fetch('http://crewgraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${acme.adminToken}` },
        body: JSON.stringify({ query, variables: { input } }),
      });
      return (await res.json()).data;
    };
    const before = await count();
    const forms: [string, RegExp][] = [
      ['https://[::127.0.0.1]/', /127\.0\.0\.1, a loopback/],
      ['https://[::169.254.169.254]/', /169\.254\.169\.254, a linkLocal/],
      ['https://[::ffff:0:10.0.0.1]/', /10\.0\.0\.1, a private/],
      ['https://[64:ff9b::169.254.169.254]/', /169\.254\.169\.254, a linkLocal/],
      ['https://[64:ff9b:1::7f00:1]/', /a loopback|an? unspecified/],
      ['https://[2002:a9fe:a9fe::1]/', /169\.254\.169\.254, a linkLocal/],
      ['https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/', /127\.0\.0\.1, a loopback/],
    ];
    for (const [url, message] of forms) {
      const payload = (await call(CREATE_ENDPOINT, { url, events: ['api_key.created'] })).createWebhookEndpoint;
      expect(payload, url).toMatchObject({ webhookEndpoint: null, secret: null });
      expect(payload.userErrors, url).toHaveLength(1);
      expect(payload.userErrors[0], url).toMatchObject({ field: ['input', 'url'], code: 'INVALID' });
      expect(payload.userErrors[0].message, url).toMatch(message);
    }
    // link-local stays refused with WEBHOOKS_ALLOW_HTTP, in every form
    for (const url of ['http://[::169.254.169.254]/', 'http://[64:ff9b::a9fe:a9fe]/', 'http://[2002:a9fe:a9fe::]/']) {
      const payload = (await call(CREATE_ENDPOINT, { url, events: ['api_key.created'] }, server.yoga))
        .createWebhookEndpoint;
      expect(payload.userErrors[0], url).toMatchObject({ code: 'INVALID' });
    }
    expect(await count()).toBe(before);
    // a public address in such a form is judged as that address: accepted
    const ok = (await call(CREATE_ENDPOINT, { url: 'https://[2002:808:808::1]/hook', events: ['api_key.created'] }))
      .createWebhookEndpoint;
    expect(ok.userErrors).toEqual([]);
    const updated = (await call(UPDATE_ENDPOINT, { id: ok.webhookEndpoint.id, url: 'https://[::127.0.0.1]/' }))
      .updateWebhookEndpoint;
    expect(updated.userErrors[0]).toMatchObject({ field: ['input', 'url'], code: 'INVALID' });
    const stored = await server.db.prisma.webhookEndpoint.findUniqueOrThrow({
      where: { id: rowId(ok.webhookEndpoint.id) },
    });
    expect(stored.url).toBe('https://[2002:808:808::1]/hook');
  });

  it('creates, lists, updates and deletes endpoints; the secret is shown only once', async () => {
    const r = await receiver();
    const endpoint = await endpointFor(r, ['api_key.created', 'api_key.created']);
    expect(endpoint.events).toEqual(['api_key.created']);
    const list = await server.graphql(
      acme.adminToken,
      '{ webhookEndpoints { totalCount edges { node { id url events active } } } }',
    );
    expect(list.body.data.webhookEndpoints).toMatchObject({
      totalCount: 1,
      edges: [{ node: { id: endpoint.id, url: r.url } }],
    });
    const schemaHasSecret = await server.graphql(acme.adminToken, '{ webhookEndpoints { edges { node { secret } } } }');
    expect(schemaHasSecret.body.errors[0].message).toMatch(/secret/);

    const updated = await server.graphql(acme.adminToken, UPDATE_ENDPOINT, {
      input: { id: endpoint.id, events: ['api_key.revoked', 'api_key.expired'], description: null, active: false },
    });
    expect(updated.body.data.updateWebhookEndpoint).toMatchObject({
      userErrors: [],
      webhookEndpoint: { url: r.url, events: ['api_key.revoked', 'api_key.expired'], description: null, active: false },
    });
    // inactive: nothing is recorded for it
    const { apiKey } = await createKey();
    await server.graphql(acme.adminToken, REVOKE, { input: { id: apiKey.id } });
    expect(await server.db.prisma.webhookDelivery.count({ where: { endpoint: { url: r.url } } })).toBe(0);

    const deleted = await server.graphql(acme.adminToken, DELETE_ENDPOINT, { input: { id: endpoint.id } });
    expect(deleted.body.data.deleteWebhookEndpoint).toEqual({ deletedWebhookEndpointId: endpoint.id, userErrors: [] });
    const again = await server.graphql(acme.adminToken, DELETE_ENDPOINT, { input: { id: endpoint.id } });
    expect(again.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it("another organisation's admin, a project admin and an API key cannot see or manage endpoints", async () => {
    const r = await receiver();
    const endpoint = await endpointFor(r, ['api_key.created']);
    const key = await createKey();
    const projectAdmin = await createAdmin(server.db.prisma, {
      organizationName: 'HookCo',
      email: 'pa@hookco.test',
      role: 'PROJECT_ADMIN',
      projects: [acme.projectIds[0]],
    });

    // another organisation: absent, NOT_FOUND
    const otherList = await server.graphql(other.adminToken, '{ webhookEndpoints { totalCount } }');
    expect(otherList.body.data.webhookEndpoints.totalCount).toBe(0);
    const otherNode = await server.graphql(other.adminToken, DELIVERIES, { id: endpoint.id });
    expect(otherNode.body.data.node).toBeNull();
    for (const [query, input] of [
      [UPDATE_ENDPOINT, { id: endpoint.id, active: false }],
      [DELETE_ENDPOINT, { id: endpoint.id }],
    ] as const) {
      const res = await server.graphql(other.adminToken, query, { input });
      expect(res.body.errors[0].extensions.code).toBe('NOT_FOUND');
    }

    // a project admin and an API key: FORBIDDEN, and node() shows nothing
    for (const token of [projectAdmin.token, key.token]) {
      const list = await server.graphql(token, '{ webhookEndpoints { totalCount } }');
      expect(list.body.errors[0].extensions.code).toBe('FORBIDDEN');
      const created = await server.graphql(token, CREATE_ENDPOINT, {
        input: { url: 'https://example.com/x', events: ['api_key.created'] },
      });
      expect(created.body.errors[0].extensions.code).toBe('FORBIDDEN');
      for (const [query, input] of [
        [UPDATE_ENDPOINT, { id: endpoint.id, active: false }],
        [DELETE_ENDPOINT, { id: endpoint.id }],
      ] as const) {
        const res = await server.graphql(token, query, { input });
        expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
      }
      const node = await server.graphql(token, DELIVERIES, { id: endpoint.id });
      expect(node.body.data?.node ?? null).toBeNull();
    }
    const stored = await server.db.prisma.webhookEndpoint.findFirstOrThrow({ where: { url: r.url } });
    expect(stored.active).toBe(true);
  });
});

describe('claims', () => {
  it('an attempt slower than its lease keeps its claim: no other worker sends the delivery again', async () => {
    const { released, release } = hold();
    const r = await receiver((n) => ({ status: 204, after: n === 0 ? released : undefined }));
    const endpoint = await endpointFor(r, ['api_key.created']);
    // Another instance: a poller every 50 ms with the same short lease, on either database.
    const second = await startWebhookWorker({
      db: server.db,
      logger: workerLogger,
      allowHttp: true,
      expiryCheckIntervalMs: 3_600_000,
      ...FAST,
    });
    try {
      await createKey();
      await r.waitFor(1);
      const { id, nextAttemptAt: leaseEnd } = await server.db.prisma.webhookDelivery.findFirstOrThrow({
        where: { endpointId: rowId(endpoint.id) },
      });
      // Hold the answer until the claim was renewed after its lease would have run out (or a second request came).
      await eventually(async () => {
        if (r.received.length > 1) return true;
        const { nextAttemptAt } = await server.db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id } });
        return nextAttemptAt!.getTime() >= leaseEnd!.getTime() + FAST.leaseMs;
      }, 60_000);
      // and give every claimer a round now, past the first lease
      await Promise.all([second.runDueOnce(), worker.runDueOnce()]);
      if (worker.queue === 'graphile-worker') {
        // a queued job for it (a retry's, say) allows 2 s of clock skew, but not on a row under lease
        const prisma = server.db.prisma;
        const [job] = await prisma.$queryRaw<{ id: string }[]>`
          SELECT id::text FROM graphile_worker.add_job(${DELIVERY_TASK}, json_build_object('deliveryId', ${id}::uuid))`;
        await eventually(
          async () =>
            !(await prisma.$queryRaw<unknown[]>`SELECT 1 FROM graphile_worker.jobs WHERE id = ${job.id}::bigint`)
              .length,
        );
      }
      release();
      const [delivery] = await settled(endpoint.id);
      expect(r.received).toHaveLength(1);
      expect(delivery).toMatchObject({ status: 'SUCCEEDED', attempts: 1, claimToken: null });
      expect(await server.db.prisma.webhookDeliveryAttempt.count({ where: { deliveryId: id } })).toBe(1);
    } finally {
      release();
      await second.stop();
    }
  });

  it('the late result of a lost claim does not overwrite the newer claim', async () => {
    const { released, release } = hold();
    const r = await receiver((n) => ({ status: 204, after: n === 0 ? released : undefined }));
    const endpoint = await endpointFor(r, ['api_key.created']);
    try {
      await createKey();
      await r.waitFor(1);
      const { id } = await server.db.prisma.webhookDelivery.findFirstOrThrow({
        where: { endpointId: rowId(endpoint.id) },
      });
      // Another claimer took it over (as after a lease lost while this process was frozen).
      const newer = { claimToken: randomUUID(), nextAttemptAt: new Date(Date.now() + 3_600_000) };
      await server.db.prisma.webhookDelivery.update({ where: { id }, data: newer });
      release();
      // the attempt is recorded (in the transaction that would have changed the delivery)
      await eventually(() => server.db.prisma.webhookDeliveryAttempt.count({ where: { deliveryId: id } }));
      const delivery = await server.db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id } });
      // the attempt counts, but its outcome (a 204) is not recorded over the newer claim
      expect(delivery).toMatchObject({ ...newer, status: 'PENDING', attempts: 1, lastResponseCode: null });
      await eventually(async () => workerLog.find((l) => l.deliveryId === id && /claim was lost/.test(l.msg)));
    } finally {
      release();
    }
  });
});

describe('rolling an endpoint secret', () => {
  const signatures = (header: string) => {
    const match = /^t=(\d+)((?:,v1=[0-9a-f]{64})+)$/.exec(header);
    expect(match, header).not.toBeNull();
    return { t: match![1], v1: match![2].split(',v1=').slice(1) };
  };
  const hmac = (secret: string, t: string, raw: string) =>
    createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex');
  const storedEndpoint = (id: string) =>
    server.db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: rowId(id) } });

  it('during the grace both secrets sign each delivery; after it only the new one', async () => {
    const r = await receiver();
    const endpoint = await endpointFor(r, ['api_key.created']);
    const oldSecret = r.secret;
    const before = Date.now();
    const res = await server.graphql(acme.adminToken, ROLL, { input: { id: endpoint.id, gracePeriodSeconds: 3600 } });
    const rolled = res.body.data.rollWebhookEndpointSecret;
    expect(rolled.userErrors).toEqual([]);
    expect(rolled.secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    expect(rolled.secret).not.toBe(oldSecret);
    expect(rolled.webhookEndpoint.id).toBe(endpoint.id);
    const graceEnd = Date.parse(rolled.webhookEndpoint.previousSecretExpiresAt);
    expect(graceEnd).toBeGreaterThanOrEqual(before + 3_600_000 - 1_000);
    expect(graceEnd).toBeLessThanOrEqual(Date.now() + 3_600_000 + 1_000);
    // the previous secret is kept as the current one is
    expect(await storedEndpoint(endpoint.id)).toMatchObject({ secret: rolled.secret, previousSecret: oldSecret });
    r.secret = rolled.secret;

    await createKey();
    const [during] = await r.waitFor(1);
    const header = during.headers['crewgraph-signature'] as string;
    const { t, v1 } = signatures(header);
    expect(v1).toEqual([hmac(rolled.secret, t, during.raw), hmac(oldSecret, t, during.raw)]);
    expect(verifySignature(rolled.secret, during.raw, header)).toBe(true);
    expect(verifySignature(oldSecret, during.raw, header)).toBe(true);
    expect(verifySignature(`whsec_${'0'.repeat(64)}`, during.raw, header)).toBe(false);

    // The grace ends (as if its hour had passed): the new secret alone signs, and the scheduler forgets the old one.
    await server.db.prisma.webhookEndpoint.update({
      where: { id: rowId(endpoint.id) },
      data: { previousSecretExpiresAt: new Date(Date.now() - 1_000) },
    });
    const node = await server.graphql(
      acme.adminToken,
      'query ($id: ID!) { node(id: $id) { ... on WebhookEndpoint { previousSecretExpiresAt } } }',
      { id: endpoint.id },
    );
    expect(node.body.data.node.previousSecretExpiresAt).toBeNull();
    await createKey();
    const [, after] = await r.waitFor(2);
    const afterHeader = after.headers['crewgraph-signature'] as string;
    expect(signatures(afterHeader).v1).toEqual([hmac(rolled.secret, signatures(afterHeader).t, after.raw)]);
    expect(verifySignature(oldSecret, after.raw, afterHeader)).toBe(false);
    expect(after.signatureValid).toBe(true);
    await worker.checkExpiryOnce();
    expect(await storedEndpoint(endpoint.id)).toMatchObject({ previousSecret: null, previousSecretExpiresAt: null });
  });

  it('gracePeriodSeconds 0 (the default) replaces the secret at once', async () => {
    const r = await receiver();
    const endpoint = await endpointFor(r, ['api_key.created']);
    const oldSecret = r.secret;
    const res = await server.graphql(acme.adminToken, ROLL, { input: { id: endpoint.id } });
    const rolled = res.body.data.rollWebhookEndpointSecret;
    expect(rolled).toMatchObject({ userErrors: [], webhookEndpoint: { previousSecretExpiresAt: null } });
    expect(await storedEndpoint(endpoint.id)).toMatchObject({ secret: rolled.secret, previousSecret: null });
    r.secret = rolled.secret;
    await createKey();
    const [w] = await r.waitFor(1);
    const header = w.headers['crewgraph-signature'] as string;
    expect(signatures(header).v1).toHaveLength(1);
    expect(w.signatureValid).toBe(true);
    expect(verifySignature(oldSecret, w.raw, header)).toBe(false);
  });

  it('refuses a grace out of range, and only owners and admins of the organisation may roll; nothing changes', async () => {
    const r = await receiver();
    const endpoint = await endpointFor(r, ['api_key.created']);
    const unchanged = await storedEndpoint(endpoint.id);
    for (const gracePeriodSeconds of [-1, 604_801]) {
      const res = await server.graphql(acme.adminToken, ROLL, { input: { id: endpoint.id, gracePeriodSeconds } });
      expect(res.body.data.rollWebhookEndpointSecret).toMatchObject({ secret: null, webhookEndpoint: null });
      expect(res.body.data.rollWebhookEndpointSecret.userErrors).toEqual([
        expect.objectContaining({ field: ['input', 'gracePeriodSeconds'], code: 'OUT_OF_RANGE' }),
      ]);
    }
    const otherOrg = await server.graphql(other.adminToken, ROLL, {
      input: { id: endpoint.id, gracePeriodSeconds: 60 },
    });
    expect(otherOrg.body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect(otherOrg.body.data?.rollWebhookEndpointSecret ?? null).toBeNull();
    const key = await createKey();
    const projectAdmin = await createAdmin(server.db.prisma, {
      organizationName: 'HookCo',
      email: 'roller@hookco.test',
      role: 'PROJECT_ADMIN',
      projects: [acme.projectIds[0]],
    });
    for (const token of [key.token, projectAdmin.token]) {
      const res = await server.graphql(token, ROLL, { input: { id: endpoint.id, gracePeriodSeconds: 60 } });
      expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
    }
    expect(await storedEndpoint(endpoint.id)).toEqual(unchanged);
  });
});

describe('expiry notices', () => {
  it('sends api_key.expiring at 7 days and 1 day and api_key.expired once each, however often the scheduler runs', async () => {
    const r = await receiver();
    await endpointFor(r, ['api_key.expiring', 'api_key.expired']);
    await server.db.prisma.apiKeyExpiryNotice.deleteMany({});
    const expiresAt = new Date('2031-03-10T12:00:00.000Z');
    const { apiKey } = await createKey({ expiresAt: expiresAt.toISOString() });
    const revoked = await createKey({ expiresAt: expiresAt.toISOString() });
    await server.graphql(acme.adminToken, REVOKE, { input: { id: revoked.apiKey.id } });
    const deleted = await createKey({ expiresAt: expiresAt.toISOString() });
    await server.graphql(acme.adminToken, DELETE, { input: { id: deleted.apiKey.id } });

    const at = (ms: number) => new Date(expiresAt.getTime() + ms);
    const DAY = 86_400_000;
    // A worker on an injected clock: the scheduler hook and the deliveries it causes.
    let clock = at(-8 * DAY);
    const clocked = await startWebhookWorker({
      db: server.db,
      logger,
      allowHttp: true,
      now: () => clock,
      expiryCheckIntervalMs: 3_600_000,
      pollIntervalMs: 3_600_000,
      sweepIntervalMs: 3_600_000,
    });
    /** Runs the scheduler twice at `now` (as a restart or a second instance would), then delivers. */
    const run = async (now: Date) => {
      clock = now;
      const sent = (await clocked.checkExpiryOnce()) + (await clocked.checkExpiryOnce());
      await clocked.runDueOnce();
      return sent;
    };
    try {
      expect(await run(at(-8 * DAY))).toBe(0);
      expect(await run(at(-7 * DAY + 60_000))).toBe(1);
      expect(await run(at(-3 * DAY))).toBe(0);
      expect(await run(at(-DAY + 60_000))).toBe(1);
      expect(await run(at(-60_000))).toBe(0);
      // two schedulers (instances) at the same moment: still once
      clock = at(60_000);
      const [a, b] = await Promise.all([
        emitExpiryNotices(server.db.prisma, clock),
        emitExpiryNotices(server.db.prisma, clock),
      ]);
      expect(a + b).toBe(1);
      await clocked.runDueOnce();
      expect(await run(at(2 * DAY))).toBe(0);

      await r.waitFor(3);
      expect(r.received.map((w) => w.body.type)).toEqual(['api_key.expiring', 'api_key.expiring', 'api_key.expired']);
      expect(r.received.every((w) => w.body.data.apiKey.id === apiKey.id)).toBe(true);
      expect(r.received.map((w) => w.body.data.apiKey.status)).toEqual(['ACTIVE', 'ACTIVE', 'EXPIRED']);
      expect(r.received.map((w) => w.body.createdAt)).toEqual(
        [at(-7 * DAY + 60_000), at(-DAY + 60_000), at(60_000)].map((d) => d.toISOString()),
      );
      // signed at the (injected) time of the attempt
      expect(r.received[2].headers['crewgraph-signature']).toMatch(
        new RegExp(`^t=${Math.floor(at(60_000).getTime() / 1000)},`),
      );
      const notices = await server.db.prisma.apiKeyExpiryNotice.findMany({ orderBy: { createdAt: 'asc' } });
      expect(notices.map((n) => [n.apiKeyId, n.kind])).toEqual([
        [rowId(apiKey.id), 'EXPIRING_7D'],
        [rowId(apiKey.id), 'EXPIRING_1D'],
        [rowId(apiKey.id), 'EXPIRED'],
      ]);

      // a key that expires within a day when first seen gets only the 1-day notice, then the expired one
      const soon = await createKey({ expiresAt: at(30 * DAY).toISOString() });
      expect(await run(at(30 * DAY - 3_600_000))).toBe(1);
      expect(await run(at(30 * DAY + 1_000))).toBe(1);
      await r.waitFor(5);
      expect(r.received.slice(3).map((w) => [w.body.type, w.body.data.apiKey.id])).toEqual([
        ['api_key.expiring', soon.apiKey.id],
        ['api_key.expired', soon.apiKey.id],
      ]);
      // a changed expiresAt makes new notices due
      const later = at(40 * DAY);
      await server.graphql(acme.adminToken, UPDATE, { input: { id: soon.apiKey.id, expiresAt: later.toISOString() } });
      expect(await run(new Date(later.getTime() - 6 * DAY))).toBe(1);
      // signatures are valid (checked against the injected clock's time, years ahead of the receiver's)
      for (const w of r.received) {
        const header = w.headers['crewgraph-signature'] as string;
        expect(verifySignature(r.secret, w.raw, header, { toleranceSeconds: 20 * 365 * 86_400 })).toBe(true);
        expect(verifySignature('whsec_wrong', w.raw, header, { toleranceSeconds: 20 * 365 * 86_400 })).toBe(false);
      }
    } finally {
      await clocked.stop();
    }
  });
});

describe.skipIf(!process.env.DATABASE_URL)('PostgreSQL queue', () => {
  it('uses graphile-worker, and two workers on one database deliver each event once', async () => {
    expect(worker.queue).toBe('graphile-worker');
    const second = await startWebhookWorker({
      db: server.db,
      logger,
      databaseUrl: server.db.url,
      allowHttp: true,
      expiryCheckIntervalMs: 3_600_000,
      ...FAST,
    });
    try {
      const r = await receiver((n) => ({ status: n % 3 === 0 ? 503 : 200 })); // some retries too
      await endpointFor(r, ['api_key.created']);
      for (let i = 0; i < 8; i++) await createKey();
      await eventually(async () => {
        const rows = await server.db.prisma.webhookDelivery.findMany({ where: { endpoint: { url: r.url } } });
        return rows.length === 8 && rows.every((d) => d.status === 'SUCCEEDED');
      });
      await Promise.all([worker.runDueOnce(), second.runDueOnce()]);
      await new Promise((res) => setTimeout(res, 500));
      const succeeded = r.received.filter((_w, n) => n % 3 !== 0);
      expect(new Set(succeeded.map((w) => w.body.id)).size).toBe(8);
      expect(succeeded).toHaveLength(8);
      const attempts = await server.db.prisma.webhookDeliveryAttempt.count({
        where: { delivery: { endpoint: { url: r.url } } },
      });
      expect(attempts).toBe(r.received.length);
    } finally {
      await second.stop();
    }
  });

  it('keeps the change when the queue refuses the job (schema being installed): the sweep delivers it', async () => {
    const r = await receiver();
    await endpointFor(r, ['api_key.created']);
    const prisma = server.db.prisma;
    // A queue that throws, as graphile-worker can while another instance migrates its schema.
    await prisma.$executeRawUnsafe(
      `ALTER FUNCTION graphile_worker.add_job(text, json, text, timestamptz, integer, text, integer, text[], text) RENAME TO add_job_real`,
    );
    await prisma.$executeRawUnsafe(`CREATE FUNCTION graphile_worker.add_job(identifier text, payload json, run_at timestamptz, job_key text)
      RETURNS void LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'queue unavailable'; END $$`);
    let created;
    try {
      created = await createKey();
    } finally {
      await prisma.$executeRawUnsafe(`DROP FUNCTION graphile_worker.add_job(text, json, timestamptz, text)`);
      await prisma.$executeRawUnsafe(
        `ALTER FUNCTION graphile_worker.add_job_real(text, json, text, timestamptz, integer, text, integer, text[], text) RENAME TO add_job`,
      );
    }
    expect(created.apiKey.id).toBeTruthy();
    const [delivered] = await r.waitFor(1, 20_000);
    expect(delivered.body).toMatchObject({ type: 'api_key.created', data: { apiKey: { id: created.apiKey.id } } });
  });
});
