// Quick per-request cost loop for Crewgraph alone (issue 7), for trying one change at a time:
//
//   npx tsx bench/profile.ts [Q0,Q1,…] [--seconds 10] [--rounds 1] [--cpu-prof dir] [--connections 32] [--sources]
//                            [--target stack]
//
// Uses the database of the last `npm run bench` (BENCH_DB, default crewgraph_bench; it is seeded
// first if missing), adds a fresh admin token and API key to it, starts Crewgraph's production bundle
// exactly as run.ts does (NODE_ENV=production, LOG_LEVEL=warn, pool BENCH_POOL_SIZE), and for each shape runs
// wrk for a warm-up and then `--rounds` measured runs, printing req/s and CPU milliseconds per
// request of the server process and of its PostgreSQL backends. With `--cpu-prof dir` the server
// runs under `node --cpu-prof` and writes a .cpuprofile into dir when it stops (open it in
// Chrome DevTools, or summarise it with `npx tsx bench/cpuprofile-top.ts <file>`).
// Extra environment variables are passed on to the server (e.g. DB_POOL_SIZE=20). `--target stack`
// runs bench/stack.ts instead: Yoga + Pothos + Prisma answering the same requests with none of
// Crewgraph's own per-request work (no authentication, scope or limits), the floor of the stack.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import {
  addBenchTokens,
  BENCH_ORGANIZATION_ID,
  createBenchDatabase,
  databaseUrl,
  resetGoals,
  SHAPE_ROWS,
  type BenchData,
} from './seed.ts';
import { cpuSeconds, runWrk } from './measure.ts';
import { requestsFor, sendOnce, SHAPES, type ShapeId, type TargetName } from './shapes.ts';
import { buildTargets, TARGET_ENTRY } from './targets.ts';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH_DIR);
const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const value = argv[i + 1];
  argv.splice(i, 2);
  return value;
};
const seconds = Number(option('--seconds', '10'));
const rounds = Number(option('--rounds', '1'));
const connections = Number(option('--connections', '32'));
const cpuProf = option('--cpu-prof', '');
const target = option('--target', 'crewgraph') as TargetName;
if (target !== 'crewgraph' && target !== 'stack') throw new Error(`--target is crewgraph or stack, not ${target}`);
// The sources through tsx instead of the bundle: profiles then name each package and file.
const fromSources = argv.includes('--sources');
if (fromSources) argv.splice(argv.indexOf('--sources'), 1);
const shapes = (argv[0] ?? 'Q0,Q1,Q2,Q2key,Q3,Q4').split(',') as ShapeId[];
for (const s of shapes) if (!SHAPES.some((x) => x.id === s)) throw new Error(`unknown shape ${s}`);

const serverUrl = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
const dbName = process.env.BENCH_DB || 'crewgraph_bench';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The bench database with fresh tokens (the seed's are not kept anywhere). */
async function benchData(): Promise<BenchData> {
  const url = databaseUrl(serverUrl, dbName);
  const server = new pg.Client({ connectionString: serverUrl });
  await server.connect();
  const { rowCount } = await server.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
  await server.end();
  if (!rowCount) {
    console.error(`[profile] seeding ${dbName} …`);
    return createBenchDatabase(serverUrl, dbName);
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const tokens = await addBenchTokens(c, 'Profile key');
  await c.end();
  return {
    url,
    organizationId: BENCH_ORGANIZATION_ID,
    ...tokens,
    ...SHAPE_ROWS,
    counts: {},
    seconds: { migrate: 0, seed: 0, analyze: 0 },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function backendPids(monitor: pg.Client, db: string): Promise<number[]> {
  const { rows } = await monitor.query(
    `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
    [db],
  );
  return rows.map((r) => r.pid);
}

const wrk = (url: string, body: string, headers: string, seconds: number) =>
  runWrk(url, { body, headers }, { threads: 1, connections, seconds });

async function main() {
  const data = await benchData();
  const port = await freePort();
  const nodeArgs = cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(cpuProf)}`] : [];
  if (!fromSources) await buildTargets();
  const sources = target === 'stack' ? 'bench/stack.ts' : 'src/main.ts';
  const entry = fromSources ? ['--import', 'tsx', sources] : TARGET_ENTRY[target];
  const child = spawn(process.execPath, [...nodeArgs, ...entry], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: data.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      DB_POOL_SIZE: process.env.DB_POOL_SIZE ?? process.env.BENCH_POOL_SIZE ?? '10',
      SEED_DEMO: '0',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      RATE_LIMIT_KEY_REQUESTS: '1000000',
      RATE_LIMIT_ADMIN_REQUESTS: '1000000',
      RATE_LIMIT_WINDOW_SECONDS: '1',
      MAX_QUERY_COST: '100000000',
      ORGANIZATION_ID: data.organizationId,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'crewgraph-profile-'));
  const monitor = new pg.Client({ connectionString: data.url });
  await monitor.connect();
  try {
    for (let i = 0; ; i++) {
      try {
        const r = await fetch(url.replace('/graphql', '/health'));
        if (r.ok) break;
      } catch {
        if (i > 600) throw new Error('server did not start');
        await sleep(50);
      }
    }
    const requests = await requestsFor(target, url, data);
    console.log(
      `load average ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    for (const shape of shapes) {
      const r = requests[shape]!;
      const first = await sendOnce(url, r);
      if (first.status !== 200 || first.json.errors)
        throw new Error(`${shape}: ${JSON.stringify(first.json).slice(0, 500)}`);
      const body = path.join(tmp, `${shape}.body`);
      const headers = path.join(tmp, `${shape}.headers`);
      writeFileSync(body, r.body);
      writeFileSync(
        headers,
        Object.entries(r.headers)
          .map(([k, v]) => `${k}: ${v}\n`)
          .join(''),
      );
      await wrk(url, body, headers, Math.max(1, Math.round(seconds / 3)));
      for (let round = 0; round < rounds; round++) {
        await sleep(300);
        const pids = await backendPids(monitor, dbName);
        const before = { server: cpuSeconds(child.pid!), db: pids.map((pid) => cpuSeconds(pid)) };
        const load = os.loadavg()[0];
        const run = await wrk(url, body, headers, seconds);
        await sleep(300);
        const served = run.requests + connections;
        const pidsAfter = await backendPids(monitor, dbName);
        const dbAfter = pidsAfter.map((pid) => cpuSeconds(pid));
        let dbCpu = 0;
        pidsAfter.forEach((pid, i) => {
          const j = pids.indexOf(pid);
          dbCpu += dbAfter[i] - (j >= 0 ? before.db[j] : 0);
        });
        const serverCpu = cpuSeconds(child.pid!) - before.server;
        console.log(
          `${shape.padEnd(6)} ${run.rps.toFixed(0).padStart(6)} req/s  p50 ${(run.p50_us / 1000).toFixed(1)} ms  ` +
            `p99 ${(run.p99_us / 1000).toFixed(1)} ms  CPU/req ${((serverCpu * 1000) / served).toFixed(3)} ms server + ` +
            `${((dbCpu * 1000) / served).toFixed(3)} ms PostgreSQL  errors ${run.non200 + run.gql_errors + run.socket_errors}  ` +
            `load ${load.toFixed(1)}`,
        );
      }
    }
  } finally {
    await monitor.end();
    rmSync(tmp, { recursive: true, force: true });
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    if (shapes.includes('Q5')) await resetGoals(data.url);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
