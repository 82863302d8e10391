import path from 'node:path';
import { compileTrustProxy } from './auth/ip-allow-list.ts';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './http/limits/limits-plugin.ts';
import { DEFAULT_RATE_LIMITS, type RateLimitOptions } from './http/limits/rate-limit.ts';
import { DEFAULT_ACCESS_TOKEN_TTL_SECONDS } from './auth/access-tokens.ts';
import { DEFAULT_USAGE_FLUSH_SECONDS, MAX_USAGE_FLUSH_SECONDS } from './modules/usage/usage-counter.ts';

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
  /** Prisma's statements as named prepared statements on PostgreSQL (off behind poolers that cannot keep them). */
  dbPreparedStatements: boolean;
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
  /** Webhook delivery (README "Webhooks"). */
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

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be 1 or 0, got "${raw}"`);
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
  const logLevel = env.LOG_LEVEL || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "${logLevel}"`);
  }
  return {
    databaseUrl,
    dataDir: path.resolve(env.DATA_DIR || '.data'),
    host: env.HOST || '127.0.0.1',
    port: integer(env, 'PORT', 4000, 0, 65535),
    logLevel,
    dbPoolSize: integer(env, 'DB_POOL_SIZE', 10, 1, 200),
    dbPreparedStatements: flag(env, 'DB_PREPARED_STATEMENTS', true),
    seedDemo: flag(env, 'SEED_DEMO', databaseUrl === undefined),
    trustProxy: trustProxy(env.TRUST_PROXY),
    webhooks: {
      allowHttp: flag(env, 'WEBHOOKS_ALLOW_HTTP', false),
      worker: flag(env, 'WEBHOOKS_WORKER', true),
      timeoutMs: integer(env, 'WEBHOOKS_TIMEOUT_SECONDS', 10, 1, 60) * 1000,
      retryBaseMs: integer(env, 'WEBHOOKS_RETRY_BASE_SECONDS', 30, 1, 3600) * 1000,
      expiryCheckIntervalMs: integer(env, 'WEBHOOKS_EXPIRY_CHECK_SECONDS', 60, 1, 3600) * 1000,
    },
    accessTokenTtlSeconds: integer(env, 'ACCESS_TOKEN_TTL_SECONDS', DEFAULT_ACCESS_TOKEN_TTL_SECONDS, 60, 86_400),
    usageFlushSeconds: integer(env, 'USAGE_FLUSH_SECONDS', DEFAULT_USAGE_FLUSH_SECONDS, 1, MAX_USAGE_FLUSH_SECONDS),
    rateLimits: {
      keyRequests: integer(env, 'RATE_LIMIT_KEY_REQUESTS', DEFAULT_RATE_LIMITS.keyRequests, 1, 1_000_000),
      adminRequests: integer(env, 'RATE_LIMIT_ADMIN_REQUESTS', DEFAULT_RATE_LIMITS.adminRequests, 1, 1_000_000),
      windowSeconds: integer(env, 'RATE_LIMIT_WINDOW_SECONDS', DEFAULT_RATE_LIMITS.windowSeconds, 1, 86_400),
      redisUrl: env.REDIS_URL || undefined,
    },
    queryLimits: {
      maxCost: integer(env, 'MAX_QUERY_COST', DEFAULT_QUERY_LIMITS.maxCost, 1, 100_000_000),
      maxDepth: integer(env, 'MAX_QUERY_DEPTH', DEFAULT_QUERY_LIMITS.maxDepth, 1, 100),
      maxAliases: integer(env, 'MAX_QUERY_ALIASES', DEFAULT_QUERY_LIMITS.maxAliases, 1, 1000),
      maxTokens: integer(env, 'MAX_QUERY_TOKENS', DEFAULT_QUERY_LIMITS.maxTokens, 10, 1_000_000),
      maxDirectives: integer(env, 'MAX_QUERY_DIRECTIVES', DEFAULT_QUERY_LIMITS.maxDirectives, 1, 1000),
      maxBodyBytes: integer(env, 'MAX_BODY_BYTES', DEFAULT_QUERY_LIMITS.maxBodyBytes, 1024, 100_000_000),
    },
    graphiql: flag(env, 'GRAPHIQL', true),
    introspection: flag(env, 'INTROSPECTION', true),
  };
}
