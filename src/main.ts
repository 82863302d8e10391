import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { DataDirBusyError } from './db/data-dir-lock.ts';
import { DatabaseConnectError } from './db/unavailable.ts';
import { createLogger } from './logger.ts';
import { seedDemoOrganization } from './demo/seed.ts';
import { createRateLimiter } from './http/limits/rate-limit.ts';
import { createServer } from './http/server.ts';
import { api } from './schema.ts';
import { UsageCounter } from './modules/usage/usage-counter.ts';
import { startWebhookWorker } from './jobs/webhooks/worker.ts';
import { metricSourcesOf } from './observability/sources.ts';
import { startTracing, stopTracing } from './observability/tracing.ts';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // Only with OTEL_EXPORTER_OTLP_ENDPOINT: otherwise the OpenTelemetry SDK is never loaded.
  if (config.tracing) await startTracing();
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
  let stopping = false;
  const inFlight = new Set<ServerResponse>();
  // While draining, every response closes its connection, so keep-alive clients move on.
  const http = createHttpServer((req, res) => {
    if (stopping) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.on('close', () => inFlight.delete(res));
    void yoga(req, res);
  });
  // Webhook deliveries and expiry notices (docs/webhooks.md): graphile-worker on PostgreSQL, a poller on PGlite.
  // The worker starts while the server begins to listen: its start (graphile-worker's schema
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
  await new Promise<void>((resolve) => http.listen(config.port, config.host, resolve));
  const webhooks = await webhooksStarting;
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host}:${port}${yoga.graphqlEndpoint}`;

  console.log(
    `Crewgraph is serving GraphiQL at ${url} (${db.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})`,
  );
  if (seeded) {
    console.log(`Demo organisation "${seeded.organizationName}" created. Demo admin token (shown only this once):`);
    console.log(`  ${seeded.adminToken}`);
    console.log(`In GraphiQL, open Headers and paste: { "Authorization": "Bearer ${seeded.adminToken}" }`);
  }

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
  if (error instanceof ConfigError || error instanceof DataDirBusyError || error instanceof DatabaseConnectError) {
    console.error(`crewgraph: ${error.message}`);
  } else {
    console.error('crewgraph: failed to start:', error);
  }
  process.exit(1);
});
