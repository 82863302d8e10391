import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceUnavailable } from '../../src/core/errors.ts';
import { openDatabase } from '../../src/db/database.ts';
import { ContractorsPageDocument } from '../client/generated/graphql.ts';
import { startServerProcess, type RunningServer } from '../support/process.ts';
import { globalId, organizationWith, type OrganizationScenario } from '../support/scenarios.ts';
import {
  decodeGlobalId,
  gql,
  skipReason,
  sleep,
  sql,
  startPrivateCluster,
  Tally,
  type PrivateCluster,
  type Reply,
} from './support.ts';

/**
 * PostgreSQL restarted under a server with steady load. The cluster is a private
 * throwaway one (initdb in a temp dir, own port): the shared server is never touched.
 */
const CLIENTS = 20;
const TIMEOUT_MS = 15_000;
const RECOVERY_LIMIT_MS = 10_000;
/** Restarts under load (`pg_ctl restart -m fast`), each followed by a recovery check. */
const RESTARTS = Number(process.env.STRESS_PG_RESTARTS ?? 3);

const CREATE_GOAL = `mutation CreateGoal($input: CreateGoalInput!) {
  createGoal(input: $input) { goal { id title } userErrors { field code message } } }`;

interface Sent {
  kind: 'read' | 'write';
  requestId: string;
  title?: string;
  reply: Reply;
}

describe.skipIf(skipReason)(`PostgreSQL restarted mid-load (${skipReason ?? 'private cluster'})`, () => {
  let cluster: PrivateCluster | undefined;
  let server: RunningServer | undefined;
  let org: OrganizationScenario;
  const sent: Sent[] = [];
  const tally = new Tally();
  let seq = 0;
  let loadUntil = Infinity;
  let load: Promise<unknown> | undefined;
  let stderr = '';
  let exit: { code: number | null; signal: NodeJS.Signals | null; at: number } | undefined;

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    const db = await openDatabase({ url: cluster.url, poolSize: 2 });
    try {
      await db.migrate();
      org = await organizationWith(db.prisma, 'Restart', {
        projects: 1,
        contractorsPerProject: 5,
        workersPerContractor: 1,
      });
    } finally {
      await db.close();
    }
    server = await startServerProcess({
      DATABASE_URL: cluster.url,
      PORT: '0',
      SEED_DEMO: '0',
      LOG_LEVEL: 'warn',
      // This test is about faults, not budgets: the load must never hit the rate limit.
      RATE_LIMIT_KEY_REQUESTS: '1000000',
      RATE_LIMIT_ADMIN_REQUESTS: '1000000',
    });
    server.child.stderr!.on('data', (d) => (stderr += d));
    server.child.on('exit', (code, signal) => (exit = { code, signal, at: performance.now() }));
  });
  afterAll(async () => {
    loadUntil = 0;
    await load;
    await server?.stop();
    await cluster?.destroy();
  });

  const ok = (r: Reply) => r.status === 200 && !r.body?.errors;
  const probe = (path: string) =>
    fetch(new URL(path, server!.url), { signal: AbortSignal.timeout(TIMEOUT_MS) }).then(
      (r) => r.status,
      () => 0,
    );

  async function read() {
    const requestId = `r-${++seq}`;
    const reply = await gql(
      server!.url,
      org.adminToken,
      ContractorsPageDocument,
      { first: 5 },
      { requestId, timeoutMs: TIMEOUT_MS },
    );
    tally.add(reply);
    sent.push({ kind: 'read', requestId, reply });
    return reply;
  }
  async function write() {
    const requestId = `w-${++seq}`;
    const title = `restart goal ${seq}`;
    const input = {
      projectId: globalId('Project', org.projectIds[0]),
      ownerId: globalId('Person', org.personIds[0]),
      title,
    };
    const reply = await gql(server!.url, org.adminToken, CREATE_GOAL, { input }, { requestId, timeoutMs: TIMEOUT_MS });
    tally.add(reply);
    sent.push({ kind: 'write', requestId, title, reply });
    return reply;
  }
  /** ms from `since` until a read and a write both sent after it succeed (polled). */
  async function recoveredAfter(since: number) {
    const deadline = since + RECOVERY_LIMIT_MS * 2;
    let readAt = 0;
    let writeAt = 0;
    while ((!readAt || !writeAt) && performance.now() < deadline && !exit) {
      const [r, w] = await Promise.all([read(), write()]);
      if (!readAt && ok(r)) readAt = r.recvAt;
      if (!writeAt && ok(w) && w.body.data.createGoal.goal) writeAt = w.recvAt;
      if (!readAt || !writeAt) await sleep(50);
    }
    return readAt && writeAt ? Math.max(readAt, writeAt) - since : Infinity;
  }

  /**
   * KNOWN SERVER BUG: this test fails in most runs until it is fixed. A restart can crash
   * the server (exit 1, "Unhandled 'error' event" from a pg Client, 57P01 "terminating
   * connection due to administrator command"): pg-pool hands a just-released client to a
   * waiting pool.connect() (@prisma/adapter-pg's startTransaction) and drops its idle error
   * listener; the adapter adds its own only after an `await`, and when the same TCP read
   * also holds the FATAL message, pg emits 'error' with no listener. Seen in about one of
   * three restarts under load, hence several restarts here.
   */
  it('in-flight requests fail only with coded errors, /ready reports the outage, the server recovers alone, nothing committed is lost', async () => {
    const pid = server!.child.pid;
    const alive = (when: string) => {
      if (exit)
        throw new Error(
          `the server process died ${when} (exit ${JSON.stringify(exit)}); it must survive a PostgreSQL restart. stderr:\n${stderr.slice(0, 1500)}`,
        );
    };
    load = Promise.all(
      Array.from({ length: CLIENTS }, async (_, i) => {
        while (performance.now() < loadUntil) await (i % 2 ? write() : read());
      }),
    );
    // warm up: steady load with successes flowing (a cold server on a busy machine is slow at first)
    const warmUntil = performance.now() + 20_000;
    await sleep(2_000);
    while (sent.filter((x) => ok(x.reply)).length < 20 && performance.now() < warmUntil) await sleep(100);

    // 1. pg_ctl restart -m fast under load, several times
    const restartAt = performance.now();
    const restarts: { pgRestartMs: number; recoveredMs: number }[] = [];
    let restartedAt = 0;
    let restartRecoveryMs = 0;
    for (let i = 1; i <= RESTARTS; i++) {
      const t = performance.now();
      await cluster!.restart();
      restartedAt = performance.now();
      restartRecoveryMs = await recoveredAfter(restartedAt);
      await sleep(200);
      alive(`after PostgreSQL restart ${i} of ${RESTARTS}`);
      restarts.push({ pgRestartMs: Math.round(restartedAt - t), recoveredMs: Math.round(restartRecoveryMs) });
      expect(restartRecoveryMs).toBeLessThan(RECOVERY_LIMIT_MS);
      await sleep(1_000);
    }

    // 2. a longer outage: stop, watch /ready and the load, start again
    await cluster!.stop();
    const downAt = performance.now();
    const readyWhileDown: number[] = [];
    const healthWhileDown: number[] = [];
    while (performance.now() - downAt < 2_000 || readyWhileDown.length < 6) {
      readyWhileDown.push(await probe('/ready'));
      healthWhileDown.push(await probe('/health'));
      await sleep(100);
    }
    const duringOutage = sent.filter((s) => s.reply.sentAt >= downAt);
    alive('while PostgreSQL was stopped');
    await cluster!.start();
    const upAt = performance.now();
    let readyAgainMs = Infinity;
    while (performance.now() - upAt < RECOVERY_LIMIT_MS * 2) {
      if ((await probe('/ready')) === 200) {
        readyAgainMs = performance.now() - upAt;
        break;
      }
      await sleep(50);
    }
    const outageRecoveryMs = await recoveredAfter(upAt);
    await sleep(1_000);
    alive('after PostgreSQL started again');
    loadUntil = 0;
    await load;

    // ---- every reply: success, or SERVICE_UNAVAILABLE (the database is away) or a logged
    // INTERNAL_SERVER_ERROR, coded, in our words, with our request id ----
    const ourMessage: Record<string, string> = {
      SERVICE_UNAVAILABLE: serviceUnavailable().message,
      INTERNAL_SERVER_ERROR: 'Unexpected error.',
    };
    const bad: string[] = [];
    const failed = sent.filter((s) => !ok(s.reply));
    for (const s of failed) {
      const errors = s.reply.body?.errors ?? [];
      const coded =
        // 503 or 500 when nothing ran; 200 with partial data when a nested field failed
        ([500, 503].includes(s.reply.status) || (s.reply.status === 200 && s.reply.body.data)) &&
        errors.length > 0 &&
        errors.every(
          (e: any) => ourMessage[e.extensions?.code] === e.message && e.extensions?.requestId === s.requestId,
        );
      if (!coded)
        bad.push(
          `${s.requestId}: ${s.reply.status} ${s.reply.failureMessage ?? ''} ${JSON.stringify(s.reply.body)?.slice(0, 300)}`,
        );
    }
    const log = server!.stdout();
    const unlogged = failed.filter((s) => s.reply.status === 500 && !log.includes(`"requestId":"${s.requestId}"`));

    // ---- writes: every reported goal is there exactly once; no title twice ----
    const rows = (await sql(cluster!.url, `SELECT id::text, title FROM "Goal" WHERE title LIKE 'restart goal %'`))
      .rows as {
      id: string;
      title: string;
    }[];
    const byId = new Map(rows.map((r) => [r.id, r.title]));
    const writes = sent.filter((s) => s.kind === 'write');
    const reported = writes.filter((s) => ok(s.reply) && s.reply.body.data.createGoal.goal);
    const lost = reported.filter((s) => byId.get(decodeGlobalId(s.reply.body.data.createGoal.goal.id)) !== s.title);
    const failedTitles = new Set(writes.filter((s) => !ok(s.reply)).map((s) => s.title));
    const committedThoughFailed = rows.filter((r) => failedTitles.has(r.title)).length;
    const extra = rows.filter((r) => !writes.some((s) => s.title === r.title)).length;

    const phase = (s: Sent) =>
      s.reply.sentAt < restartAt
        ? '1 before restart'
        : s.reply.sentAt < restartedAt + restartRecoveryMs
          ? `2 ${RESTARTS} restarts until recovered`
          : s.reply.sentAt < downAt
            ? '3 between'
            : s.reply.sentAt < upAt + outageRecoveryMs
              ? '4 stop/start until recovered'
              : '5 after';
    const phases: Record<string, Record<string, number>> = {};
    for (const s of sent) {
      const p = (phases[phase(s)] ??= {});
      const k = ok(s.reply) ? '200' : `${s.reply.status} ${s.reply.code ?? s.reply.failure}`;
      p[k] = (p[k] ?? 0) + 1;
    }
    console.log(
      JSON.stringify(
        {
          requests: tally.total,
          phases,
          statuses: tally.counts,
          restarts,
          outage: {
            requestsDuring: duringOutage.length,
            readyWhileDown: [...new Set(readyWhileDown)],
            healthWhileDown: [...new Set(healthWhileDown)],
            readyAgainMsAfterStart: Math.round(readyAgainMs),
            recoveredMsAfterStart: Math.round(outageRecoveryMs),
          },
          writes: {
            attempted: writes.length,
            reported: reported.length,
            failed: failedTitles.size,
            committedThoughFailed,
            rows: rows.length,
          },
        },
        null,
        1,
      ),
    );
    if (exit) console.log(`SERVER EXITED ${JSON.stringify(exit)}; stderr:\n${stderr.slice(-5000)}`);
    if (bad.length) console.log(log.slice(-3000));
    if (stderr) console.log(`server stderr:\n${stderr.slice(-3000)}`);

    expect(server!.child.exitCode).toBeNull(); // never crashed, never restarted
    expect(server!.child.pid).toBe(pid);
    expect(bad.slice(0, 20)).toEqual([]);
    expect(failed.length).toBeGreaterThan(0); // the restart did hit requests
    expect(unlogged.map((s) => s.requestId)).toEqual([]);
    expect(readyWhileDown.length).toBeGreaterThan(5);
    expect(readyWhileDown.every((s) => s === 503)).toBe(true);
    expect(healthWhileDown.every((s) => s === 200)).toBe(true);
    expect(duringOutage.length).toBeGreaterThan(0);
    const answeredWhileDown = duringOutage.filter((s) => s.reply.recvAt < upAt).map((s) => s.reply.status);
    expect(answeredWhileDown.filter((status) => status !== 503)).toEqual([]);
    expect(readyAgainMs).toBeLessThan(RECOVERY_LIMIT_MS);
    expect(outageRecoveryMs).toBeLessThan(RECOVERY_LIMIT_MS);
    expect(lost.map((s) => s.title)).toEqual([]);
    expect(new Set(rows.map((r) => r.title)).size).toBe(rows.length);
    expect(extra).toBe(0);
  });
});
