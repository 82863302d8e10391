import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin } from '../src/modules/admins/admin.service.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { startPausableProxy, type PausableProxy } from './support/pausable-proxy.ts';
import { startServerProcess, type RunningServer } from './support/process.ts';

// A database that goes silent (not one that refuses): PostgreSQL behind a proxy that stops
// forwarding bytes. PGlite runs inside the process and cannot stall this way.
const CONNECT_TIMEOUT_MS = 3000;
const STATEMENT_TIMEOUT_MS = 4000;
/** Far beyond what the configured timeouts allow, so only a hang fails the test, not a busy machine. */
const ANSWER_BOUND_MS = 45_000;

describe.skipIf(!process.env.DATABASE_URL)('a database that stalls', { timeout: 240_000 }, () => {
  let db: TestDatabase;
  let proxy: PausableProxy;
  let server: RunningServer;
  let token: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    token = (await createAdmin(db.prisma, { organizationName: 'Stall', email: 'owner@stall.test' })).token;
    const target = new URL(db.url!);
    proxy = await startPausableProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const proxied = new URL(db.url!);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    server = await startServerProcess({
      DATABASE_URL: proxied.toString(),
      PORT: '0',
      SEED_DEMO: '0',
      LOG_LEVEL: 'silent',
      DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
      DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    });
  }, 120_000);
  afterAll(async () => {
    proxy?.resume();
    await server?.stop();
    await proxy?.close();
    await db?.drop();
  });

  const ready = () => fetch(server.url.replace('/graphql', '/ready'), { signal: AbortSignal.timeout(ANSWER_BOUND_MS) });
  const graphql = (query: string) =>
    fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
      signal: AbortSignal.timeout(ANSWER_BOUND_MS),
    });
  const PROJECTS = '{ projects(first: 5) { totalCount } }';
  const CREATE = 'mutation { createProject(input: { name: "Stalled", code: "STALL" }) { project { id } } }';

  async function expectUnavailable(res: Response) {
    const body = await res.json();
    expect({ status: res.status, code: body.errors?.[0]?.extensions?.code }).toEqual({
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
    });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(body.errors[0].message).toMatch(/^The database did not answer in time/);
    expect(body.data ?? null).toBeNull();
  }

  /** Polls until the server answers 200 (a busy machine may miss a healthy deadline now and then). */
  async function until200(request: () => Promise<Response>) {
    const bound = Date.now() + 90_000;
    let res = await request();
    while (res.status !== 200 && Date.now() < bound) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      res = await request();
    }
    expect(res.status).toBe(200);
    return res;
  }

  it('answers 503 while the database is silent, changes nothing, and recovers by itself', async () => {
    await until200(ready);
    await until200(() => graphql(PROJECTS));

    proxy.pause();
    expect((await ready()).status).toBe(503);
    await expectUnavailable(await graphql(PROJECTS));
    await expectUnavailable(await graphql(CREATE));
    // Past the credential cache's lease: authentication itself needs the database now.
    await expectUnavailable(await graphql(PROJECTS));
    expect((await ready()).status).toBe(503);

    proxy.resume();
    await until200(ready);
    const res = await until200(() => graphql(PROJECTS));
    expect((await res.json()).data.projects.totalCount).toBe(0);
    expect(await db.prisma.project.count({ where: { code: 'STALL' } })).toBe(0);
  });
});
