import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from '../src/http/server.ts';
import { startWebhookWorker } from '../src/jobs/webhooks/worker.ts';
import { REQUEST_ID_ATTRIBUTE } from '../src/observability/tracing-plugin.ts';
import { startTracing, stopTracing, tracingConfigured } from '../src/observability/tracing.ts';
import { api } from '../src/schema.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { organizationWith, type OrganizationScenario } from './support/scenarios.ts';
import { startReceiver } from './support/webhook-receiver.ts';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const exporter = new InMemorySpanExporter();
let db: TestDatabase;
let yoga: ReturnType<typeof createServer>;
let org: OrganizationScenario;

beforeAll(async () => {
  await startTracing({ exporter });
  db = await createTestDatabase();
  org = await organizationWith(db.prisma, 'Traced', { projects: 1 });
  yoga = createServer({ db, api, logger, webhooksAllowHttp: true });
});
afterAll(async () => {
  await stopTracing();
  await db?.drop();
});
beforeEach(() => exporter.reset());

const post = (body: object, headers: Record<string, string> = {}) =>
  yoga.fetch('http://crewgraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${org.adminToken}`, ...headers },
    body: JSON.stringify(body),
  });

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
/** The span and its ancestors' names, innermost first. */
function ancestry(span: ReadableSpan, spans: ReadableSpan[]): string[] {
  const names = [span.name];
  for (let at = span; parentOf(at);) {
    const parent = spans.find((s) => s.spanContext().spanId === parentOf(at));
    if (!parent) break;
    names.push(parent.name);
    at = parent;
  }
  return names;
}

describe('OpenTelemetry traces', () => {
  it('are configured by the standard OTLP endpoint variables only', () => {
    expect(tracingConfigured({})).toBe(false);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' })).toBe(false);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' })).toBe(
      false,
    );
  });

  it('span a request with its id, and its parse, validate, execute phases and SQL statements beneath', async () => {
    const response = await post(
      { query: 'query Projects { projects(first: 5) { totalCount edges { node { name } } } }' },
      { 'x-request-id': 'trace-me-1' },
    );
    expect(response.status).toBe(200);
    const spans = exporter.getFinishedSpans();

    const root = spans.find((s) => s.name === 'POST /graphql');
    expect(root).toBeDefined();
    expect(root!.attributes).toMatchObject({
      [REQUEST_ID_ATTRIBUTE]: 'trace-me-1',
      'http.request.method': 'POST',
      'http.response.status_code': 200,
      'crewgraph.principal.kind': 'ADMIN',
    });
    expect(parentOf(root!)).toBeUndefined();
    const traceId = root!.spanContext().traceId;
    expect(spans.every((s) => s.spanContext().traceId === traceId)).toBe(true);

    for (const phase of ['graphql.parse', 'graphql.validate', 'graphql.execute']) {
      const span = spans.find((s) => s.name === phase);
      expect(span, phase).toBeDefined();
      expect(ancestry(span!, spans).at(-1)).toBe('POST /graphql');
    }
    const execute = spans.find((s) => s.name === 'graphql.execute')!;
    expect(execute.attributes).toMatchObject({
      'graphql.operation.name': 'Projects',
      'graphql.operation.type': 'query',
      [REQUEST_ID_ATTRIBUTE]: 'trace-me-1',
    });

    const statements = spans.filter((s) => s.name === 'prisma:client:db_query');
    expect(statements.length).toBeGreaterThan(0);
    const projectsRead = statements.find((s) => String(s.attributes['db.query.text']).includes('"Project"'));
    expect(projectsRead).toBeDefined();
    expect(ancestry(projectsRead!, spans)).toContain('graphql.execute');
    // Statements carry placeholders, never the values bound to them.
    expect(statements.some((s) => String(s.attributes['db.query.text']).includes(org.organizationId))).toBe(false);
  });

  it("continue the caller's trace (W3C traceparent)", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await post({ query: '{ viewer { kind } }' }, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    const root = exporter.getFinishedSpans().find((s) => s.name === 'POST /graphql');
    expect(root?.spanContext().traceId).toBe(traceId);
    expect(parentOf(root!)).toBe('00f067aa0ba902b7');
  });

  it('never record the document, the variables or the credential', async () => {
    await post({
      query: 'query Named($first: Int) { projects(first: $first) { totalCount } }',
      variables: { first: 3 },
    });
    const recorded = JSON.stringify(exporter.getFinishedSpans().map((s) => s.attributes));
    expect(recorded).not.toContain('projects(first');
    expect(recorded).not.toContain(org.adminToken);
    expect(recorded).not.toContain(org.adminToken.split('_')[1]);
  });

  it('span each webhook delivery attempt, with its outcome and its statements', async () => {
    const receiver = await startReceiver(() => ({ status: 204 }));
    try {
      const created = await post({
        query: `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret userErrors { code } } }`,
        variables: { input: { url: receiver.url, events: ['api_key.created'] } },
      });
      receiver.secret = (await created.json()).data.createWebhookEndpoint.secret;
      const key = await post({
        query: `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { userErrors { code } } }`,
        variables: {
          input: {
            name: 'traced key',
            projectIds: [Buffer.from(`Project:${org.projectIds[0]}`).toString('base64url')],
          },
        },
      });
      expect((await key.json()).data.createApiKey.userErrors).toEqual([]);
      exporter.reset();

      const worker = await startWebhookWorker({
        db,
        logger,
        allowHttp: true,
        pollIntervalMs: 3_600_000,
        expiryCheckIntervalMs: 3_600_000,
      });
      await worker.runDueOnce();
      await worker.stop();
      expect(receiver.received).toHaveLength(1);

      const spans = exporter.getFinishedSpans();
      const deliveries = spans.filter((s) => s.name === 'webhook.deliver');
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0].attributes).toMatchObject({
        'crewgraph.webhook.event_type': 'api_key.created',
        'crewgraph.webhook.outcome': 'succeeded',
        'crewgraph.webhook.attempt': 1,
        'http.response.status_code': 204,
      });
      const recorded = spans.filter(
        (s) => s.name === 'prisma:client:db_query' && ancestry(s, spans).includes('webhook.deliver'),
      );
      expect(recorded.some((s) => String(s.attributes['db.query.text']).includes('"WebhookDeliveryAttempt"'))).toBe(
        true,
      );
      // The claim queries of the poll ran outside any request or delivery: they start no trace of their own.
      expect(spans.filter((s) => s.name.startsWith('prisma:') && !parentOf(s))).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});
