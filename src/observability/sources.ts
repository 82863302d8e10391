import type { Database } from '../db/database.ts';
import type { MetricSources } from './metrics.ts';

/** A scrape gives up on the queue query after this long (a stalled database must not hang Prometheus). */
const QUEUE_QUERY_TIMEOUT_MS = 1_500;

/**
 * The webhook queue as the database holds it (the same figures on every instance): pending
 * deliveries, those due now, and how long the oldest due one has waited. A claimed delivery's
 * next attempt is its lease, in the future, so deliveries under way are pending but not due.
 */
export function webhookQueueOf(db: Database): NonNullable<MetricSources['webhookQueue']> {
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const query = db.prisma.$queryRaw<{ pending: number; due: number; oldestDueSeconds: number }[]>`
      SELECT count(*)::int AS pending,
             count(*) FILTER (WHERE "nextAttemptAt" <= now())::int AS due,
             COALESCE(EXTRACT(EPOCH FROM now() - min("nextAttemptAt") FILTER (WHERE "nextAttemptAt" <= now())), 0)::float8
               AS "oldestDueSeconds"
        FROM "WebhookDelivery" WHERE status = 'PENDING'`;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('webhook queue query timed out')), QUEUE_QUERY_TIMEOUT_MS);
    });
    try {
      const [row] = await Promise.race([query, timeout]);
      return row;
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Everything a server's metrics read at scrape time, from the process's database and usage counter. */
export const metricSourcesOf = (db: Database, usage?: MetricSources['usage']): MetricSources => ({
  pool: db.poolStats,
  webhookQueue: webhookQueueOf(db),
  usage,
});
