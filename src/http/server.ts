import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { GraphQLSchema } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { principalOf, useAuthentication } from './authentication.ts';
import { compileTrustProxy } from '../auth/ip-allow-list.ts';
import { LastUsedTracker } from '../auth/last-used.ts';
import type { Database } from '../db/database.ts';
import type { RequestScope } from '../core/request-scope.ts';
import { maskError, useErrorContract } from './error-contract.ts';
import { useGraphqlJsExecute } from './execute.ts';
import { graphiqlOptions, renderGraphiQL } from './graphiql.ts';
import { REPLAYED_HEADER, useIdempotencyKeys } from './idempotency.ts';
import { useReadinessEndpoint } from './health.ts';
import { useApiRoot } from './root.ts';
import { useMediaTypeErrors } from './media-types.ts';
import { requestIdOf, useRequestInfo } from './request-info.ts';
import { DEFAULTS, type QueryLimits } from '../config.ts';
import { useLimits } from './limits/limits-plugin.ts';
import { createRateLimiter, type RateLimiter } from './limits/rate-limit.ts';
import { createLogger, type Logger } from '../logger.ts';
import { useTokenEndpoint } from './oauth-token-endpoint.ts';
import { useRevokeEndpoint } from './oauth-revoke-endpoint.ts';
import { UsageCounter } from '../modules/usage/usage-counter.ts';
import { useUsageCounting } from './usage-counting.ts';
import { usePersistedDocuments } from './persisted-documents.ts';
import type { Metrics } from '../observability/metrics.ts';
import { useMetrics } from '../observability/metrics-plugin.ts';
import { activeTracing } from '../observability/tracing.ts';
import { useTracing } from '../observability/tracing-plugin.ts';

/** What the edge serves: the schema, and the GraphQL context a request's scope becomes (src/schema.ts). */
export interface GraphQLApi {
  schema: GraphQLSchema;
  context(scope: RequestScope): RequestScope;
}

/** The context of every operation; the API adds its own parts (loaders) to the scope. */
type ServerContext = RequestScope & {
  webhooksAllowHttp: boolean;
  keyRateLimit: { requests: number; perSeconds: number };
};

export interface ServerDeps {
  db: Database;
  api: GraphQLApi;
  logger?: Logger;
  /** Clock for expiry checks; tests inject one. */
  now?: () => Date;
  /** Serve GraphiQL (default true). */
  graphiql?: boolean;
  /** Allow introspection and field suggestions (default true). */
  introspection?: boolean;
  /** Query and body limits; defaults in limits/limits-plugin.ts. */
  limits?: Partial<QueryLimits>;
  /** Per-principal request budgets; default: in memory, 600 a minute per key. */
  rateLimiter?: RateLimiter;
  /** The key budget the rate limiter was configured with (shown by `ApiKey.rateLimit`); default: DEFAULTS.rateLimits. */
  keyRateLimit?: { requests: number; perSeconds: number };
  /** Lifetime of access tokens from POST /oauth/token (default 30 minutes). */
  accessTokenTtlSeconds?: number;
  /** Proxies trusted to report the client address in X-Forwarded-For (TRUST_PROXY syntax); none by default. */
  trustProxy?: string;
  /** Per-key usage counts, flushed to the database periodically; default: every 15 s (src/modules/usage). */
  usage?: UsageCounter;
  /** WEBHOOKS_ALLOW_HTTP: webhook endpoints may use http:// and loopback/private addresses (default false). */
  webhooksAllowHttp?: boolean;
  /** CORS_ORIGINS: the browser origins allowed to call the API; '*' (the default) allows any. */
  corsOrigins?: '*' | readonly string[];
  /** Serve GET /metrics from this registry (METRICS), behind the bearer token when one is given (METRICS_TOKEN); default: none. */
  metrics?: { metrics: Metrics; token?: string };
}

export type CrewgraphServer = YogaServerInstance<Record<string, never>, ServerContext>;

/**
 * CORS for bearer-token clients: credentials are never cookies, so no answer carries
 * Access-Control-Allow-Credentials, and a browser may send only the headers the API reads.
 * An origin outside the list gets no CORS headers at all (the browser then refuses).
 */
function corsFor(origins: '*' | readonly string[]) {
  const options = {
    credentials: false,
    methods: ['GET', 'POST'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id', 'Idempotency-Key', 'X-Api-Key'],
    exposedHeaders: [
      'RateLimit-Limit',
      'RateLimit-Remaining',
      'RateLimit-Reset',
      'Retry-After',
      'X-Request-Id',
      REPLAYED_HEADER,
    ],
    maxAge: 600,
  };
  if (origins === '*') return { ...options, origin: '*' };
  return (request: Request) => {
    const origin = request.headers.get('origin');
    // One origin as a string: Yoga then answers exactly it (a one-element list would too, without Vary).
    return origin && origins.includes(origin) ? { ...options, origin } : false;
  };
}

/** With a list of origins, every answer depends on the Origin header, refused ones included (for caches). */
const useVaryOnOrigin = (origins: '*' | readonly string[]): Plugin => ({
  onResponse({ response }) {
    if (origins !== '*' && !/\borigin\b/i.test(response.headers.get('vary') ?? ''))
      response.headers.append('Vary', 'Origin');
  },
});

/** Builds the Yoga instance without listening, so tests can call `yoga.fetch`. */
export function createServer({
  db,
  api: { schema, context: apiContext },
  logger = createLogger(),
  now = () => new Date(),
  graphiql = true,
  introspection = true,
  limits,
  rateLimiter = createRateLimiter(DEFAULTS.rateLimits, logger),
  keyRateLimit = { requests: DEFAULTS.rateLimits.keyRequests, perSeconds: DEFAULTS.rateLimits.windowSeconds },
  accessTokenTtlSeconds = DEFAULTS.accessTokenTtlSeconds,
  trustProxy: trustProxySetting,
  usage = new UsageCounter(db.prisma, { logger }),
  webhooksAllowHttp = false,
  corsOrigins = '*',
  metrics,
}: ServerDeps): CrewgraphServer {
  // Spans only once startTracing has run (OTEL_EXPORTER_OTLP_ENDPOINT; src/observability/tracing.ts).
  const tracing = activeTracing();
  const lastUsed = new LastUsedTracker(
    db.prisma,
    (error) => logger.warn({ err: error }, 'could not record last use'),
    DEFAULTS.lastUsedIntervalMs,
  );
  const trustProxy = compileTrustProxy(trustProxySetting);
  return createYoga<Record<string, never>, ServerContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // No file uploads in this API; multipart bodies are refused rather than half-parsed.
    multipart: false,
    // Trusted documents: `{"documentId": "sha256:…"}` names a registered document (persisted-documents.ts).
    extraParamNames: ['documentId'],
    // useBodyLimit (src/http/limits/body-limit.ts) already enforces MAX_BODY_BYTES before parsing;
    // Yoga's own 25 MB guard would pipe every body through an extra TransformStream (bench/README.md).
    maxRequestBodySize: false,
    logging: false,
    cors: corsFor(corsOrigins),
    maskedErrors: { maskError },
    // GraphiQL's assets are served by this process, not a CDN, so it works offline too (src/http/graphiql.ts).
    renderGraphiQL,
    graphiql: graphiql && graphiqlOptions,
    context: ({ request }) => ({
      ...apiContext({ prisma: db.prisma, principal: principalOf(request), requestId: requestIdOf(request), now }),
      webhooksAllowHttp,
      keyRateLimit,
    }),
    plugins: [
      ...(tracing ? [useTracing(tracing)] : []),
      useRequestInfo(logger),
      ...(metrics ? [useMetrics(metrics.metrics, { token: metrics.token })] : []),
      useVaryOnOrigin(corsOrigins),
      useUsageCounting(usage, now),
      useReadinessEndpoint(db),
      useApiRoot({ graphqlEndpoint: '/graphql', graphiql }),
      useMediaTypeErrors('/graphql'),
      useAuthentication(db, now, lastUsed, trustProxy, rateLimiter),
      ...useLimits(schema, { ...DEFAULTS.queryLimits, ...limits }, rateLimiter, introspection),
      // After authentication (it needs the organisation) and the rate limit (a lookup is paid for).
      usePersistedDocuments(db.prisma),
      // After the limits, so its body is bounded by the same size limit.
      useTokenEndpoint({ db, now, ttlSeconds: accessTokenTtlSeconds, rateLimiter, lastUsed, logger, trustProxy }),
      useRevokeEndpoint({ db, now, rateLimiter, lastUsed, logger, trustProxy }),
      useErrorContract(logger),
      useGraphqlJsExecute(db.credentials),
      // After the executor it wraps: an answer is stored once the mutation has settled.
      useIdempotencyKeys(db.prisma),
      ...(introspection ? [] : [useDisableIntrospection()]),
    ],
  });
}
