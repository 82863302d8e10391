import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The webhook queue as the database holds it. */
export interface WebhookQueueFigures {
  pending: number;
  due: number;
  oldestDueSeconds: number;
}

/** What a scrape reads from the rest of the process (each optional: a test or a process may lack one). */
export interface MetricSources {
  /** PostgreSQL pool of this process; null on the embedded database (one in-process connection). */
  pool?: () => { total: number; idle: number; waiting: number; max: number } | null;
  /** Webhook deliveries waiting in the database (shared by every instance). */
  webhookQueue?: () => Promise<WebhookQueueFigures>;
  /** The usage counter of this process: how old its oldest unflushed count is. */
  usage?: { readonly pendingAgeMs: number; readonly pendingBuckets: number };
}

export type WebhookOutcome = 'succeeded' | 'retrying' | 'failed' | 'claim_lost';

export interface MetricsOptions {
  /** Distinct operation names given their own label; later ones are counted as "other". */
  maxOperationNames?: number;
  /** Process metrics (CPU, memory, event loop lag, GC) under `crewgraph_process_…`/`crewgraph_nodejs_…`. */
  processMetrics?: boolean;
}

export const DEFAULT_MAX_OPERATION_NAMES = 100;

/** A GraphQL name (spec: /[_A-Za-z][_0-9A-Za-z]*), at most this long, is a label value; anything else is "unknown". */
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/** Request latency buckets, in seconds: from a cached credential's read to a slow report. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type PrincipalLabel = 'ADMIN' | 'API_KEY' | 'anonymous';

export interface RequestObservation {
  route: string;
  operation: string;
  status: number;
  principal: PrincipalLabel;
  seconds: number;
}

/**
 * The Prometheus registry of one server: request counts and latencies by route, operation,
 * status and principal kind; rate-limit refusals; webhook outcomes; and gauges read at
 * scrape time (pool, webhook queue, usage flush lag). Labels never carry an id, a token or
 * client text beyond a bounded set of operation names.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly maxOperationNames: number;
  private readonly operationNames = new Set<string>();
  private readonly requests: Counter<'route' | 'operation' | 'status' | 'principal'>;
  private readonly duration: Histogram<'route' | 'operation' | 'status' | 'principal'>;
  private readonly refusals: Counter<'principal'>;
  private readonly webhookAttempts: Counter<'outcome'>;
  private readonly webhookAttemptDuration: Histogram;

  constructor(sources: MetricSources = {}, options: MetricsOptions = {}) {
    this.maxOperationNames = options.maxOperationNames ?? DEFAULT_MAX_OPERATION_NAMES;
    const registers = [this.registry];
    const labelNames = ['route', 'operation', 'status', 'principal'] as const;
    this.requests = new Counter({
      name: 'crewgraph_http_requests_total',
      help: 'HTTP requests answered, by route, GraphQL operation name, status and principal kind',
      labelNames,
      registers,
    });
    this.duration = new Histogram({
      name: 'crewgraph_http_request_duration_seconds',
      help: 'Time from the request to its response, by route, GraphQL operation name, status and principal kind',
      labelNames,
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.refusals = new Counter({
      name: 'crewgraph_rate_limit_refusals_total',
      help: 'Requests refused with 429 RATE_LIMITED, by principal kind (anonymous: the client address budget)',
      labelNames: ['principal'],
      registers,
    });
    this.webhookAttempts = new Counter({
      name: 'crewgraph_webhook_delivery_attempts_total',
      help: 'Webhook delivery attempts by outcome: succeeded, retrying (failed, retried later), failed (gave up), claim_lost',
      labelNames: ['outcome'],
      registers,
    });
    this.webhookAttemptDuration = new Histogram({
      name: 'crewgraph_webhook_delivery_attempt_duration_seconds',
      help: 'Time a webhook receiver took to answer (or to fail) one attempt',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.gauges(sources);
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'crewgraph_' });
  }

  /** The label of an executed operation's name: itself while fewer than the cap are known, else "other". */
  operationLabel(name: string | undefined): string {
    if (name === undefined || name === '') return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'unknown';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= this.maxOperationNames) return 'other';
    this.operationNames.add(name);
    return name;
  }

  observeRequest({ route, operation, status, principal, seconds }: RequestObservation): void {
    const labels = { route, operation, status: String(status), principal };
    this.requests.inc(labels);
    this.duration.observe(labels, seconds);
    if (status === 429) this.refusals.inc({ principal });
  }

  webhookAttempt(outcome: WebhookOutcome, durationMs: number): void {
    this.webhookAttempts.inc({ outcome });
    this.webhookAttemptDuration.observe(durationMs / 1000);
  }

  /** The text a scrape receives, and its content type. */
  async scrape(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }

  private gauges({ pool, webhookQueue, usage }: MetricSources): void {
    const registers = [this.registry];
    if (pool) {
      new Gauge({
        name: 'crewgraph_db_pool_connections',
        help: 'PostgreSQL connections of this process by state (in_use, idle), and the pool size (max)',
        labelNames: ['state'],
        registers,
        collect() {
          const stats = pool();
          if (!stats) return;
          this.set({ state: 'in_use' }, stats.total - stats.idle);
          this.set({ state: 'idle' }, stats.idle);
          this.set({ state: 'max' }, stats.max);
        },
      });
      new Gauge({
        name: 'crewgraph_db_pool_waiting_requests',
        help: 'Statements waiting for a PostgreSQL connection of this process',
        registers,
        collect() {
          const stats = pool();
          if (stats) this.set(stats.waiting);
        },
      });
    }
    if (webhookQueue) {
      // One query per scrape feeds the three gauges (a scrape collects them together); a failed
      // query leaves them out of that scrape.
      let reading: Promise<WebhookQueueFigures | null> | null = null;
      const read = () =>
        (reading ??= webhookQueue()
          .catch(() => null)
          .finally(() => (reading = null)));
      const queueGauge = (name: string, help: string, pick: (q: WebhookQueueFigures) => number) =>
        new Gauge({
          name,
          help,
          registers,
          async collect() {
            const queue = await read();
            if (queue) this.set(pick(queue));
          },
        });
      queueGauge(
        'crewgraph_webhook_queue_pending',
        'Webhook deliveries not yet delivered or given up (all instances)',
        (q) => q.pending,
      );
      queueGauge(
        'crewgraph_webhook_queue_due',
        'Pending webhook deliveries whose next attempt is due now',
        (q) => q.due,
      );
      queueGauge(
        'crewgraph_webhook_queue_oldest_due_seconds',
        'How long the longest-waiting due webhook delivery has been due (0 when none is)',
        (q) => q.oldestDueSeconds,
      );
    }
    if (usage) {
      new Gauge({
        name: 'crewgraph_usage_flush_lag_seconds',
        help: "Age of this process's oldest usage count not yet written to the database (0 when none waits)",
        registers,
        collect() {
          this.set(usage.pendingAgeMs / 1000);
        },
      });
      new Gauge({
        name: 'crewgraph_usage_pending_buckets',
        help: 'Usage buckets (key and day) of this process waiting for the next flush',
        registers,
        collect() {
          this.set(usage.pendingBuckets);
        },
      });
    }
  }
}
