import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimitOptions } from '../../config.ts';
import type { Principal } from '../../core/principal.ts';
import type { Logger } from '../../logger.ts';

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (also the Retry-After when refused). */
  resetSeconds: number;
}

export interface RateLimiter {
  consume(principal: Principal): Promise<RateLimitDecision>;
  /** Resolves once the shared store is connected (at once without Redis); false after the timeout. */
  ready(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Per-principal request budgets (rate-limiter-flexible). With Redis the budget is shared
 * by every instance. If Redis fails, each instance falls back to its own in-memory
 * budget (the insurance limiter): requests keep being served and limited, only less
 * precisely across instances — neither fail-open to unlimited nor fail-closed.
 */
export function createRateLimiter(options: RateLimitOptions, logger: Logger): RateLimiter {
  const redis = options.redisUrl
    ? new Redis(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false })
    : null;
  redis?.on('error', (error) =>
    logger.warn({ err: error }, 'redis unavailable; rate limits fall back to this instance'),
  );

  const limiterFor = (points: number, prefix: string): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ points, duration: options.windowSeconds, keyPrefix: prefix });
    return redis
      ? new RateLimiterRedis({
          storeClient: redis,
          points,
          duration: options.windowSeconds,
          keyPrefix: `crewgraph:rl:${prefix}`,
          insuranceLimiter: memory,
        })
      : memory;
  };
  const keys = limiterFor(options.keyRequests, 'key');
  const admins = limiterFor(options.adminRequests, 'admin');

  return {
    async consume(principal) {
      const [limiter, id, limit] =
        principal.kind === 'API_KEY'
          ? [keys, principal.apiKeyId, options.keyRequests]
          : [admins, principal.userId, options.adminRequests];
      try {
        const res = await limiter.consume(id);
        return decision(true, limit, res);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return decision(false, limit, rejection);
        throw rejection;
      }
    },
    ready(timeoutMs = 2_000) {
      if (!redis || redis.status === 'ready') return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        redis.once('ready', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
    async close() {
      redis?.disconnect();
    },
  };
}

function decision(allowed: boolean, limit: number, res: RateLimiterRes): RateLimitDecision {
  return {
    allowed,
    limit,
    remaining: Math.max(0, res.remainingPoints),
    resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  };
}

/** The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers), as the contract names them. */
export function rateLimitHeaders(d: RateLimitDecision): Record<string, string> {
  return {
    'RateLimit-Limit': String(d.limit),
    'RateLimit-Remaining': String(d.remaining),
    'RateLimit-Reset': String(d.resetSeconds),
  };
}
