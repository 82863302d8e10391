import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { NamedStatement } from './named-statement.ts';

/**
 * A cache of the rows authentication reads (credential-lookup.ts), kept correct across
 * server instances: a revocation, deactivation, cycle, deletion or any other change to a
 * credential refuses the very next request on every instance.
 *
 * - A trigger on every table authentication reads NOTIFYs `crewgraph_credentials` (migration
 *   `credential_cache`); each instance LISTENs on its own connection and empties its cache
 *   when told.
 * - An instance answers from its cache only under a lease: a row in `CredentialCacheLease`
 *   renewed on that same connection every `renewEveryMs` and at once after a notification.
 *   PostgreSQL delivers the notifications committed before a statement starts ahead of that
 *   statement's answer, so a renewal begun after a change committed proves the instance has
 *   dropped what it held. Its own clock stops it using the cache `marginMs` before the lease
 *   ends.
 * - Every GraphQL mutation settles before it answers (`settle`): a statement on the
 *   listening connection brings in any notification its writes caused; if there was one, it
 *   asks every instance to renew and waits until every live lease was renewed after the
 *   asking, or has run out (`leaseMs`).
 * A lookup that started before a notification is not stored after it. Without the listening
 * connection (starting, lost) nothing is served from the cache and mutations wait for leases.
 */

/** The connection the cache listens on; statements on it are answered after earlier notifications. */
export interface ListenConnection {
  /** LISTENs on `channel`; `onNotify` for each notification, `onLost` when the connection breaks. */
  open(channel: string, onNotify: () => void, onLost: (error: unknown) => void): Promise<void>;
  query<T>(text: string, values?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export interface CredentialCacheOptions {
  /** A new listening connection (one at a time; another after a loss). */
  connect: () => ListenConnection;
  /** The statement itself, uncached (the pool). */
  lookup: <T>(statement: NamedStatement, values: unknown[]) => Promise<T[]>;
  /** Answer from the cache (CREDENTIAL_CACHE); when false, mutations still settle. */
  enabled: boolean;
  onError: (error: unknown) => void;
  leaseMs?: number;
  renewEveryMs?: number;
  marginMs?: number;
  maxEntries?: number;
}

export const CREDENTIALS_CHANNEL = 'crewgraph_credentials';

const SEQUENCE = `'"CredentialCacheLease_renewal_seq"'`;

const RENEW = `WITH expired AS (DELETE FROM "CredentialCacheLease" WHERE "validUntil" < now() - interval '1 day')
  INSERT INTO "CredentialCacheLease" (id, renewal, "validUntil") VALUES ($1::uuid, nextval(${SEQUENCE}), now() + $2::interval)
  ON CONFLICT (id) DO UPDATE SET renewal = EXCLUDED.renewal, "validUntil" = EXCLUDED."validUntil"`;

/**
 * Asks every instance to renew now, after the change committed: a notification, and a draw
 * from the renewals' sequence; a renewal that draws later began after the change committed,
 * so its answer came after the change's own notification. (An acknowledgement of that
 * notification may have drawn before this statement, hence the asking.)
 */
const ASK_TO_RENEW: NamedStatement = {
  name: 'crewgraph_credential_leases_ask',
  text: `SELECT pg_notify('crewgraph_credentials', ''), nextval(${SEQUENCE})::text AS "asked"`,
};

/** The live leases not renewed since the asking (`$1`). */
const UNSETTLED: NamedStatement = {
  name: 'crewgraph_credential_leases_unsettled',
  text: `SELECT count(*)::int AS unsettled FROM "CredentialCacheLease"
          WHERE "validUntil" > clock_timestamp() AND renewal <= $1::text::bigint`,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const entryKey = (statement: NamedStatement, values: unknown[]) => `${statement.name}\u0000${values.join('\u0000')}`;

export class CredentialCache {
  private readonly instanceId = randomUUID();
  private readonly entries = new Map<string, unknown[]>();
  private readonly leaseMs: number;
  private readonly renewEveryMs: number;
  private readonly marginMs: number;
  private readonly maxEntries: number;
  private connection: ListenConnection | null = null;
  private starting: Promise<void> | null = null;
  /** Until when (performance.now()) the cache may answer: the lease, less the margin. */
  private deadline = 0;
  /** Notifications (and losses) seen: a lookup begun under another generation is not stored. */
  private generation = 0;
  private renewing: Promise<void> | null = null;
  private renewAgain = false;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: CredentialCacheOptions) {
    this.leaseMs = options.leaseMs ?? 6000;
    this.renewEveryMs = options.renewEveryMs ?? 2000;
    this.marginMs = options.marginMs ?? 1000;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /** The statement's rows, from the cache when it may answer, else read (and stored if found). */
  async query<T>(statement: NamedStatement, values: unknown[]): Promise<T[]> {
    this.start();
    if (!this.usable()) return this.options.lookup<T>(statement, values);
    const key = entryKey(statement, values);
    const cached = this.entries.get(key);
    if (cached) return cached as T[];
    const generation = this.generation;
    const rows = await this.options.lookup<T>(statement, values);
    if (rows.length && generation === this.generation && this.usable()) this.remember(key, rows);
    return rows;
  }

  /** The statement's rows when the cache holds them and may answer; undefined otherwise. No I/O. */
  cached<T>(statement: NamedStatement, values: unknown[]): T[] | undefined {
    return this.usable() ? (this.entries.get(entryKey(statement, values)) as T[] | undefined) : undefined;
  }

  /** The generation a mutation starts under, for `settle`. */
  mark(): number {
    this.start();
    return this.generation;
  }

  /**
   * After a mutation's writes committed: returns once no instance can answer from a cache that
   * predates them (at once when they changed no credential).
   */
  async settle(mark: number): Promise<void> {
    const connection = this.connection;
    if (connection && this.generation === mark) {
      try {
        await connection.query('SELECT 1');
        if (this.generation === mark) return;
      } catch {
        // the loss is handled by onLost; wait for the leases instead
      }
    }
    await this.waitForLeases();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.invalidate();
    await this.starting?.catch(() => {});
    const connection = this.connection;
    this.connection = null;
    if (!connection) return;
    await connection.query('DELETE FROM "CredentialCacheLease" WHERE id = $1::uuid', [this.instanceId]).catch(() => {});
    await connection.close().catch(() => {});
  }

  private usable() {
    return this.options.enabled && this.connection !== null && performance.now() < this.deadline;
  }

  private remember(key: string, rows: unknown[]) {
    for (const row of rows) {
      for (const value of Object.values(row as object)) if (Array.isArray(value)) Object.freeze(value);
      Object.freeze(row);
    }
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, rows);
  }

  private invalidate() {
    this.generation++;
    this.entries.clear();
  }

  private start() {
    if (this.starting || this.connection || this.closed) return;
    this.starting = this.open()
      .catch((error) => {
        this.options.onError(error);
        return sleep(1000).then(() => {});
      })
      .finally(() => {
        this.starting = null;
      });
  }

  private async open() {
    const connection = this.options.connect();
    const onLost = (error: unknown) => {
      if (this.connection !== connection) return;
      this.connection = null;
      this.deadline = 0;
      this.invalidate();
      this.options.onError(error);
      void connection.close().catch(() => {});
    };
    try {
      await connection.open(CREDENTIALS_CHANNEL, () => this.onNotify(), onLost);
      if (this.closed) throw new Error('closed');
      this.connection = connection;
      await this.renew();
    } catch (error) {
      if (this.connection === connection) this.connection = null;
      await connection.close().catch(() => {});
      if (!this.closed) throw error;
      return;
    }
    if (!this.closed) this.timer ??= setInterval(() => void this.renew(), this.renewEveryMs).unref();
  }

  private onNotify() {
    this.invalidate();
    void this.renew();
  }

  /** Renews the lease; one renewal at a time, and one more if asked meanwhile (it may have started before a change). */
  private renew(): Promise<void> {
    if (this.renewing) {
      this.renewAgain = true;
      return this.renewing;
    }
    const connection = this.connection;
    if (!connection || !this.options.enabled) return Promise.resolve();
    this.renewing = (async () => {
      do {
        this.renewAgain = false;
        const sentAt = performance.now();
        try {
          await connection.query(RENEW, [this.instanceId, `${this.leaseMs} milliseconds`]);
          if (this.connection === connection) this.deadline = sentAt + this.leaseMs - this.marginMs;
        } catch (error) {
          this.options.onError(error);
        }
      } while (this.renewAgain && this.connection === connection);
    })().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  /** Until every live lease was renewed after now, or the longest of them has run out. */
  private async waitForLeases() {
    const giveUpAt = performance.now() + this.leaseMs + this.marginMs;
    let asked: string | null = null;
    for (let pause = 2; performance.now() < giveUpAt; pause = Math.min(pause * 2, 50)) {
      try {
        asked ??= (await this.options.lookup<{ asked: string }>(ASK_TO_RENEW, []))[0].asked;
        const [row] = await this.options.lookup<{ unsettled: number }>(UNSETTLED, [asked]);
        if (row.unsettled === 0) return;
      } catch (error) {
        this.options.onError(error);
      }
      await sleep(pause);
    }
  }
}
