import path from 'node:path';
import { compileTrustProxy } from './auth/ip-allow-list.ts';
import { tracingConfigured } from './observability/tracing.ts';

/** What one request may cost (http/limits/). */
export interface QueryLimits {
  maxCost: number;
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  maxBodyBytes: number;
}

export interface RateLimitOptions {
  /** Requests per window for each API key. */
  keyRequests: number;
  /** Requests per window for each admin. */
  adminRequests: number;
  windowSeconds: number;
  /** Requests a key or an admin may send at once, refilled at its steady rate (budget per window); unset: no burst counter. */
  burst?: number;
  /** Requests per window from one client address without a valid credential, and token exchanges. */
  unauthenticatedRequests?: number;
  /** Shares the budget across server instances; without it each instance counts alone. */
  redisUrl?: string;
}

/**
 * Every default, in one place (docs/operations.md lists the settings). The environment
 * overrides them through loadConfig; components given no value use these.
 */
export const DEFAULTS = {
  host: '127.0.0.1',
  port: 4000,
  dataDir: '.data',
  logLevel: 'info',
  dbPoolSize: 10,
  /** Waiting for a pooled PostgreSQL connection (or a new one) before SERVICE_UNAVAILABLE. */
  dbConnectTimeoutMs: 5_000,
  /** PostgreSQL's statement_timeout; the client gives up on a silent server a little later. */
  dbStatementTimeoutMs: 30_000,
  queryLimits: {
    maxCost: 50_000,
    maxDepth: 15,
    maxAliases: 30,
    maxTokens: 5_000,
    maxDirectives: 20,
    maxBodyBytes: 1_000_000,
  } satisfies QueryLimits,
  rateLimits: {
    keyRequests: 600,
    adminRequests: 1200,
    windowSeconds: 60,
    burst: 60,
    unauthenticatedRequests: 60,
  } satisfies RateLimitOptions,
  /** Lifetime of access tokens from POST /oauth/token. */
  accessTokenTtlSeconds: 30 * 60,
  /** Seconds between writes of the in-memory usage counts (at most MAX_USAGE_FLUSH_SECONDS). */
  usageFlushSeconds: 15,
  /** Distinct GraphQL operation names /metrics labels; later ones count as "other". */
  metricsMaxOperations: 100,
  /** At most one last-used write per credential in this interval. */
  lastUsedIntervalMs: 60_000,
  webhooks: {
    timeoutMs: 10_000,
    retryBaseMs: 30_000,
    retryMaxMs: 60 * 60_000,
    retryWindowMs: 24 * 60 * 60_000,
    pollIntervalMs: 1_000,
    sweepIntervalMs: 10_000,
    expiryCheckIntervalMs: 60_000,
    concurrency: 8,
  },
} as const;

/** Usage counts wait at most this long in memory (what a crash can lose). */
export const MAX_USAGE_FLUSH_SECONDS = 60;

export interface Config {
  /** PostgreSQL connection string; undefined means the embedded PGlite database. */
  databaseUrl?: string;
  /** Directory of the embedded database. */
  dataDir: string;
  host: string;
  port: number;
  logLevel: string;
  /** Size of the PostgreSQL connection pool. */
  dbPoolSize: number;
  /** DB_CONNECT_TIMEOUT_MS: how long a statement waits for a PostgreSQL connection. */
  dbConnectTimeoutMs: number;
  /** DB_STATEMENT_TIMEOUT_MS: how long one statement (or one transaction) may take on PostgreSQL. */
  dbStatementTimeoutMs: number;
  /** Prisma's statements as named prepared statements on PostgreSQL (off behind poolers that cannot keep them). */
  dbPreparedStatements: boolean;
  /** Answer authentication from a cache of verified credentials that every change empties on every instance first. */
  credentialCache: boolean;
  /** Serve GraphiQL to browsers at /graphql. */
  graphiql: boolean;
  /** Answer introspection queries (and suggest field names in errors). Turn off in production if the schema is private. */
  introspection: boolean;
  /** Per-principal budgets; with REDIS_URL shared by every instance, otherwise per instance. */
  rateLimits: RateLimitOptions;
  queryLimits: QueryLimits;
  /** Fill an empty database with the demo organisation (default: on for the embedded database only). */
  seedDemo: boolean;
  /** Lifetime of access tokens issued by POST /oauth/token. */
  accessTokenTtlSeconds: number;
  /** Seconds between writes of the in-memory usage counts (what a crash can lose). */
  usageFlushSeconds: number;
  /** Proxies whose X-Forwarded-For is believed (proxy-addr syntax); undefined: none. */
  trustProxy?: string;
  /** CORS_ORIGINS: browser origins allowed to call the API; '*' (the default) allows any. */
  corsOrigins: '*' | string[];
  /** GET /metrics (docs/operations.md#metrics-and-traces). */
  metrics: {
    /** METRICS: serve it (default: on, except with NODE_ENV=production). */
    enabled: boolean;
    /** METRICS_TOKEN: scrapes must send `Authorization: Bearer <token>`; required in production. */
    token?: string;
    /** METRICS_MAX_OPERATIONS: distinct operation names labelled. */
    maxOperations: number;
  };
  /** OTEL_EXPORTER_OTLP_ENDPOINT (or …_TRACES_ENDPOINT) is set: traces are exported over OTLP. */
  tracing: boolean;
  /** Webhook delivery (docs/webhooks.md). */
  webhooks: {
    /** WEBHOOKS_ALLOW_HTTP: http:// URLs and loopback/private receivers (development, tests). */
    allowHttp: boolean;
    /** WEBHOOKS_WORKER: deliver webhooks and send expiry notices from this process. */
    worker: boolean;
    timeoutMs: number;
    retryBaseMs: number;
    expiryCheckIntervalMs: number;
  };
}

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return Number(raw);
}

/** A setting given in seconds, returned in milliseconds. */
const seconds = (env: NodeJS.ProcessEnv, name: string, fallbackMs: number, max: number) =>
  integer(env, name, fallbackMs / 1000, 1, max) * 1000;

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be 1 or 0, got "${raw}"`);
}

/** `*`, or comma-separated origins such as `https://app.example.com`. */
function corsOrigins(raw: string | undefined): '*' | string[] {
  const entries = (raw ?? '*')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (!entries.length || entries.includes('*')) return '*';
  return entries.map((entry) => {
    let origin = 'null';
    try {
      origin = new URL(entry).origin;
    } catch {
      // reported below
    }
    if (origin === 'null' || origin !== entry.replace(/\/$/, '').toLowerCase()) {
      throw new ConfigError(
        `CORS_ORIGINS must be * or comma-separated origins like https://app.example.com; got "${entry}"`,
      );
    }
    return origin;
  });
}

/** Scrapers compare it as a bearer token: long enough not to be guessed, and printable. */
const METRICS_TOKEN = /^[\x21-\x7e]{16,256}$/;

function metrics(env: NodeJS.ProcessEnv): Config['metrics'] {
  const production = env.NODE_ENV === 'production';
  const enabled = flag(env, 'METRICS', !production);
  const token = env.METRICS_TOKEN || undefined;
  if (token !== undefined && !METRICS_TOKEN.test(token)) {
    throw new ConfigError('METRICS_TOKEN must be 16 to 256 printable characters without spaces');
  }
  if (enabled && production && !token) {
    throw new ConfigError(
      'METRICS=1 with NODE_ENV=production needs METRICS_TOKEN (the bearer token Prometheus sends); or set METRICS=0',
    );
  }
  return {
    enabled,
    token,
    maxOperations: integer(env, 'METRICS_MAX_OPERATIONS', DEFAULTS.metricsMaxOperations, 1, 10_000),
  };
}

function trustProxy(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    compileTrustProxy(raw);
  } catch {
    throw new ConfigError(
      `TRUST_PROXY must be comma-separated addresses, CIDR ranges, loopback, linklocal or uniquelocal; got "${raw}"`,
    );
  }
  return raw;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl !== undefined) {
    let protocol = '';
    try {
      protocol = new URL(databaseUrl).protocol;
    } catch {
      throw new ConfigError('DATABASE_URL is not a valid URL; expected postgres://user@host:5432/db');
    }
    if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
      throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql://, got "${protocol}//"`);
    }
  }
  if (env.REDIS_URL && !/^rediss?:\/\//.test(env.REDIS_URL)) {
    throw new ConfigError('REDIS_URL must start with redis:// or rediss://');
  }
  const logLevel = env.LOG_LEVEL || DEFAULTS.logLevel;
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "${logLevel}"`);
  }
  return {
    databaseUrl,
    dataDir: path.resolve(env.DATA_DIR || DEFAULTS.dataDir),
    host: env.HOST || DEFAULTS.host,
    port: integer(env, 'PORT', DEFAULTS.port, 0, 65535),
    logLevel,
    dbPoolSize: integer(env, 'DB_POOL_SIZE', DEFAULTS.dbPoolSize, 1, 200),
    dbConnectTimeoutMs: integer(env, 'DB_CONNECT_TIMEOUT_MS', DEFAULTS.dbConnectTimeoutMs, 100, 600_000),
    dbStatementTimeoutMs: integer(env, 'DB_STATEMENT_TIMEOUT_MS', DEFAULTS.dbStatementTimeoutMs, 100, 3_600_000),
    dbPreparedStatements: flag(env, 'DB_PREPARED_STATEMENTS', true),
    credentialCache: flag(env, 'CREDENTIAL_CACHE', true),
    seedDemo: flag(env, 'SEED_DEMO', databaseUrl === undefined),
    trustProxy: trustProxy(env.TRUST_PROXY),
    corsOrigins: corsOrigins(env.CORS_ORIGINS),
    metrics: metrics(env),
    tracing: tracingConfigured(env),
    webhooks: {
      allowHttp: flag(env, 'WEBHOOKS_ALLOW_HTTP', false),
      worker: flag(env, 'WEBHOOKS_WORKER', true),
      timeoutMs: seconds(env, 'WEBHOOKS_TIMEOUT_SECONDS', DEFAULTS.webhooks.timeoutMs, 60),
      retryBaseMs: seconds(env, 'WEBHOOKS_RETRY_BASE_SECONDS', DEFAULTS.webhooks.retryBaseMs, 3600),
      expiryCheckIntervalMs: seconds(
        env,
        'WEBHOOKS_EXPIRY_CHECK_SECONDS',
        DEFAULTS.webhooks.expiryCheckIntervalMs,
        3600,
      ),
    },
    accessTokenTtlSeconds: integer(env, 'ACCESS_TOKEN_TTL_SECONDS', DEFAULTS.accessTokenTtlSeconds, 60, 86_400),
    usageFlushSeconds: integer(env, 'USAGE_FLUSH_SECONDS', DEFAULTS.usageFlushSeconds, 1, MAX_USAGE_FLUSH_SECONDS),
    rateLimits: {
      keyRequests: integer(env, 'RATE_LIMIT_KEY_REQUESTS', DEFAULTS.rateLimits.keyRequests, 1, 1_000_000),
      adminRequests: integer(env, 'RATE_LIMIT_ADMIN_REQUESTS', DEFAULTS.rateLimits.adminRequests, 1, 1_000_000),
      windowSeconds: integer(env, 'RATE_LIMIT_WINDOW_SECONDS', DEFAULTS.rateLimits.windowSeconds, 1, 86_400),
      burst: integer(env, 'RATE_LIMIT_BURST', DEFAULTS.rateLimits.burst, 1, 1_000_000),
      unauthenticatedRequests: integer(
        env,
        'RATE_LIMIT_UNAUTHENTICATED_REQUESTS',
        DEFAULTS.rateLimits.unauthenticatedRequests,
        1,
        1_000_000,
      ),
      redisUrl: env.REDIS_URL || undefined,
    },
    queryLimits: {
      maxCost: integer(env, 'MAX_QUERY_COST', DEFAULTS.queryLimits.maxCost, 1, 100_000_000),
      maxDepth: integer(env, 'MAX_QUERY_DEPTH', DEFAULTS.queryLimits.maxDepth, 1, 100),
      maxAliases: integer(env, 'MAX_QUERY_ALIASES', DEFAULTS.queryLimits.maxAliases, 1, 1000),
      maxTokens: integer(env, 'MAX_QUERY_TOKENS', DEFAULTS.queryLimits.maxTokens, 10, 1_000_000),
      maxDirectives: integer(env, 'MAX_QUERY_DIRECTIVES', DEFAULTS.queryLimits.maxDirectives, 1, 1000),
      maxBodyBytes: integer(env, 'MAX_BODY_BYTES', DEFAULTS.queryLimits.maxBodyBytes, 1024, 100_000_000),
    },
    graphiql: flag(env, 'GRAPHIQL', true),
    introspection: flag(env, 'INTROSPECTION', true),
  };
}
