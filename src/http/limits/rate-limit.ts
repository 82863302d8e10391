import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { DEFAULTS, type RateLimitOptions } from '../../config.ts';
import type { Principal } from '../../core/principal.ts';
import type { Logger } from '../../logger.ts';

export interface RateLimitDecision {
  allowed: boolean;
  /** The budget of the window (RateLimit-Limit). */
  limit: number;
  /** What is left of the window's budget (RateLimit-Remaining). */
  remaining: number;
  /** Seconds until the window resets (RateLimit-Reset). */
  resetSeconds: number;
  /** When refused: seconds until a request can succeed (Retry-After); shorter than the window after a burst. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Spends one request of a key's or an admin's budget (window and burst). */
  consume(principal: Principal): Promise<RateLimitDecision>;
  /**
   * Spends one request of a client address's budget: requests that fail authentication or
   * carry no credential, and token exchanges (docs/limits.md#before-authentication).
   */
  consumeAddress(address: string): Promise<RateLimitDecision>;
  /** The refusal this instance already met for the address, while it lasts: checked without any I/O. */
  refusedAddress(address: string): RateLimitDecision | null;
  /** Resolves once the shared store is connected (at once without Redis); false after the timeout. */
  ready(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/** At most this many addresses are remembered as refused; beyond, the memory starts over (each refusal is re-learned). */
const MAX_REMEMBERED_REFUSALS = 10_000;
/** At most this many distinct per-key budgets keep their limiters in memory. */
const MAX_CUSTOM_BUDGETS = 1_000;

/**
 * Per-principal and per-address request budgets (rate-limiter-flexible). With Redis the
 * budgets are shared by every instance. If Redis fails, each instance falls back to its own
 * in-memory budget (the insurance limiter): requests keep being served and limited, only less
 * precisely across instances — neither fail-open to unlimited nor fail-closed.
 *
 * A principal's budget is two counters spent together: the window (`keyRequests` per
 * `windowSeconds`, what the RateLimit headers describe) and the burst: at most `burst`
 * requests per the time the principal's steady rate takes to earn them, so a key cannot spend
 * its whole minute in one second.
 *
 * A key with a budget of its own or of its organisation (`principal.rateLimit`: requests per
 * perSeconds) is counted against that instead, with its own burst (`burstOf`: none when the
 * burst is not smaller than the budget). Its counters are named after the budget
 * (`key:<requests>/<perSeconds>`), so a changed budget starts a fresh window, and every
 * instance with the same budget shares them through Redis. Admins keep the server's budget.
 */
export function createRateLimiter(options: RateLimitOptions, logger: Logger): RateLimiter {
  const redis = options.redisUrl
    ? new Redis(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false })
    : null;
  redis?.on('error', (error) =>
    logger.warn({ err: error }, 'redis unavailable; rate limits fall back to this instance'),
  );

  const limiterFor = (points: number, duration: number, prefix: string): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ points, duration, keyPrefix: prefix });
    return redis
      ? new RateLimiterRedis({
          storeClient: redis,
          points,
          duration,
          keyPrefix: `crewgraph:rl:${prefix}`,
          insuranceLimiter: memory,
        })
      : memory;
  };
  const budgetFor = (points: number, windowSeconds: number, prefix: string) => {
    const window = limiterFor(points, windowSeconds, prefix);
    const burst = burstOf(points, windowSeconds, options.burst);
    return { points, window, burst: burst && limiterFor(burst.points, burst.seconds, `${prefix}-burst`) };
  };
  type Budget = ReturnType<typeof budgetFor>;
  const keys = budgetFor(options.keyRequests, options.windowSeconds, 'key');
  const admins = budgetFor(options.adminRequests, options.windowSeconds, 'admin');
  /** Budgets of keys with their own figures, by `<requests>/<perSeconds>` (few: what organisations set). */
  const customBudgets = new Map<string, Budget>();
  const keyBudget = (rateLimit: { requests: number; perSeconds: number } | null): Budget => {
    if (!rateLimit) return keys;
    const name = `${rateLimit.requests}/${rateLimit.perSeconds}`;
    let budget = customBudgets.get(name);
    if (!budget) {
      // Bounded memory: beyond this many distinct budgets, in-memory counts start over (Redis keeps its own).
      if (customBudgets.size >= MAX_CUSTOM_BUDGETS) customBudgets.clear();
      budget = budgetFor(rateLimit.requests, rateLimit.perSeconds, `key:${name}`);
      customBudgets.set(name, budget);
    }
    return budget;
  };
  const addressRequests = options.unauthenticatedRequests ?? DEFAULTS.rateLimits.unauthenticatedRequests;
  const addresses = limiterFor(addressRequests, options.windowSeconds, 'address');

  const refusals = new Map<string, { until: number; decision: RateLimitDecision }>();

  return {
    async consume(principal) {
      const [budget, id] =
        principal.kind === 'API_KEY'
          ? [keyBudget(principal.rateLimit), principal.apiKeyId]
          : [admins, principal.userId];
      // Both counters in parallel (one round trip to Redis); a refused request counts in both.
      const [window, burstSpent] = await Promise.all([
        spend(budget.window, id),
        budget.burst ? spend(budget.burst, id) : null,
      ]);
      const decided = decision(window, budget.points);
      if (!decided.allowed || !burstSpent || burstSpent.allowed) return decided;
      return { ...decided, allowed: false, retryAfterSeconds: seconds(burstSpent.res.msBeforeNext) };
    },
    async consumeAddress(address) {
      const decided = decision(await spend(addresses, address), addressRequests);
      if (!decided.allowed) {
        if (refusals.size >= MAX_REMEMBERED_REFUSALS) refusals.clear();
        refusals.set(address, { until: Date.now() + decided.retryAfterSeconds * 1000, decision: decided });
      }
      return decided;
    },
    refusedAddress(address) {
      const refusal = refusals.get(address);
      if (!refusal) return null;
      const left = refusal.until - Date.now();
      if (left <= 0) {
        refusals.delete(address);
        return null;
      }
      return { ...refusal.decision, resetSeconds: seconds(left), retryAfterSeconds: seconds(left) };
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

/** Consumes one point; a refusal is an answer, anything else is thrown. */
async function spend(limiter: RateLimiterAbstract, id: string): Promise<{ allowed: boolean; res: RateLimiterRes }> {
  try {
    return { allowed: true, res: await limiter.consume(id) };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return { allowed: false, res: rejection };
    throw rejection;
  }
}

/**
 * The burst counter of a budget: `burst` requests per the time the steady rate (points per
 * window) takes to earn them, in whole seconds as Redis expires keys; at least one second's
 * worth of the steady rate. None when the burst is not smaller than the window's budget.
 */
export function burstOf(
  points: number,
  windowSeconds: number,
  burst: number | undefined,
): { points: number; seconds: number } | null {
  if (burst === undefined) return null;
  const perSecond = points / windowSeconds;
  const size = Math.max(burst, Math.ceil(perSecond));
  if (size >= points) return null;
  return { points: size, seconds: Math.max(1, Math.round(size / perSecond)) };
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

function decision({ allowed, res }: { allowed: boolean; res: RateLimiterRes }, limit: number): RateLimitDecision {
  const reset = seconds(res.msBeforeNext);
  return { allowed, limit, remaining: Math.max(0, res.remainingPoints), resetSeconds: reset, retryAfterSeconds: reset };
}

/** The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers), as the contract names them. */
export function rateLimitHeaders(d: RateLimitDecision): Record<string, string> {
  return {
    'RateLimit-Limit': String(d.limit),
    'RateLimit-Remaining': String(d.remaining),
    'RateLimit-Reset': String(d.resetSeconds),
  };
}
