import { print } from 'graphql';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../src/config.ts';
import { createRateLimiter } from '../src/http/limits/rate-limit.ts';
import { createServer } from '../src/http/server.ts';
import { startWebhookWorker } from '../src/jobs/webhooks/worker.ts';
import { UsageCounter } from '../src/modules/usage/usage-counter.ts';
import { Metrics } from '../src/observability/metrics.ts';
import { metricSourcesOf } from '../src/observability/sources.ts';
import { api } from '../src/schema.ts';
import { CREATE } from './support/api-key-operations.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { apiKeyFixture, globalId, organizationWith, type OrganizationScenario } from './support/scenarios.ts';
import { startReceiver } from './support/webhook-receiver.ts';

const TOKEN = 'metrics-test-token-0123456789';
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

let db: TestDatabase;
let usage: UsageCounter;
let metrics: Metrics;
let yoga: ReturnType<typeof createServer>;
let org: OrganizationScenario;
let key: { id: string; token: string };
let budgetKey: { id: string; token: string };

beforeAll(async () => {
  db = await createTestDatabase();
  org = await organizationWith(db.prisma, 'Measured', { projects: 1 });
  key = await apiKeyFixture(db.prisma, org.organizationId, { projectIds: org.projectIds });
  budgetKey = await apiKeyFixture(db.prisma, org.organizationId, { projectIds: org.projectIds });
  await db.prisma.apiKey.update({
    where: { id: budgetKey.id },
    data: { rateLimitRequests: 2, rateLimitPerSeconds: 3600 },
  });
  usage = new UsageCounter(db.prisma, { autoFlush: false });
  metrics = new Metrics(metricSourcesOf(db, usage));
  const rateLimiter = createRateLimiter({ ...DEFAULTS.rateLimits, burst: undefined }, logger);
  yoga = createServer({
    db,
    api,
    logger,
    rateLimiter,
    usage,
    webhooksAllowHttp: true,
    metrics: { metrics, token: TOKEN },
  });
});
afterAll(() => db?.drop());

const post = (server: typeof yoga, token: string | null, body: object) =>
  server.fetch('http://crewgraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });

const scrape = async (server = yoga, token = TOKEN) => {
  const response = await server.fetch('http://crewgraph.test/metrics', {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return response.text();
};

/** The samples of one metric in a scrape: labels (sorted, as `k="v"` joined by commas) → value. */
function samples(text: string, name: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const labels = [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => `${k}="${v}"`);
    found.set(labels.sort().join(','), Number(match[3]));
  }
  return found;
}
const labels = (values: Record<string, string>) =>
  Object.entries(values)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',');
const request = (operation: string, status: number, principal: string, route = '/graphql') =>
  labels({ route, operation, status: String(status), principal });

describe('GET /metrics', () => {
  it('answers only the METRICS_TOKEN bearer token, only to GET', async () => {
    const none = await yoga.fetch('http://crewgraph.test/metrics');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await yoga.fetch('http://crewgraph.test/metrics', { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    // An API token is not a metrics token.
    const apiToken = await yoga.fetch('http://crewgraph.test/metrics', {
      headers: { authorization: `Bearer ${org.adminToken}` },
    });
    expect(apiToken.status).toBe(401);
    const posted = await yoga.fetch('http://crewgraph.test/metrics', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(posted.status).toBe(405);

    const ok = await yoga.fetch('http://crewgraph.test/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await ok.text()).toMatch(/^# HELP crewgraph_http_requests_total /m);
  });

  it('is not served when the server is given no metrics', async () => {
    const plain = createServer({ db, api, logger });
    const response = await plain.fetch('http://crewgraph.test/metrics');
    expect(response.status).toBe(404);
  });

  it('counts requests and their latency by route, operation name, status and principal kind', async () => {
    expect((await post(yoga, org.adminToken, { query: 'query Mine { viewer { kind } }' })).status).toBe(200);
    expect((await post(yoga, org.adminToken, { query: 'query Mine { viewer { kind } }' })).status).toBe(200);
    expect((await post(yoga, key.token, { query: 'query KeyView { viewer { kind } }' })).status).toBe(200);
    expect((await post(yoga, key.token, { query: '{ viewer { kind } }' })).status).toBe(200);
    // Never executed: no credential (the name the client sent is not trusted), a document that does not parse.
    expect((await post(yoga, null, { query: 'query Sneaky { viewer { kind } }' })).status).toBe(401);
    const broken = (await post(yoga, key.token, { query: 'query Broken {' })).status;
    expect(broken).toBeGreaterThanOrEqual(200);
    const token = await yoga.fetch('http://crewgraph.test/oauth/token', { method: 'POST' });
    expect(token.status).toBe(400); // invalid_request: no grant_type
    await yoga.fetch('http://crewgraph.test/health');
    await yoga.fetch('http://crewgraph.test/somewhere/else');

    const text = await scrape();
    const requests = samples(text, 'crewgraph_http_requests_total');
    expect(requests.get(request('Mine', 200, 'ADMIN'))).toBe(2);
    expect(requests.get(request('KeyView', 200, 'API_KEY'))).toBe(1);
    expect(requests.get(request('anonymous', 200, 'API_KEY'))).toBe(1);
    expect(requests.get(request('unknown', 401, 'anonymous'))).toBe(1);
    expect(requests.get(request('unknown', broken, 'API_KEY'))).toBe(1);
    expect(requests.get(request('none', 400, 'anonymous', '/oauth/token'))).toBe(1);
    expect(requests.get(request('none', 404, 'anonymous', 'other'))).toBe(1);
    expect([...requests.keys()].some((k) => k.includes('Sneaky') || k.includes('Broken'))).toBe(false);
    // Neither liveness probes nor scrapes are counted.
    expect([...requests.keys()].some((k) => k.includes('/health') || k.includes('/metrics'))).toBe(false);

    const counts = samples(text, 'crewgraph_http_request_duration_seconds_count');
    expect(counts.get(request('Mine', 200, 'ADMIN'))).toBe(2);
    const buckets = samples(text, 'crewgraph_http_request_duration_seconds_bucket');
    expect(
      buckets.get(labels({ le: '+Inf', route: '/graphql', operation: 'Mine', status: '200', principal: 'ADMIN' })),
    ).toBe(2);
  });

  it('labels at most METRICS_MAX_OPERATIONS distinct operation names; later ones are "other"', async () => {
    const capped = new Metrics({}, { maxOperationNames: 2 });
    const server = createServer({ db, api, logger, metrics: { metrics: capped } });
    for (const name of ['First', 'Second', 'Third', 'Fourth', 'First']) {
      expect((await post(server, org.adminToken, { query: `query ${name} { viewer { kind } }` })).status).toBe(200);
    }
    const requests = samples(await scrape(server, 'unused'), 'crewgraph_http_requests_total');
    expect(requests.get(request('First', 200, 'ADMIN'))).toBe(2);
    expect(requests.get(request('Second', 200, 'ADMIN'))).toBe(1);
    expect(requests.get(request('other', 200, 'ADMIN'))).toBe(2);
    expect([...requests.keys()].some((k) => k.includes('Third'))).toBe(false);
  });

  it('counts rate-limit refusals by principal kind', async () => {
    const before =
      samples(await scrape(), 'crewgraph_rate_limit_refusals_total').get(labels({ principal: 'API_KEY' })) ?? 0;
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await post(yoga, budgetKey.token, { query: 'query Budget { viewer { kind } }' })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const text = await scrape();
    expect(samples(text, 'crewgraph_rate_limit_refusals_total').get(labels({ principal: 'API_KEY' }))).toBe(before + 1);
    // Refused before parsing: the operation is unknown.
    expect(samples(text, 'crewgraph_http_requests_total').get(request('unknown', 429, 'API_KEY'))).toBe(1);
  });

  it('shows the usage-flush lag: counts waiting in memory until the flush writes them', async () => {
    expect((await post(yoga, key.token, { query: '{ viewer { kind } }' })).status).toBe(200);
    let text = await scrape();
    expect(samples(text, 'crewgraph_usage_pending_buckets').get('')).toBeGreaterThanOrEqual(1);
    expect(samples(text, 'crewgraph_usage_flush_lag_seconds').get('')).toBeGreaterThanOrEqual(0);
    await usage.flush();
    text = await scrape();
    expect(samples(text, 'crewgraph_usage_pending_buckets').get('')).toBe(0);
    expect(samples(text, 'crewgraph_usage_flush_lag_seconds').get('')).toBe(0);
  });

  it('shows the database pool on PostgreSQL (none on the embedded database)', async () => {
    const text = await scrape();
    const pool = samples(text, 'crewgraph_db_pool_connections');
    if (db.kind === 'postgres') {
      const [max, idle, inUse] = ['max', 'idle', 'in_use'].map((state) => pool.get(labels({ state }))!);
      expect(max).toBe(5); // test/support/database.ts opens PostgreSQL with a pool of 5
      expect(idle).toBeGreaterThanOrEqual(1); // the connections the requests above used, back in the pool
      expect(inUse).toBeGreaterThanOrEqual(0);
      expect(idle + inUse).toBeLessThanOrEqual(max);
      expect(samples(text, 'crewgraph_db_pool_waiting_requests').get('')).toBe(0);
    } else {
      expect(pool.size).toBe(0);
    }
  });

  it('shows the webhook queue and counts delivery outcomes', async () => {
    const receiver = await startReceiver(() => ({ status: 204 }));
    try {
      const created = await post(yoga, org.adminToken, {
        query: `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret userErrors { code } } }`,
        variables: { input: { url: receiver.url, events: ['api_key.created'] } },
      });
      const endpoint = (await created.json()).data.createWebhookEndpoint;
      expect(endpoint.userErrors).toEqual([]);
      receiver.secret = endpoint.secret;
      const key = await post(yoga, org.adminToken, {
        query: print(CREATE),
        variables: { input: { name: 'queued key', projectIds: [globalId('Project', org.projectIds[0])] } },
      });
      expect((await key.json()).data.createApiKey.userErrors).toEqual([]);

      let text = await scrape();
      expect(samples(text, 'crewgraph_webhook_queue_pending').get('')).toBe(1);
      expect(samples(text, 'crewgraph_webhook_queue_due').get('')).toBe(1);
      expect(samples(text, 'crewgraph_webhook_queue_oldest_due_seconds').get('')).toBeGreaterThanOrEqual(0);

      const worker = await startWebhookWorker({
        db,
        logger,
        allowHttp: true,
        metrics,
        pollIntervalMs: 3_600_000,
        expiryCheckIntervalMs: 3_600_000,
      });
      await worker.runDueOnce();
      await worker.stop(); // waits for the first sweep too: every attempt has settled
      expect(receiver.received).toHaveLength(1);

      text = await scrape();
      expect(samples(text, 'crewgraph_webhook_delivery_attempts_total').get(labels({ outcome: 'succeeded' }))).toBe(1);
      expect(samples(text, 'crewgraph_webhook_delivery_attempt_duration_seconds_count').get('')).toBe(1);
      expect(samples(text, 'crewgraph_webhook_queue_pending').get('')).toBe(0);
    } finally {
      await receiver.close();
    }
  });

  it('never shows a token, a key id, a key or organisation row id, or a secret', async () => {
    const text = await scrape();
    for (const secret of [key.token, org.adminToken, budgetKey.token, TOKEN]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.split('_')[1]); // the public id part of a token
    }
    for (const id of [key.id, budgetKey.id, org.organizationId]) expect(text).not.toContain(id);
  });
});
