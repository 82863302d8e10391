import http from 'node:http';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ContractorsPageDocument } from '../client/generated/graphql.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startServerProcess, type RunningServer } from '../support/process.ts';
import { organizationWith, type OrganizationScenario } from '../support/scenarios.ts';
import { gql, skipReason, sleep, tcpConnect, type Reply } from './support.ts';

const IN_FLIGHT = 50;
const POOL = 10;

/**
 * Requests are made "slow" deterministically: the test holds an ACCESS EXCLUSIVE lock on
 * "Contractor", so every contractors query waits inside the server (POOL of them in
 * PostgreSQL, the rest for a pool connection) until the test lets go — after SIGTERM.
 */
describe.skipIf(skipReason)(`graceful shutdown under load (${skipReason ?? 'PostgreSQL'})`, () => {
  let db: TestDatabase;
  let server: RunningServer;
  let org: OrganizationScenario;
  let locker: pg.Client | undefined;

  const startServer = async () =>
    (server = await startServerProcess({
      DATABASE_URL: db.url,
      PORT: '0',
      SEED_DEMO: '0',
      LOG_LEVEL: 'info',
      DB_POOL_SIZE: String(POOL),
      // IN_FLIGHT requests at once are the point here, not a burst to refuse.
      RATE_LIMIT_BURST: '1000000',
    }));
  const lockContractors = async () => {
    locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE "Contractor" IN ACCESS EXCLUSIVE MODE');
    return locker;
  };
  const lockWaiters = async () => {
    const res = await db.prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`,
      new URL(db.url!).pathname.slice(1),
    );
    return res[0].n;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    org = await organizationWith(db.prisma, 'Drain', {
      projects: 1,
      contractorsPerProject: 5,
      workersPerContractor: 1,
    });
  });
  afterEach(async () => {
    await locker?.end().catch(() => {});
    locker = undefined;
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it(`SIGTERM with ${IN_FLIGHT} requests in flight: all finish with 200, new connections are refused, exit 0`, async () => {
    await startServer();
    const port = Number(new URL(server.url).port);
    const locker = await lockContractors();

    const replies: (Reply | undefined)[] = Array(IN_FLIGHT).fill(undefined);
    const inFlight = Array.from({ length: IN_FLIGHT }, (_, i) =>
      gql(server.url, org.adminToken, ContractorsPageDocument, { first: 10 }, { requestId: `drain-${i}` }).then(
        (r) => (replies[i] = r),
      ),
    );

    // wait until the server's whole pool is blocked on our lock, then a moment for the rest to queue
    let waiting = 0;
    for (let i = 0; i < 100 && waiting < POOL; i++) {
      await sleep(100);
      waiting = await lockWaiters();
    }
    expect(waiting).toBe(POOL);
    await sleep(500);
    expect(replies.filter(Boolean)).toHaveLength(0); // all 50 still in flight

    const signalAt = performance.now();
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    server.child.kill('SIGTERM');
    await sleep(300);
    const refused = [await tcpConnect(port), await tcpConnect(port)];
    expect(replies.filter(Boolean)).toHaveLength(0); // the server is waiting for them, not dropping them
    expect(server.child.exitCode).toBeNull();

    await sleep(700);
    await locker.query('COMMIT'); // let the queries go, about 1 s after the signal
    const released = performance.now();
    const done = await Promise.all(inFlight);
    const answeredAt = performance.now();
    const code = await exited;
    const exitedAt = performance.now();

    const statuses = done.map((r) =>
      r.status === 200 && !r.body.errors ? 200 : `${r.status} ${r.code ?? r.failureMessage}`,
    );
    console.log(
      JSON.stringify({
        inFlight: IN_FLIGHT,
        statuses: statuses.reduce<Record<string, number>>((a, s) => ({ ...a, [s]: (a[s] ?? 0) + 1 }), {}),
        newConnectionsAfterSignal: refused,
        lockReleasedMsAfterSignal: Math.round(released - signalAt),
        lastAnswerMsAfterRelease: Math.round(answeredAt - released),
        exitMsAfterSignal: Math.round(exitedAt - signalAt),
        exitCode: code,
      }),
    );
    expect(refused).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);
    expect(statuses).toEqual(Array(IN_FLIGHT).fill(200));
    expect(done.every((r) => r.body.data.contractors.edges.length === 5)).toBe(true);
    expect(code).toBe(0);
    expect(server.stdout()).toMatch(/shutting down/);
    expect(server.stdout()).toMatch(/"msg":"stopped"/);
  });

  /**
   * A keep-alive connection that is busy when SIGTERM arrives must not keep the process
   * alive: responses after the signal carry `Connection: close`, later requests need a
   * new connection (refused), and the process exits 0 soon after the last request.
   * (Found by this suite: before the fix Node kept serving new requests on such a
   * connection until the 10 s force-exit, which exited 1.)
   */
  it('after SIGTERM, a busy keep-alive connection is closed instead of being served new requests', async () => {
    await startServer();
    const port = Number(new URL(server.url).port);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const body = JSON.stringify({ query: '{ contractors(first: 1) { edges { node { id } } } }' });
    const post = () =>
      new Promise<{ status: number | string; connection?: string; at: number }>((resolve) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            path: '/graphql',
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${org.adminToken}` },
          },
          (res) => {
            res.resume();
            res.on('end', () =>
              resolve({ status: res.statusCode!, connection: res.headers.connection, at: performance.now() }),
            );
          },
        );
        req.on('error', (e: NodeJS.ErrnoException) => resolve({ status: e.code ?? e.message, at: performance.now() }));
        req.setTimeout(15_000, () => req.destroy(new Error('timeout')));
        req.end(body);
      });
    try {
      expect((await post()).status).toBe(200); // the connection is open and kept alive
      const locker = await lockContractors();
      const first = post(); // busy on that connection when the signal comes
      for (let i = 0; i < 50 && (await lockWaiters()) < 1; i++) await sleep(100);
      const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
      const signalAt = performance.now();
      server.child.kill('SIGTERM');
      await sleep(300);
      await locker.query('COMMIT');
      const inFlight = await first;
      // a client that keeps using its connection, as a load balancer's pool does
      const after: Awaited<ReturnType<typeof post>>[] = [];
      let code: number | null | undefined;
      void exited.then((c) => (code = c));
      while (code === undefined && performance.now() - signalAt < 4_000) {
        after.push(await post());
        await sleep(200);
      }
      agent.destroy(); // let go of the connection: now the drain can finish
      code = code === undefined ? await exited : code;
      const served = after.filter((r) => r.status === 200);
      console.log(
        JSON.stringify({
          inFlight: { status: inFlight.status, connection: inFlight.connection },
          requestsAfterSignalServed: served.length,
          lastServedMsAfterSignal: served.length ? Math.round(served[served.length - 1].at - signalAt) : null,
          firstRefusal: after.find((r) => r.status !== 200)?.status,
          exitCode: code,
          exitMsAfterSignal: Math.round(performance.now() - signalAt),
        }),
      );
      expect(inFlight.status).toBe(200);
      expect(served).toHaveLength(0);
      expect(code).toBe(0);
    } finally {
      agent.destroy();
    }
  });
});
