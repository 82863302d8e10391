import { DEFAULTS, MAX_USAGE_FLUSH_SECONDS } from '../../config.ts';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Logger } from '../../logger.ts';

export interface UsageCounts {
  requests: number;
  errors: number;
  rateLimited: number;
}

interface Bucket extends UsageCounts {
  apiKeyId: string;
  organizationId: string;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
}

/** What one request adds to its key's bucket. */
export interface UsageOutcome {
  /** Answered with status >= 400 or with GraphQL errors (rate-limited requests excluded). */
  error: boolean;
  /** Refused by the rate limiter (429). */
  rateLimited: boolean;
}

/** Unflushed counts of this instance, for reads: apiKeyId → day (`YYYY-MM-DD`) → counts. */
export type PendingUsage = (apiKeyId: string, day: string) => UsageCounts | undefined;

export interface UsageCounterOptions {
  logger?: Logger;
  /** Seconds between flushes (default 15, at most 60): the most a crash can lose. */
  flushSeconds?: number;
  /** Start the periodic flush timer (default true; tests flush by hand). */
  autoFlush?: boolean;
}

/** `YYYY-MM-DD` of the UTC day of `at`. */
export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/**
 * Request counts per API key and UTC day, kept in memory and added to `ApiKeyUsage`
 * every `flushSeconds` with one statement, so no request writes to the database.
 *
 * A flush takes the counts out of memory before it writes and puts them back if the
 * write fails (the next flush retries). The statement adds to the stored row
 * (`ON CONFLICT … DO UPDATE SET requests = requests + EXCLUDED.requests`), so several
 * instances flushing the same key and day add up. What a crash (not a shutdown, which
 * flushes) can lose: the counts of this instance since its last flush, at most
 * `flushSeconds` of them.
 *
 * Reads (`read`) never overlap a flush, so a count is seen exactly once: either in
 * memory or in the database, never in both and never in neither.
 */
export class UsageCounter {
  readonly flushSeconds: number;
  private pending = new Map<string, Bucket>();
  private flushing: Promise<void> | null = null;
  private readers = 0;
  private readersIdle: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly logger?: Logger;
  /** When the oldest count in `pending` was recorded (performance.now()); null while none waits. */
  private pendingSince: number | null = null;

  constructor(
    private readonly prisma: PrismaClient,
    { logger, flushSeconds = DEFAULTS.usageFlushSeconds, autoFlush = true }: UsageCounterOptions = {},
  ) {
    if (!(flushSeconds > 0 && flushSeconds <= MAX_USAGE_FLUSH_SECONDS)) {
      throw new RangeError(`flushSeconds must be between 1 and ${MAX_USAGE_FLUSH_SECONDS}, got ${flushSeconds}`);
    }
    this.flushSeconds = flushSeconds;
    this.logger = logger;
    if (autoFlush) {
      this.timer = setInterval(() => void this.flush().catch(() => {}), flushSeconds * 1000);
      this.timer.unref(); // never keeps a process (or a test run) alive
    }
  }

  /** Counts one request of an API key (or of an access token issued for it) on the UTC day of `at`. */
  record(key: { apiKeyId: string; organizationId: string }, at: Date, outcome: UsageOutcome): void {
    const day = utcDay(at);
    this.add({
      apiKeyId: key.apiKeyId,
      organizationId: key.organizationId,
      day,
      requests: 1,
      errors: outcome.error ? 1 : 0,
      rateLimited: outcome.rateLimited ? 1 : 0,
    });
  }

  /** Buckets waiting for the next flush (for tests and diagnostics). */
  get pendingBuckets(): number {
    return this.pending.size;
  }

  /** How long the oldest count not yet in the database has waited (the flush lag; metrics); 0 when none waits. */
  get pendingAgeMs(): number {
    return this.pendingSince === null ? 0 : performance.now() - this.pendingSince;
  }

  /**
   * Adds this instance's counts to the database with one statement. Concurrent calls share
   * the running flush. Rejects if the write failed; the counts are then back in memory.
   */
  flush(): Promise<void> {
    if (!this.flushing) {
      this.flushing = this.runFlush().finally(() => {
        this.flushing = null;
      });
    }
    return this.flushing;
  }

  /**
   * Runs `fn` (a database read of stored usage) with this instance's unflushed counts,
   * while no flush runs: counts are either still in memory or already stored.
   */
  async read<T>(fn: (pending: PendingUsage) => Promise<T>): Promise<T> {
    while (this.flushing) await this.flushing.catch(() => {});
    this.readers++;
    try {
      return await fn((apiKeyId, day) => this.pending.get(`${apiKeyId}|${day}`));
    } finally {
      if (--this.readers === 0) for (const resolve of this.readersIdle.splice(0)) resolve();
    }
  }

  /** Stops the timer (no flush). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Stops the timer and flushes what is left (on shutdown). Rejects if the last write failed. */
  async close(): Promise<void> {
    this.stop();
    await this.flushing?.catch(() => {});
    if (this.pending.size) await this.flush();
  }

  private add(bucket: Bucket): void {
    this.pendingSince ??= performance.now();
    const id = `${bucket.apiKeyId}|${bucket.day}`;
    const existing = this.pending.get(id);
    if (!existing) {
      this.pending.set(id, { ...bucket });
      return;
    }
    existing.requests += bucket.requests;
    existing.errors += bucket.errors;
    existing.rateLimited += bucket.rateLimited;
  }

  private async runFlush(): Promise<void> {
    // Writer waits for the reads in progress; new reads wait for the writer.
    while (this.readers > 0) await new Promise<void>((resolve) => this.readersIdle.push(resolve));
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    const batchSince = this.pendingSince;
    this.pending = new Map();
    this.pendingSince = null;
    // One order for every instance, so concurrent flushes lock rows in the same order.
    batch.sort((a, b) => (a.apiKeyId === b.apiKeyId ? a.day.localeCompare(b.day) : a.apiKeyId < b.apiKeyId ? -1 : 1));
    try {
      // Keys deleted since the request are skipped, not a failure that would block every later flush.
      await this.prisma.$executeRaw`
        /* usage flush */ INSERT INTO "ApiKeyUsage" ("apiKeyId", "organizationId", "day", "requests", "errors", "rateLimited")
        SELECT v."apiKeyId", v."organizationId", v."day", v."requests", v."errors", v."rateLimited"
        FROM unnest(
          ${batch.map((b) => b.apiKeyId)}::uuid[],
          ${batch.map((b) => b.organizationId)}::uuid[],
          ${batch.map((b) => b.day)}::date[],
          ${batch.map((b) => b.requests)}::int[],
          ${batch.map((b) => b.errors)}::int[],
          ${batch.map((b) => b.rateLimited)}::int[]
        ) WITH ORDINALITY AS v("apiKeyId", "organizationId", "day", "requests", "errors", "rateLimited", "n")
        WHERE EXISTS (SELECT 1 FROM "ApiKey" k WHERE k."id" = v."apiKeyId")
        ORDER BY v."n"
        ON CONFLICT ("apiKeyId", "day") DO UPDATE SET
          "requests" = "ApiKeyUsage"."requests" + EXCLUDED."requests",
          "errors" = "ApiKeyUsage"."errors" + EXCLUDED."errors",
          "rateLimited" = "ApiKeyUsage"."rateLimited" + EXCLUDED."rateLimited"`;
    } catch (error) {
      for (const bucket of batch) this.add(bucket);
      // Put back, the batch's counts are the oldest again.
      this.pendingSince = Math.min(batchSince ?? Infinity, this.pendingSince ?? Infinity);
      this.logger?.warn(
        { err: error, buckets: batch.length },
        'could not store usage counts; kept in memory for the next flush',
      );
      throw error;
    }
  }
}
