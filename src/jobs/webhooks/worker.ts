import { randomUUID } from 'node:crypto';
import { Logger as GraphileLogger, run, type Runner } from 'graphile-worker';
import pg from 'pg';
import { DEFAULTS } from '../../config.ts';
import type { Database, PrismaClient } from '../../db/database.ts';
import type { Logger } from '../../logger.ts';
import type { WebhookOutcome } from '../../observability/metrics.ts';
import { inSpan, type SpanHandle } from '../../observability/tracing.ts';
import { DELIVERY_TASK, enqueueDeliveries } from '../../modules/webhooks/webhook.events.ts';
import { emitExpiryNotices } from './expiry-notices.ts';
import { revokeIdleKeys } from '../idle-keys.ts';
import { postWebhook, SIGNATURE_HEADER, signatureHeader, type Resolver } from './http-delivery.ts';

export interface WebhookWorkerOptions {
  db: Database;
  logger: Logger;
  /** Clock for due times, the 24-hour window and expiry notices (tests inject one). */
  now?: () => Date;
  /** PostgreSQL URL: deliveries run as graphile-worker jobs (own small pool). Without it, the poller. */
  databaseUrl?: string;
  /** WEBHOOKS_ALLOW_HTTP: http and loopback/private receivers (development). */
  allowHttp?: boolean;
  /** Per attempt (WEBHOOKS_TIMEOUT_SECONDS). */
  timeoutMs?: number;
  /**
   * How long a claim holds a delivery without renewal (default: the timeout + 5 s); it is
   * renewed every third of it while the attempt runs. Tests shorten it.
   */
  leaseMs?: number;
  /** Host name resolution for deliveries (tests inject one); node:dns by default. */
  resolve?: Resolver;
  /** First retry after about this long, doubling up to retryMaxMs, with jitter. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Retries stop this long after the event (24 hours); the delivery is then FAILED. */
  retryWindowMs?: number;
  /** Poller period (PGlite). */
  pollIntervalMs?: number;
  /** PostgreSQL: period of the sweep that claims deliveries overdue by 5 s. */
  sweepIntervalMs?: number;
  expiryCheckIntervalMs?: number;
  concurrency?: number;
  /** Random source for the jitter, in [0, 1). */
  random?: () => number;
  /** Told each attempt's outcome (the server's metrics). */
  metrics?: { webhookAttempt(outcome: WebhookOutcome, durationMs: number): void };
}

export interface WebhookWorker {
  /** 'graphile-worker' on PostgreSQL, 'poller' on PGlite. */
  queue: 'graphile-worker' | 'poller';
  /** Claims and delivers every delivery due now (test hook; the timers do this on their own). */
  runDueOnce(): Promise<number>;
  /** Emits the expiry notices due now, and forgets rolled secrets past their grace (test hook). */
  checkExpiryOnce(): Promise<number>;
  stop(): Promise<void>;
}

interface Deps extends Required<Omit<WebhookWorkerOptions, 'databaseUrl' | 'db' | 'resolve' | 'metrics'>> {
  prisma: PrismaClient;
  resolve?: Resolver;
  metrics?: WebhookWorkerOptions['metrics'];
}

/** Delay before retry number `attempts` (1 = after the first failure): exponential, capped, jittered to 50–100%. */
export function retryDelayMs(attempts: number, baseMs: number, maxMs: number, random: () => number = Math.random) {
  const delay = Math.min(baseMs * 2 ** Math.max(0, attempts - 1), maxMs);
  return Math.round(delay * (0.5 + random() * 0.5));
}

/** How long a claimed delivery stays claimed beyond the attempt's timeout (recording it, a slow database). */
const LEASE_MARGIN_MS = 5_000;

/**
 * Claims due PENDING deliveries by pushing their nextAttemptAt one lease ahead and marking
 * them with a new claim token. Rows locked by another claimer are skipped (FOR UPDATE SKIP
 * LOCKED), and a claimed row is no longer due, so two workers (processes, instances, or a
 * graphile job and the sweep) never attempt the same delivery at once. The claimer renews
 * the lease while its attempt runs (`keepClaim`); if it dies, the lease runs out and the
 * delivery is due again, and only the newest claim's token may record an outcome.
 */
async function claim(deps: Deps, { id, cutoff, limit }: { id?: string; cutoff: Date; limit: number }) {
  const now = deps.now();
  const lease = new Date(now.getTime() + deps.leaseMs);
  const token = randomUUID();
  const rows = await deps.prisma.$queryRaw<{ id: string }[]>`
    UPDATE "WebhookDelivery" SET "nextAttemptAt" = ${lease}::timestamptz, "claimToken" = ${token}::uuid
     WHERE id IN (SELECT id FROM "WebhookDelivery"
                   WHERE status = 'PENDING' AND "nextAttemptAt" <= ${cutoff}::timestamptz
                     -- a claimed row is due only once its lease has run out (no early cutoff for it)
                     AND ("claimToken" IS NULL OR "nextAttemptAt" <= ${now}::timestamptz)
                     AND (${id ?? null}::uuid IS NULL OR id = ${id ?? null}::uuid)
                   ORDER BY "nextAttemptAt" LIMIT ${limit}
                   FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  return rows.map((r) => ({ id: r.id, token }));
}
type Claim = Awaited<ReturnType<typeof claim>>[number];

/** Renews the claim's lease every third of it until stopped (then waits for a renewal under way). */
function keepClaim(deps: Deps, { id, token }: Claim) {
  let renewing: Promise<unknown> = Promise.resolve();
  const renew = () =>
    deps.prisma.webhookDelivery
      .updateMany({
        where: { id, claimToken: token, status: 'PENDING' },
        data: { nextAttemptAt: new Date(deps.now().getTime() + deps.leaseMs) },
      })
      .catch((error: unknown) => deps.logger.warn({ err: error, deliveryId: id }, 'webhook lease renewal failed'));
  const timer = setInterval(() => {
    renewing = renewing.then(renew);
  }, deps.leaseMs / 3);
  return {
    async stop() {
      clearInterval(timer);
      await renewing;
    },
  };
}

/** The secrets a delivery is signed with now: the current one, and the previous one during a roll's grace. */
function signingSecrets(
  endpoint: { secret: string; previousSecret: string | null; previousSecretExpiresAt: Date | null },
  now: Date,
) {
  const previousValid = endpoint.previousSecret && endpoint.previousSecretExpiresAt! > now;
  return previousValid ? [endpoint.secret, endpoint.previousSecret!] : [endpoint.secret];
}

/**
 * One attempt of a claimed delivery, recorded with the delivery's new state in one transaction,
 * provided the claim still holds (its token): a late result of a lost claim changes no delivery.
 */
async function attempt(deps: Deps, claimed: Claim) {
  const keepAlive = keepClaim(deps, claimed);
  try {
    await inSpan('webhook.deliver', { 'crewgraph.webhook.delivery_id': claimed.id }, (span) =>
      attemptClaimed(deps, claimed, keepAlive, span),
    );
  } finally {
    await keepAlive.stop();
  }
}

async function attemptClaimed(
  deps: Deps,
  { id, token }: Claim,
  keepAlive: ReturnType<typeof keepClaim>,
  span: SpanHandle | null,
) {
  const delivery = await deps.prisma.webhookDelivery.findUnique({
    where: { id },
    include: { endpoint: true, event: true },
  });
  if (!delivery || delivery.status !== 'PENDING' || delivery.claimToken !== token) return;
  const deadline = delivery.event.createdAt.getTime() + deps.retryWindowMs;
  const giveUp = (lastError: string) =>
    deps.prisma.webhookDelivery.updateMany({
      where: { id, claimToken: token },
      data: { status: 'FAILED', nextAttemptAt: null, claimToken: null, lastError },
    });
  if (!delivery.endpoint.active) return giveUp('endpoint is inactive');
  if (deps.now().getTime() >= deadline) return giveUp('no successful attempt within the retry window');

  const body = JSON.stringify(delivery.event.payload);
  const result = await postWebhook({
    url: delivery.endpoint.url,
    body,
    allowHttp: deps.allowHttp,
    timeoutMs: deps.timeoutMs,
    resolve: deps.resolve,
    headers: {
      'Crewgraph-Event': delivery.event.type,
      'Crewgraph-Event-Id': delivery.event.id,
      'Crewgraph-Delivery': delivery.id,
      [SIGNATURE_HEADER]: signatureHeader(signingSecrets(delivery.endpoint, deps.now()), body, deps.now()),
    },
  });
  await keepAlive.stop();
  const at = deps.now();
  const attempts = delivery.attempts + 1;
  const next = new Date(at.getTime() + retryDelayMs(attempts, deps.retryBaseMs, deps.retryMaxMs, deps.random));
  const status = result.ok ? 'SUCCEEDED' : next.getTime() > deadline ? 'FAILED' : 'PENDING';
  const recorded = await deps.prisma.$transaction(async (tx) => {
    await tx.webhookDeliveryAttempt.create({
      data: {
        deliveryId: id,
        attemptedAt: at,
        responseCode: result.responseCode,
        error: result.error,
        durationMs: result.durationMs,
      },
    });
    const { count } = await tx.webhookDelivery.updateMany({
      where: { id, claimToken: token, status: 'PENDING' },
      data: {
        status,
        attempts: { increment: 1 },
        lastResponseCode: result.responseCode,
        lastError: result.error,
        nextAttemptAt: status === 'PENDING' ? next : null,
        claimToken: null,
        deliveredAt: result.ok ? at : undefined,
      },
    });
    if (count && status === 'PENDING') await enqueueDeliveries(tx, [id], next);
    // A lost claim's attempt still counts (it was sent), but its outcome is not the delivery's.
    if (!count) await tx.webhookDelivery.updateMany({ where: { id }, data: { attempts: { increment: 1 } } });
    return count > 0;
  });
  const outcome = !recorded
    ? 'claim_lost'
    : status === 'SUCCEEDED'
      ? 'succeeded'
      : status === 'FAILED'
        ? 'failed'
        : 'retrying';
  deps.metrics?.webhookAttempt(outcome, result.durationMs);
  span?.setAttributes({
    'crewgraph.webhook.event_type': delivery.event.type,
    'crewgraph.webhook.attempt': attempts,
    'crewgraph.webhook.outcome': outcome,
    ...(result.responseCode !== null && { 'http.response.status_code': result.responseCode }),
  });
  // The detail (host, addresses, the system's message) is for the operator only; tenants see result.error.
  const fields = {
    deliveryId: id,
    eventType: delivery.event.type,
    attempts,
    status: recorded ? status : 'claim lost',
    responseCode: result.responseCode,
    error: result.error,
    detail: result.detail,
  };
  if (!recorded)
    deps.logger.warn(fields, 'webhook delivery attempt ended after its claim was lost; outcome not recorded');
  else deps.logger[result.ok ? 'debug' : 'info'](fields, 'webhook delivery attempt');
}

/** Forgets previous secrets whose grace period is over (deliveries already ignore them). */
async function clearExpiredPreviousSecrets(deps: Deps) {
  await deps.prisma.webhookEndpoint.updateMany({
    where: { previousSecretExpiresAt: { lte: deps.now() } },
    data: { previousSecret: null, previousSecretExpiresAt: null },
  });
}

/** Claims due deliveries in batches and attempts them concurrently, until none is due. */
async function runDue(deps: Deps, cutoff: () => Date): Promise<number> {
  let total = 0;
  for (;;) {
    const claims = await claim(deps, { cutoff: cutoff(), limit: deps.concurrency });
    await Promise.all(claims.map((claimed) => attempt(deps, claimed)));
    total += claims.length;
    if (claims.length < deps.concurrency) return total;
  }
}

function graphileLogger(logger: Logger) {
  return new GraphileLogger(() => (level, message, meta) => {
    if (level === 'error') logger.error({ meta }, `graphile-worker: ${message}`);
    else if (level === 'warning') logger.warn({ meta }, `graphile-worker: ${message}`);
    else logger.debug({ meta }, `graphile-worker: ${message}`);
  });
}

/**
 * Starts webhook delivery and the expiry-notice scheduler for this process.
 *
 * - PostgreSQL (`databaseUrl`): graphile-worker runs the jobs that `enqueueDeliveries`
 *   adds in the transaction of each change (it installs its `graphile_worker` schema at
 *   start); a sweep every `sweepIntervalMs` (10 s) also claims deliveries overdue by 5 s
 *   (written before the schema existed, or whose job died with a killed process: its
 *   lease, no longer renewed, runs out `leaseMs` after its last renewal: it is retried within ~30 s).
 * - PGlite: a poller claims due deliveries every `pollIntervalMs` (one process by design).
 *
 * Either way the claim is the lease in `claim`, so instances never attempt one delivery twice at once.
 */
export async function startWebhookWorker(options: WebhookWorkerOptions): Promise<WebhookWorker> {
  const deps: Deps = {
    prisma: options.db.prisma,
    logger: options.logger,
    now: options.now ?? (() => new Date()),
    allowHttp: options.allowHttp ?? false,
    timeoutMs: options.timeoutMs ?? DEFAULTS.webhooks.timeoutMs,
    leaseMs: options.leaseMs ?? (options.timeoutMs ?? DEFAULTS.webhooks.timeoutMs) + LEASE_MARGIN_MS,
    resolve: options.resolve,
    retryBaseMs: options.retryBaseMs ?? DEFAULTS.webhooks.retryBaseMs,
    retryMaxMs: options.retryMaxMs ?? DEFAULTS.webhooks.retryMaxMs,
    retryWindowMs: options.retryWindowMs ?? DEFAULTS.webhooks.retryWindowMs,
    pollIntervalMs: options.pollIntervalMs ?? DEFAULTS.webhooks.pollIntervalMs,
    sweepIntervalMs: options.sweepIntervalMs ?? DEFAULTS.webhooks.sweepIntervalMs,
    expiryCheckIntervalMs: options.expiryCheckIntervalMs ?? DEFAULTS.webhooks.expiryCheckIntervalMs,
    concurrency: options.concurrency ?? DEFAULTS.webhooks.concurrency,
    random: options.random ?? Math.random,
    metrics: options.metrics,
  };
  const useGraphile = options.db.kind === 'postgres' && !!options.databaseUrl;
  let runner: Runner | null = null;
  let pool: pg.Pool | null = null;
  if (useGraphile) {
    pool = new pg.Pool({ connectionString: options.databaseUrl, max: deps.concurrency + 2 });
    // A connection dying with the server: the pool replaces it; the job is retried.
    const lost = (error: Error) => deps.logger.warn({ err: error }, 'webhook queue connection lost');
    pool.on('error', lost);
    pool.on('connect', (client) => client.on('error', lost));
    runner = await run({
      pgPool: pool,
      concurrency: deps.concurrency,
      noHandleSignals: true,
      pollInterval: 2_000,
      crontab: '',
      logger: graphileLogger(deps.logger),
      taskList: {
        [DELIVERY_TASK]: async (payload) => {
          const { deliveryId } = payload as { deliveryId: string };
          // run_at is judged by the database clock: tolerate this process's clock being a little behind.
          const cutoff = new Date(deps.now().getTime() + 2_000);
          const [claimed] = await claim(deps, { id: deliveryId, cutoff, limit: 1 });
          if (claimed) await attempt(deps, claimed);
        },
      },
    });
  }

  // Serialised per kind: a slow round is never overlapped by the next tick.
  const serial = <T>(body: () => Promise<T>) => {
    let current: Promise<T> | null = null;
    const start = () => (current ??= body().finally(() => (current = null)));
    return Object.assign(start, { idle: () => current ?? Promise.resolve() });
  };
  // Jobs normally run at nextAttemptAt; the sweep leaves them a head start and catches the rest.
  const sweepGraceMs = useGraphile ? 5_000 : 0;
  const sweep = serial(() => runDue(deps, () => new Date(deps.now().getTime() - sweepGraceMs)));
  const expiryRound = async () => {
    await clearExpiredPreviousSecrets(deps);
    // Idle keys (docs/organization-settings.md) on the same schedule; a failure there does not hold back the notices.
    await revokeIdleKeys(deps.prisma, deps.now()).catch(onError('idle key revocation'));
    return emitExpiryNotices(deps.prisma, deps.now());
  };
  const expiry = serial(expiryRound);
  const onError = (what: string) => (error: unknown) => deps.logger.error({ err: error }, `${what} failed`);
  const timers = [
    setInterval(
      () => void sweep().catch(onError('webhook sweep')),
      useGraphile ? deps.sweepIntervalMs : deps.pollIntervalMs,
    ),
    setInterval(() => void expiry().catch(onError('expiry notices')), deps.expiryCheckIntervalMs),
  ];
  for (const timer of timers) timer.unref();
  void sweep().catch(onError('webhook sweep'));
  void expiry().catch(onError('expiry notices'));

  return {
    queue: useGraphile ? 'graphile-worker' : 'poller',
    runDueOnce: () => runDue(deps, deps.now),
    checkExpiryOnce: expiryRound,
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await Promise.allSettled([sweep.idle(), expiry.idle()]);
      if (runner) await runner.stop();
      if (pool) await pool.end();
    },
  };
}
