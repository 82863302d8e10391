import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { DataDirBusyError } from './db/data-dir-lock.ts';
import { DatabaseConnectError } from './db/unavailable.ts';
import { createLogger } from './logger.ts';
import { DEMO_ORGANIZATION, seedDemoOrganization } from './demo/seed.ts';
import { createRateLimiter } from './http/limits/rate-limit.ts';
import { createServer } from './http/server.ts';
import { api } from './schema.ts';
import { UsageCounter } from './modules/usage/usage-counter.ts';
import { startWebhookWorker } from './jobs/webhooks/worker.ts';
import { metricSourcesOf } from './observability/sources.ts';
import { startTracing, stopTracing } from './observability/tracing.ts';
import { configuredDataDirFailure } from './start/data-dir.ts';
import { listenFirst, StartError } from './start/listen.ts';
import { tokenHint } from './start/token-hint.ts';

/** Until the database is ready: /health answers (the process is alive), everything else 503. */
function answerWhileStarting(req: IncomingMessage, res: ServerResponse) {
  if (req.url === '/health') return void res.writeHead(200).end();
  res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' });
  res.end(
    JSON.stringify(
      req.url === '/ready'
        ? { status: 'unavailable' }
        : {
            errors: [
              { message: 'Crewgraph is starting; try again shortly', extensions: { code: 'SERVICE_UNAVAILABLE' } },
            ],
          },
    ),
  );
}

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // Only with OTEL_EXPORTER_OTLP_ENDPOINT: otherwise the OpenTelemetry SDK is never loaded.
  if (config.tracing) await startTracing();
  let stopping = false;
  const inFlight = new Set<ServerResponse>();
  let handle: (req: IncomingMessage, res: ServerResponse) => void = answerWhileStarting;
  // While draining, every response closes its connection, so keep-alive clients move on.
  const http = createHttpServer((req, res) => {
    if (stopping) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.on('close', () => inFlight.delete(res));
    handle(req, res);
  });
  const port = await listenFirst(http, config.port, config.host);

  const db = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : config.dataDir,
    poolSize: config.dbPoolSize,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    statementTimeoutMs: config.dbStatementTimeoutMs,
    preparedStatements: config.dbPreparedStatements,
    credentialCache: config.credentialCache,
    onCredentialCacheError: (error) => logger.warn({ err: error }, 'credential cache: answering from the database'),
  });
  const applied = await db.migrate();
  if (applied.length) logger.info({ applied }, 'migrations applied');

  const seeded = config.seedDemo ? await seedDemoOrganization(db.prisma) : null;

  const rateLimiter = createRateLimiter(config.rateLimits, logger);
  if (!(await rateLimiter.ready())) logger.warn('Redis not reachable yet; rate limits count per instance until it is');
  const usage = new UsageCounter(db.prisma, { logger, flushSeconds: config.usageFlushSeconds });
  // prom-client is loaded only when /metrics is served (METRICS).
  const metrics = config.metrics.enabled
    ? new (await import('./observability/metrics.ts')).Metrics(metricSourcesOf(db, usage), {
        maxOperationNames: config.metrics.maxOperations,
        processMetrics: true,
      })
    : undefined;
  const yoga = createServer({
    db,
    api,
    logger,
    graphiql: config.graphiql,
    introspection: config.introspection,
    limits: config.queryLimits,
    rateLimiter,
    keyRateLimit: { requests: config.rateLimits.keyRequests, perSeconds: config.rateLimits.windowSeconds },
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    trustProxy: config.trustProxy,
    corsOrigins: config.corsOrigins,
    webhooksAllowHttp: config.webhooks.allowHttp,
    usage,
    metrics: metrics && { metrics, token: config.metrics.token },
  });
  const hint = seeded
    ? []
    : await tokenHint(db.prisma, {
        embedded: db.kind === 'pglite',
        demoOrganization: config.seedDemo ? DEMO_ORGANIZATION : undefined,
      });
  // Webhook deliveries and expiry notices (docs/webhooks.md): graphile-worker on PostgreSQL, a poller on PGlite.
  // The worker starts while the server begins to answer: its start (graphile-worker's schema
  // check, a first sweep) took about 0.45 s, which the first request need not wait for.
  const webhooksStarting = config.webhooks.worker
    ? startWebhookWorker({
        db,
        logger,
        databaseUrl: config.databaseUrl,
        allowHttp: config.webhooks.allowHttp,
        timeoutMs: config.webhooks.timeoutMs,
        retryBaseMs: config.webhooks.retryBaseMs,
        expiryCheckIntervalMs: config.webhooks.expiryCheckIntervalMs,
        metrics,
      })
    : Promise.resolve(null);
  webhooksStarting.catch(() => {}); // a failure is thrown by the await below, as a failed start
  handle = (req, res) => void yoga(req, res);
  const webhooks = await webhooksStarting;
  const url = `http://${config.host}:${port}${yoga.graphqlEndpoint}`;

  // The "serving" line comes last: whoever waits for it (a person, a test) has the token or hint above it.
  const lines = seeded
    ? [
        `Demo organisation "${seeded.organizationName}" created. Demo admin token (shown only this once):`,
        `  ${seeded.adminToken}`,
        config.graphiql
          ? `In GraphiQL, open Headers and paste: { "Authorization": "Bearer ${seeded.adminToken}" }`
          : `Send it as the header  Authorization: Bearer ${seeded.adminToken}`,
      ]
    : hint;
  const database = db.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL';
  lines.push(
    config.graphiql
      ? `Crewgraph is serving GraphiQL at ${url} (${database})`
      : `Crewgraph is serving the GraphQL API at ${url} (${database}; GraphiQL is off)`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);

  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      logger.error('in-flight requests did not finish in 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    http.close(async () => {
      // Last flush of the usage counts, after the last request and before the database closes.
      await usage.close().catch((error: unknown) => logger.error({ err: error }, 'usage counts of this instance lost'));
      await webhooks
        ?.stop()
        .catch((error: unknown) => logger.error({ err: error }, 'webhook worker did not stop cleanly'));
      await rateLimiter.close();
      await stopTracing().catch((error: unknown) => logger.warn({ err: error }, 'last spans not exported'));
      await db.close();
      logger.info('stopped');
      process.exit(0);
    });
    for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    http.closeIdleConnections();
    const sweep = setInterval(() => http.closeIdleConnections(), 100);
    sweep.unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error) => {
  const known =
    error instanceof ConfigError ||
    error instanceof StartError ||
    error instanceof DataDirBusyError ||
    error instanceof DatabaseConnectError;
  const dataDir = configuredDataDirFailure(error);
  if (known || dataDir) {
    console.error(`crewgraph: ${dataDir ?? error.message}`);
  } else {
    console.error('crewgraph: failed to start:', error);
  }
  process.exit(1);
});
