// Crewgraph benchmark (issue 7): `npm run bench` from the repository root.
//
// 1. Creates a fresh PostgreSQL database (BENCH_DB, default crewgraph_bench) on DATABASE_URL's
//    server, applies Crewgraph's migrations and seeds a deterministic dataset (seed.sql).
// 2. For each target in turn (the floor, PostGraphile 4, PostGraphile 5, the stack alone,
//    Crewgraph) — one at a time, so they do not share the CPU:
//    a. starts it behind a counting PostgreSQL proxy, checks every query shape answers without
//       errors, and counts SQL statements per request (up to 20 sequential requests, at least 3);
//    b. starts it directly BENCH_COLD_STARTS times, timing spawn → first answered query;
//    c. with the last of those, runs each shape with wrk: a warm-up, then BENCH_RUNS measured
//       runs; the medians are reported, with the server's RSS after the runs; then one more
//       run paced at 80 % of that peak, for the latency target.
// 3. Checks the targets returned the same data, and writes bench/results/latest.md
//    (and latest.json) with the machine, the table and the ratios.
//
// Settings (environment): DATABASE_URL (server to use; its database name is ignored),
// BENCH_DB, BENCH_TARGETS (floor,postgraphile,postgraphile5,stack,crewgraph), BENCH_SHAPES (Q0,…,Q7),
// BENCH_CONNECTIONS (32), BENCH_THREADS (1), BENCH_WARMUP (3 s), BENCH_DURATION (7 s),
// BENCH_RUNS (3), BENCH_COLD_STARTS (3), BENCH_POOL_SIZE (10), BENCH_DROP_DB (1: drop the
// database at the end; by default it stays for inspection until the next run drops it),
// BENCH_REUSE_DB (1: use the database of an earlier run as it is, with fresh tokens, instead of
// dropping and seeding it; for a run of a few targets while others use the database).
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { BENCH_ORGANIZATION_ID, createBenchDatabase, resetGoals, reuseBenchDatabase, type BenchData } from './seed.ts';
import {
  comparable,
  requestsFor,
  sendOnce,
  SHAPES,
  type BenchRequest,
  type ShapeId,
  type TargetName,
} from './shapes.ts';
import { cpuSeconds, runWrk, type WrkResult } from './measure.ts';
import { startCountingProxy } from './sqlcount.ts';
import { buildTargets, nodeFor, nodeVersionOf, PG5_DIR, TARGET_ENTRY } from './targets.ts';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH_DIR);
const RESULTS = path.join(BENCH_DIR, 'results');

const env = process.env;
const int = (name: string, fallback: number) => {
  const raw = env[name];
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return Number(raw);
};
const list = <T extends string>(name: string, all: readonly T[]): T[] => {
  const raw = env[name];
  if (!raw) return [...all];
  const picked = raw.split(',').map((s) => s.trim()) as T[];
  for (const p of picked) if (!all.includes(p)) throw new Error(`${name}: unknown "${p}" (one of ${all.join(', ')})`);
  return all.filter((a) => picked.includes(a));
};

const ALL_TARGETS = ['floor', 'postgraphile', 'postgraphile5', 'stack', 'crewgraph'] as const;
const cfg = {
  serverUrl: env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres',
  dbName: env.BENCH_DB || 'crewgraph_bench',
  targets: list<TargetName>('BENCH_TARGETS', ALL_TARGETS),
  shapes: list<ShapeId>(
    'BENCH_SHAPES',
    SHAPES.map((s) => s.id),
  ),
  connections: int('BENCH_CONNECTIONS', 32),
  threads: int('BENCH_THREADS', 1),
  warmup: int('BENCH_WARMUP', 3),
  duration: int('BENCH_DURATION', 7),
  runs: int('BENCH_RUNS', 3),
  coldStarts: Math.max(1, int('BENCH_COLD_STARTS', 3)),
  poolSize: int('BENCH_POOL_SIZE', 10),
  reuseDb: env.BENCH_REUSE_DB === '1',
  countRequests: 20,
};
// Q5 writes; run it last so the inserted goals cannot influence the read shapes.
const SHAPE_ORDER: ShapeId[] = ['Q0', 'Q1', 'Q2', 'Q2key', 'Q3', 'Q4', 'Q6', 'Q7', 'Q5'];
const shapesToRun = SHAPE_ORDER.filter((s) => cfg.shapes.includes(s));

const TARGET_LABEL: Record<TargetName, string> = {
  crewgraph: 'Crewgraph',
  stack: 'the stack alone',
  postgraphile: 'PostGraphile 4',
  postgraphile5: 'PostGraphile 5',
  floor: 'floor (node:http + pg)',
};

const log = (...args: unknown[]) => console.error('[bench]', ...args);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// ------------------------------------------------------------------ prerequisites
function prerequisites() {
  if (spawnSync('wrk', ['--version']).error) {
    throw new Error('wrk is not installed: `apt-get install -y wrk` (Debian/Ubuntu) or `brew install wrk`.');
  }
  if (!existsSync(path.join(BENCH_DIR, 'node_modules', 'postgraphile'))) {
    log('installing bench/ dependencies (npm ci in bench/) …');
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: BENCH_DIR, stdio: 'inherit' });
  }
  // PostGraphile 5 has its own node_modules (postgraphile5/package.json: its plugins must not see PostGraphile 4's packages).
  if (cfg.targets.includes('postgraphile5') && !existsSync(path.join(PG5_DIR, 'node_modules', 'postgraphile'))) {
    log('installing bench/postgraphile5/ dependencies (npm ci in bench/postgraphile5/) …');
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: PG5_DIR, stdio: 'inherit' });
  }
  if (cfg.targets.includes('postgraphile5')) nodeFor('postgraphile5'); // fails early without a Node 22+
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

// ------------------------------------------------------------------ targets
interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
}

function launch(target: TargetName, databaseUrl: string, port: number): Running {
  const common: NodeJS.ProcessEnv = {
    ...env,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    DB_POOL_SIZE: String(cfg.poolSize),
  };
  delete common.REDIS_URL;
  const targetEnv =
    target === 'crewgraph'
      ? {
          ...common,
          SEED_DEMO: '0',
          LOG_LEVEL: 'warn',
          // Budgets far above what a run sends, so the limiter runs but never refuses.
          RATE_LIMIT_KEY_REQUESTS: '1000000',
          RATE_LIMIT_ADMIN_REQUESTS: '1000000',
          RATE_LIMIT_WINDOW_SECONDS: '1',
          MAX_QUERY_COST: '100000000', // Q3 asks for 10 × 10 × 10 workers and their qualifications
        }
      : target === 'stack'
        ? { ...common, ORGANIZATION_ID: BENCH_ORGANIZATION_ID }
        : target === 'postgraphile5'
          ? { ...common, GRAPHILE_ENV: 'production' } // Grafast's production mode (its default, without the warning)
          : common;
  // PostGraphile 5 on Node 22+ (nodeFor), every other target on the harness's own Node.
  const child = spawn(nodeFor(target), TARGET_ENTRY[target], {
    cwd: ROOT,
    env: targetEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, url: `http://127.0.0.1:${port}/graphql`, output: () => out };
}

async function stop(r: Running) {
  if (r.child.exitCode !== null) return;
  const exited = new Promise((resolve) => r.child.once('exit', resolve));
  r.child.kill('SIGTERM');
  const timeout = sleep(5000).then(() => 'timeout');
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    r.child.kill('SIGKILL');
    await exited;
  }
}

/** Milliseconds from spawn until `probe` gets a 200 without errors. */
async function startAndWait(
  target: TargetName,
  databaseUrl: string,
  probe: BenchRequest,
): Promise<{ running: Running; ms: number }> {
  const port = await freePort();
  const started = performance.now();
  const running = launch(target, databaseUrl, port);
  for (;;) {
    if (running.child.exitCode !== null) {
      throw new Error(`${target} exited with ${running.child.exitCode}:\n${running.output()}`);
    }
    try {
      const res = await sendOnce(running.url, probe);
      if (res.status === 200 && !res.json.errors) return { running, ms: performance.now() - started };
    } catch {
      // not listening yet
    }
    if (performance.now() - started > 60_000) {
      await stop(running);
      throw new Error(`${target} did not answer within 60 s:\n${running.output()}`);
    }
    await sleep(10);
  }
}

function memory(pid: number): { rssMb: number; hwmMb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return { rssMb: NaN, hwmMb: NaN };
  }
}

/** CPU seconds of a process; NaN once it is gone (so a lost process shows, rather than 0). */
const cpuOf = (pid: number) => cpuSeconds(pid, NaN);

/** Watches the target's server process and its PostgreSQL backends (a monitor connection on the bench database). */
class Monitor {
  private constructor(
    private readonly client: pg.Client,
    private readonly dbName: string,
  ) {}
  static async open(url: string, dbName: string) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return new Monitor(client, dbName);
  }
  async backends(): Promise<number[]> {
    const { rows } = await this.client.query(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = $2',
      [this.dbName, 'client backend'],
    );
    return rows.map((r) => r.pid as number);
  }
  async active(): Promise<number> {
    const { rows } = await this.client.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND state = 'active'`,
      [this.dbName],
    );
    return rows[0].n;
  }
  /** CPU of the server and of the database backends serving it, for before/after deltas. */
  async snapshot(serverPid: number) {
    const pids = await this.backends();
    return { server: cpuOf(serverPid), db: new Map(pids.map((p) => [p, cpuOf(p)])) };
  }
  static delta(a: Awaited<ReturnType<Monitor['snapshot']>>, b: Awaited<ReturnType<Monitor['snapshot']>>) {
    let db = 0;
    for (const [pid, after] of b.db) db += after - (a.db.get(pid) ?? 0); // a backend opened during the run counts whole
    return { server: b.server - a.server, db };
  }
  /**
   * Waits until the previous load has drained: no statement running on the bench database
   * and the server process (nearly) idle, twice in a row. A slow shape leaves requests in
   * flight after wrk stops; without this they would eat into the next measurement.
   */
  async drain(serverPid: number, maxMs = 120_000): Promise<number> {
    const started = performance.now();
    let quiet = 0;
    let cpu = cpuOf(serverPid);
    while (quiet < 2 && performance.now() - started < maxMs) {
      await sleep(100);
      const now = cpuOf(serverPid);
      const idle = now - cpu < 0.01 && (await this.active()) === 0;
      cpu = now;
      quiet = idle ? quiet + 1 : 0;
    }
    return performance.now() - started;
  }
  close() {
    return this.client.end();
  }
}

// ------------------------------------------------------------------ wrk

function writeRequestFiles(dir: string, name: string, r: BenchRequest) {
  const body = path.join(dir, `${name}.body`);
  const headers = path.join(dir, `${name}.headers`);
  writeFileSync(body, r.body);
  writeFileSync(
    headers,
    Object.entries(r.headers)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n') + '\n',
  );
  return { body, headers };
}

const wrk = (url: string, files: { body: string; headers: string }, uuid: boolean, seconds: number) =>
  runWrk(url, files, { threads: cfg.threads, connections: cfg.connections, seconds, uuid });

/** The latency target of issue 7 is taken at this share of the peak throughput. */
const PACED_SHARE = 0.8;

/**
 * Latency at PACED_SHARE of `peakRps`: each connection waits between answer and next request.
 * Slow shapes get fewer connections (about half a second of requests), so the opening burst of
 * one request per connection does not queue; the run lasts long enough for ~200 answers (up to
 * 20 s). A short run at the delay that ignores latency measures the latency at about that load;
 * the measured run subtracts it (offered rate = connections / (latency + delay)). wrk is
 * closed-loop, so a stall also slows the sending (no coordinated-omission correction as in
 * wrk2, which Debian does not package): the p99 here is a lower bound.
 */
async function pacedRun(url: string, files: { body: string; headers: string }, uuid: boolean, peakRps: number) {
  const rate = peakRps * PACED_SHARE;
  const connections = Math.min(cfg.connections, Math.max(2, Math.ceil(rate / 2)));
  const cycleMs = (connections * 1000) / rate;
  const run = (seconds: number, delayMs: number) =>
    runWrk(url, files, { threads: cfg.threads, connections, seconds, uuid, delayMs });
  const probe = await run(Math.max(2, Math.ceil((3 * cycleMs) / 1000)), cycleMs);
  const latencyMs = probe.requests >= connections ? probe.mean_us / 1000 : 0;
  const seconds = Math.min(20, Math.max(cfg.duration, Math.ceil(200 / rate)));
  return { ...(await run(seconds, Math.max(0, cycleMs - latencyMs))), connections };
}

// ------------------------------------------------------------------ one target
interface ShapeResult {
  runs: WrkResult[];
  rps: number;
  p50ms: number;
  p99ms: number;
  spread: number; // (max − min) / median of the runs' req/s
  errors: number;
  rssMb: number;
  /** CPU milliseconds per request: the server process, and the PostgreSQL backends serving it. */
  serverCpuMs: number;
  dbCpuMs: number;
  /** Longest wait for in-flight requests to finish after a wrk run. */
  drainMs: number;
  loadavg: number[];
  sqlPerRequest?: number;
  controlPerRequest?: number;
  responseBytes?: number;
  /** Latency with the offered load held near PACED_SHARE of the peak. */
  paced?: { rps: number; p50ms: number; p99ms: number; requests: number; connections: number };
}
interface TargetResult {
  coldStartMs: number[];
  shapes: Partial<Record<ShapeId, ShapeResult>>;
  hwmMb: number;
  sql: Partial<Record<ShapeId, [string, number][]>>;
  answers: Partial<Record<ShapeId, unknown>>;
}

async function benchTarget(target: TargetName, data: BenchData, tmp: string): Promise<TargetResult> {
  const result: TargetResult = { coldStartMs: [], shapes: {}, hwmMb: NaN, sql: {}, answers: {} };
  // Q2key is about Crewgraph's keys; the stack alone models neither `orderBy` nor `updatedSince` (Q7).
  const ownShapes = shapesToRun.filter(
    (s) => target === 'crewgraph' || (s !== 'Q2key' && !(target === 'stack' && s === 'Q7')),
  );
  const q0Probe = (reqs: Partial<Record<ShapeId, BenchRequest>>) => reqs.Q0!;

  // a. statements per request, through the counting proxy
  const dbUrl = new URL(data.url);
  const proxy = await startCountingProxy({ host: dbUrl.hostname, port: Number(dbUrl.port || 5432) });
  const proxied = new URL(data.url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  const probeHeaders = {
    'content-type': 'application/json',
    ...(target === 'crewgraph' ? { authorization: `Bearer ${data.adminToken}` } : {}),
  };
  const probe: BenchRequest = {
    body: target === 'floor' ? '{"op":"Q0"}' : '{"query":"{ __typename }"}',
    headers: probeHeaders,
  };
  let requests: Partial<Record<ShapeId, BenchRequest>>;
  {
    const { running } = await startAndWait(target, proxied.toString(), probe);
    try {
      requests = await requestsFor(target, running.url, data);
      for (const shape of ownShapes) {
        const r = requests[shape]!;
        const first = await sendOnce(running.url, r);
        if (first.status !== 200 || first.json.errors) {
          throw new Error(`${target} ${shape} failed: ${first.status} ${JSON.stringify(first.json).slice(0, 800)}`);
        }
        result.answers[shape] = comparable(shape, first.json);
        await sendOnce(running.url, r);
        await sleep(50);
        proxy.reset();
        // countRequests sequential requests, or fewer (at least 3) when a shape is slow.
        let bytes = 0;
        let n = 0;
        const started = performance.now();
        while (n < cfg.countRequests && (n < 3 || performance.now() - started < 3000)) {
          bytes += (await sendOnce(running.url, r)).bytes;
          n++;
        }
        await sleep(100);
        result.shapes[shape] = {
          sqlPerRequest: proxy.counts.total / n,
          controlPerRequest: proxy.counts.control / n,
          responseBytes: bytes / n,
        } as ShapeResult;
        result.sql[shape] = [...proxy.counts.byText.entries()].map(([t, k]) => [t, k / n]);
      }
    } finally {
      await stop(running);
      await proxy.close();
    }
    if (ownShapes.includes('Q5')) await resetGoals(data.url);
  }

  // b. cold starts, straight to PostgreSQL; the last one stays up for the load runs
  let running: Running | undefined;
  for (let i = 0; i < cfg.coldStarts; i++) {
    if (running) await stop(running);
    await sleep(300);
    const started = await startAndWait(target, data.url, q0Probe(requests) ?? probe);
    running = started.running;
    result.coldStartMs.push(started.ms);
  }
  log(`${target}: cold start ${result.coldStartMs.map((m) => m.toFixed(0)).join(' / ')} ms`);

  // c. load
  const monitor = await Monitor.open(data.url, cfg.dbName);
  try {
    const pid = running!.child.pid!;
    for (const shape of ownShapes) {
      const r = requests[shape]!;
      const files = writeRequestFiles(tmp, `${target}-${shape}`, r);
      const uuid = !!r.uuidPerRequest;
      const loadavg = os.loadavg();
      let drainMs = await monitor.drain(pid);
      await wrk(running!.url, files, uuid, cfg.warmup);
      drainMs = Math.max(drainMs, await monitor.drain(pid));
      const runs: WrkResult[] = [];
      const cpu = { server: 0, db: 0, requests: 0 };
      for (let i = 0; i < cfg.runs; i++) {
        const before = await monitor.snapshot(pid);
        const run = await wrk(running!.url, files, uuid, cfg.duration);
        // Requests still in flight when wrk stops are not counted by wrk: let them finish
        // inside the CPU window so the cost per counted request is not understated much.
        drainMs = Math.max(drainMs, await monitor.drain(pid));
        const used = Monitor.delta(before, await monitor.snapshot(pid));
        cpu.server += used.server;
        cpu.db += used.db;
        // wrk stops with one request outstanding per connection; the server still serves those
        // (inside the drain above), so they count towards the CPU spent.
        cpu.requests += run.requests + cfg.connections;
        runs.push(run);
      }
      const rpsList = runs.map((x) => x.rps);
      const mid = median(rpsList);
      const shapeResult: ShapeResult = {
        ...result.shapes[shape]!,
        runs,
        rps: mid,
        p50ms: runs.some((x) => x.requests) ? median(runs.map((x) => x.p50_us)) / 1000 : NaN,
        p99ms: runs.some((x) => x.requests) ? median(runs.map((x) => x.p99_us)) / 1000 : NaN,
        spread: mid ? (Math.max(...rpsList) - Math.min(...rpsList)) / mid : NaN,
        errors: runs.reduce((n, x) => n + x.non200 + x.gql_errors + x.socket_errors + x.timeouts, 0),
        rssMb: memory(pid).rssMb,
        serverCpuMs: cpu.requests ? (cpu.server * 1000) / cpu.requests : NaN,
        dbCpuMs: cpu.requests ? (cpu.db * 1000) / cpu.requests : NaN,
        drainMs,
        loadavg,
      };
      if (mid > 0) {
        drainMs = Math.max(drainMs, await monitor.drain(pid));
        const paced = await pacedRun(running!.url, files, uuid, mid);
        shapeResult.paced = {
          rps: paced.rps,
          p50ms: paced.p50_us / 1000,
          p99ms: paced.p99_us / 1000,
          requests: paced.requests,
          connections: paced.connections,
        };
        shapeResult.errors += paced.non200 + paced.gql_errors + paced.socket_errors + paced.timeouts;
        drainMs = Math.max(drainMs, await monitor.drain(pid));
      }
      result.shapes[shape] = shapeResult;
      log(
        `${target} ${shape}: ${mid.toFixed(0)} req/s (runs ${rpsList.map((x) => x.toFixed(0)).join(', ')}), ` +
          `p50 ${shapeResult.p50ms.toFixed(2)} ms, p99 ${shapeResult.p99ms.toFixed(2)} ms, ` +
          `CPU/req ${shapeResult.serverCpuMs.toFixed(2)} ms server + ${shapeResult.dbCpuMs.toFixed(2)} ms PostgreSQL, ` +
          `${shapeResult.sqlPerRequest} SQL/req, RSS ${shapeResult.rssMb.toFixed(0)} MB` +
          (shapeResult.paced
            ? `; paced ${shapeResult.paced.rps.toFixed(0)} req/s: p50 ${shapeResult.paced.p50ms.toFixed(2)} ms, p99 ${shapeResult.paced.p99ms.toFixed(2)} ms`
            : '') +
          (drainMs > 1000 ? `, drained ${(drainMs / 1000).toFixed(1)} s` : '') +
          (shapeResult.errors ? `, ${shapeResult.errors} ERRORS` : ''),
      );
    }
    result.hwmMb = memory(pid).hwmMb;
  } finally {
    await monitor.close();
    await stop(running!);
  }
  if (ownShapes.includes('Q5')) await resetGoals(data.url);
  return result;
}

// ------------------------------------------------------------------ report
async function machine(data: BenchData) {
  const client = new pg.Client({ connectionString: data.url });
  await client.connect();
  const { rows } = await client.query(`SELECT current_setting('server_version') AS v,
    current_setting('shared_buffers') AS sb, current_setting('max_connections') AS mc, current_setting('jit') AS jit`);
  await client.end();
  const wrkVersion = spawnSync('wrk', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? '';
  const pkg = (dir: string, name: string) => {
    try {
      return JSON.parse(readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')).version as string;
    } catch {
      return '?';
    }
  };
  return {
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model.trim() ?? '?',
    ramGb: os.totalmem() / 2 ** 30,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    nodePostgraphile5: cfg.targets.includes('postgraphile5') ? nodeVersionOf('postgraphile5') : undefined,
    postgres: `${rows[0].v} (shared_buffers ${rows[0].sb}, max_connections ${rows[0].mc}, jit ${rows[0].jit})`,
    wrk: wrkVersion.trim(),
    loadavg: os.loadavg(),
    versions: {
      postgraphile: pkg(BENCH_DIR, 'postgraphile'),
      postgraphile5: pkg(PG5_DIR, 'postgraphile'),
      grafast: pkg(PG5_DIR, 'grafast'),
      prisma: pkg(ROOT, '@prisma/client'),
      yoga: pkg(ROOT, 'graphql-yoga'),
      pothos: pkg(ROOT, '@pothos/core'),
    },
  };
}

const fmt = (n: number | undefined, digits = 0) =>
  n === undefined || Number.isNaN(n)
    ? '–'
    : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (a?: number, b?: number) => (a && b ? `${(a / b).toFixed(2)}×` : '–');

function report(
  results: Partial<Record<TargetName, TargetResult>>,
  data: BenchData,
  m: Awaited<ReturnType<typeof machine>>,
  mismatches: string[],
  seconds: number,
) {
  const lines: string[] = [];
  const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  lines.push(`# Crewgraph benchmark — ${at}`, '');
  lines.push(
    `Machine: ${m.cpus} × ${m.cpu}, ${m.ramGb.toFixed(0)} GiB RAM, ${m.kernel}; Node ${m.node}; PostgreSQL ${m.postgres}; ` +
      `${m.wrk}. Load average at start: ${m.loadavg.map((x) => x.toFixed(2)).join(' ')}.`,
    `Versions: PostGraphile 4 ${m.versions.postgraphile}, PostGraphile 5 ${m.versions.postgraphile5} (Grafast ${m.versions.grafast}` +
      `${m.nodePostgraphile5 && m.nodePostgraphile5 !== m.node ? `, on Node ${m.nodePostgraphile5}: it needs Node 22+` : ''}), Prisma ${m.versions.prisma}, graphql-yoga ${m.versions.yoga}, Pothos ${m.versions.pothos}.`,
    '',
    `Load: wrk, ${cfg.connections} connections, ${cfg.threads} thread(s), keep-alive; ${cfg.warmup} s warm-up, then ${cfg.runs} runs of ` +
      `${cfg.duration} s; medians of the runs; between runs the harness waits until the target and its database are idle. Targets run one at a time on the same machine as PostgreSQL and wrk, ` +
      `each with a pool of ${cfg.poolSize} connections and NODE_ENV=production. Crewgraph: LOG_LEVEL=warn, rate limits on ` +
      `but never reached, MAX_QUERY_COST=100000000. SQL/req: statements the target sent per request (counted by a ` +
      `wire-protocol proxy over up to ${cfg.countRequests} sequential requests, at least 3), "+n" of which are BEGIN/COMMIT/SET; ` +
      `Crewgraph's webhook job worker polling its queue (graphile_worker.*) and its credential cache renewing its lease, each on its own clock, are not counted; ` +
      `a repeated token is answered from that cache, so Crewgraph's counts have no authentication statement. RSS: VmRSS of the ` +
      `server process after the shape's runs. Spread: (max − min) / median of the runs' req/s.`,
    '',
    `Dataset (deterministic, bench/seed.sql): ${Object.entries(data.counts)
      .map(([t, n]) => `${n.toLocaleString('en-US')} ${t}`)
      .join(', ')}; ` +
      (cfg.reuseDb
        ? 'the database of an earlier run, reused as it was (BENCH_REUSE_DB=1). '
        : `migrate ${data.seconds.migrate.toFixed(1)} s, seed ${data.seconds.seed.toFixed(1)} s, ` +
          `VACUUM ANALYZE ${data.seconds.analyze.toFixed(1)} s. `) +
      `Whole run: ${(seconds / 60).toFixed(1)} min.`,
    '',
  );

  const targets = cfg.targets.filter((t) => results[t]);
  lines.push('## Throughput and ratios', '');
  lines.push(
    '| shape | ' +
      targets.map((t) => `${TARGET_LABEL[t]} req/s`).join(' | ') +
      ' | Crewgraph / PostGraphile 4 | Crewgraph / PostGraphile 5 | Crewgraph / floor | Crewgraph / stack |',
  );
  lines.push('|---|' + targets.map(() => '--:|').join('') + '--:|--:|--:|--:|');
  for (const { id, title } of SHAPES) {
    if (!shapesToRun.includes(id)) continue;
    const get = (t: TargetName) => results[t]?.shapes[id === 'Q2key' && t !== 'crewgraph' ? 'Q2' : id]?.rps;
    lines.push(
      `| ${id}: ${title} | ` +
        targets.map((t) => (id === 'Q2key' && t !== 'crewgraph' ? `(${fmt(get(t))})` : fmt(get(t)))).join(' | ') +
        ` | ${ratio(get('crewgraph'), get('postgraphile'))} | ${ratio(get('crewgraph'), get('postgraphile5'))} | ${ratio(get('crewgraph'), get('floor'))} | ${ratio(get('crewgraph'), get('stack'))} |`,
    );
  }
  lines.push(
    '',
    'Q2key: the other targets have no API keys; their Q2 figure is repeated in brackets. The stack alone (bench/stack.ts): ' +
      "graphql-yoga + Pothos + Prisma answering the same requests with none of Crewgraph's own per-request work (below).",
    '',
  );

  lines.push('## CPU per request (ms; server process + its PostgreSQL backends)', '');
  lines.push(
    'Less sensitive than req/s to other work on the machine. Measured over the measured runs (requests still in flight ' +
      'when wrk stops are served before the CPU is read and counted as served). The ratios compare the sums.',
    '',
    '| shape | ' +
      targets.map((t) => TARGET_LABEL[t]).join(' | ') +
      ' | Crewgraph / PostGraphile 4 | Crewgraph / PostGraphile 5 | stack / PostGraphile 4 |',
    '|---|' + targets.map(() => '--:|').join('') + '--:|--:|--:|',
  );
  for (const id of shapesToRun) {
    const cell = (t: TargetName) => {
      const x = results[t]?.shapes[id];
      return x ? `${fmt(x.serverCpuMs, 2)} + ${fmt(x.dbCpuMs, 2)}` : '–';
    };
    const sum = (t: TargetName) => {
      const x = results[t]?.shapes[id === 'Q2key' && t !== 'crewgraph' ? 'Q2' : id];
      return x ? x.serverCpuMs + x.dbCpuMs : undefined;
    };
    const by = (t: TargetName, base: TargetName) => {
      const [x, p] = [sum(t), sum(base)];
      return x && p ? `${(x / p).toFixed(1)}×` : '–';
    };
    lines.push(
      `| ${id} | ${targets.map(cell).join(' | ')} | ${by('crewgraph', 'postgraphile')} | ${by('crewgraph', 'postgraphile5')} | ${by('stack', 'postgraphile')} |`,
    );
  }
  lines.push('');

  lines.push('## Detail per target', '');
  lines.push(
    '| shape | target | req/s | spread | p50 ms | p99 ms | SQL/req | RSS MB | resp. bytes | errors | load avg |',
  );
  lines.push('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const id of shapesToRun) {
    for (const t of targets) {
      const s = results[t]!.shapes[id];
      if (!s) continue;
      const sql =
        s.sqlPerRequest === undefined
          ? '–'
          : `${fmt(s.sqlPerRequest, s.sqlPerRequest % 1 ? 2 : 0)}${s.controlPerRequest ? ` (+${fmt(s.controlPerRequest, s.controlPerRequest % 1 ? 2 : 0)})` : ''}`;
      lines.push(
        `| ${id} | ${TARGET_LABEL[t]} | ${fmt(s.rps)} | ${fmt(s.spread * 100)}% | ${fmt(s.p50ms, 2)} | ${fmt(s.p99ms, 2)} | ` +
          `${sql} | ${fmt(s.rssMb)} | ${fmt(s.responseBytes)} | ${s.errors} | ${fmt(s.loadavg?.[0], 1)} |`,
      );
    }
  }
  lines.push(
    '',
    'SQL/req "6 (+4)": 6 statements per request, 4 of which are transaction control (BEGIN, COMMIT, SAVEPOINT, SET …). ' +
      'errors: non-200 answers, answers with GraphQL `errors`, socket errors and timeouts (30 s). ' +
      "load avg: the machine's 1-minute load average when the shape started (2 CPUs here: above ~2 means other work competed).",
    '',
  );

  const crew = results.crewgraph?.shapes;
  if (crew?.Q2 && crew.Q2key) {
    const overhead = (crew.Q2.rps / crew.Q2key.rps - 1) * 100;
    const cpuKey = crew.Q2key.serverCpuMs + crew.Q2key.dbCpuMs;
    const cpuAdmin = crew.Q2.serverCpuMs + crew.Q2.dbCpuMs;
    lines.push(
      `API key vs admin token (Crewgraph Q2): ${fmt(crew.Q2key.rps)} vs ${fmt(crew.Q2.rps)} req/s → API-key overhead ` +
        `${overhead.toFixed(1)}% by throughput (target < 3%); CPU per request ${fmt(cpuKey, 2)} vs ${fmt(cpuAdmin, 2)} ms ` +
        `(${((cpuKey / cpuAdmin - 1) * 100).toFixed(1)}%); p50 ${fmt(crew.Q2key.p50ms, 2)} vs ${fmt(crew.Q2.p50ms, 2)} ms.`,
      '',
    );
  }

  if (targets.some((t) => shapesToRun.some((id) => results[t]!.shapes[id]?.paced))) {
    lines.push(`## Latency at ${PACED_SHARE * 100} % of each target's peak`, '');
    lines.push(
      `Target of issue 7: p99 ≤ 3 × p50 at ${PACED_SHARE * 100} % of peak throughput. After the measured runs, each connection ` +
        `pauses between answer and next request so that the offered load is about ${PACED_SHARE * 100} % of the median peak ` +
        'above (one run of at least ' +
        cfg.duration +
        ' s and ~200 answers, at most 20 s, after a short calibration run; slow shapes with ' +
        'fewer connections so that their opening burst does not queue). wrk is closed-loop: when the server stalls it also ' +
        'sends less (no coordinated-omission correction as in wrk2), so the p99 is a lower bound.',
      '',
      '| shape | target | peak req/s | paced req/s (share of peak) | connections | requests | p50 ms | p99 ms | p99 / p50 |',
      '|---|---|--:|--:|--:|--:|--:|--:|--:|',
    );
    for (const id of shapesToRun) {
      for (const t of targets) {
        const s = results[t]!.shapes[id];
        if (!s?.paced) continue;
        lines.push(
          `| ${id} | ${TARGET_LABEL[t]} | ${fmt(s.rps)} | ${fmt(s.paced.rps)} (${fmt((s.paced.rps / s.rps) * 100)} %) | ${s.paced.connections} | ${fmt(s.paced.requests)} | ` +
            `${fmt(s.paced.p50ms, 2)} | ${fmt(s.paced.p99ms, 2)} | ${(s.paced.p99ms / s.paced.p50ms).toFixed(1)}× |`,
        );
      }
    }
    lines.push('');
  }

  lines.push('## Cold start (spawn → first answered query, PostgreSQL)', '');
  lines.push('| target | median ms | all runs ms | peak RSS MB (VmHWM) |', '|---|--:|---|--:|');
  for (const t of targets) {
    const r = results[t]!;
    lines.push(
      `| ${TARGET_LABEL[t]} | ${fmt(median(r.coldStartMs))} | ${r.coldStartMs.map((x) => x.toFixed(0)).join(', ')} | ${fmt(r.hwmMb)} |`,
    );
  }
  lines.push(
    '',
    "Every target runs compiled (bench/targets.ts): Crewgraph as `npm start` runs it, from its esbuild bundle (the stack alone bundled the same way), PostGraphile 4 and 5 and the floor compiled by esbuild with their packages in node_modules; Crewgraph's start includes its migration check; PostGraphile 5's includes building its schema. " +
      'Crewgraph, the stack and PostGraphile 4 and 5 answer `{ __typename }` (Crewgraph with the admin token); the floor its Q0.',
    '',
  );

  lines.push('## Equivalence', '');
  lines.push(
    mismatches.length
      ? `**The targets' answers differ:**\n\n${mismatches.map((x) => `- ${x}`).join('\n')}`
      : 'Before measuring, each shape was sent once to every target and their `data` compared: all targets returned the ' +
          'same data for every shape (ids and cursors excluded: they are target-specific).',
    '',
    'Not equivalent, by design: Crewgraph checks the token on every request (its row read once, then from the credential cache that every change to a credential empties first), applies the ' +
      "tenant and the key's project scope, and runs its limits (rate, depth, cost) on every request. PostGraphile (4 and 5) runs " +
      'without authentication or row-level security (a root-level `organizationId` condition stands in for the tenant) ' +
      'and with its production options (no GraphiQL, no query log); PostGraphile 5 with the V4 compatibility preset and the ' +
      'v5 versions of the same two plugins (many-to-many, connection filter), so it gets the PostGraphile 4 requests unchanged. ' +
      'The floor has no auth, no GraphQL parsing or ' +
      'validation, and one prepared statement per shape. The stack alone (bench/stack.ts) is graphql-yoga + Pothos + ' +
      "Prisma with Crewgraph's modelling for these shapes (the same orders, global ids and executor; select mode reading " +
      'only the columns the shapes show) ' +
      'and nothing of its own per-request work: no authentication, scope, query or rate limits, error contract, request ' +
      'ids, usage counting or logging; a root-level `organizationId` condition stands in for the tenant.',
    '',
  );

  if (results.crewgraph) {
    lines.push('## Crewgraph SQL per request', '');
    for (const id of shapesToRun) {
      const sql = results.crewgraph.sql[id];
      if (!sql) continue;
      lines.push(`<details><summary>${id}: ${fmt(crew?.[id]?.sqlPerRequest, 2)} statements</summary>`, '', '```sql');
      for (const [text, n] of sql) lines.push(`-- × ${n}`, text.replace(/\s+/g, ' ').slice(0, 600));
      lines.push('```', '</details>', '');
    }
  }
  return lines.join('\n');
}

function compare(results: Partial<Record<TargetName, TargetResult>>): string[] {
  const strip = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(strip)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([k]) => !['id', 'cursor', 'endCursor', 'startCursor'].includes(k))
              .map(([k, x]) => [k, strip(x)]),
          )
        : v;
  const out: string[] = [];
  const refName = (['floor', 'postgraphile', 'postgraphile5'] as const).find((t) => results[t]);
  if (!refName) return out;
  const ref = results[refName]!;
  for (const t of cfg.targets) {
    if (t === refName || !results[t]) continue;
    for (const shape of shapesToRun) {
      const own = results[t]!.answers[shape === 'Q2key' ? 'Q2key' : shape];
      const theirs = ref.answers[shape === 'Q2key' ? 'Q2' : shape];
      if (own === undefined || theirs === undefined) continue;
      if (!isDeepStrictEqual(strip(own), strip(theirs))) {
        out.push(
          `${shape}: ${t} ≠ ${refName}: ${JSON.stringify(strip(own)).slice(0, 300)} … vs ${JSON.stringify(strip(theirs)).slice(0, 300)} …`,
        );
      }
    }
  }
  return out;
}

// ------------------------------------------------------------------ main
async function main() {
  const t0 = performance.now();
  prerequisites();
  await buildTargets();
  if (cfg.reuseDb) log(`reusing ${cfg.dbName} on ${new URL(cfg.serverUrl).host} as it is (BENCH_REUSE_DB=1) …`);
  else log(`creating ${cfg.dbName} on ${new URL(cfg.serverUrl).host} and seeding …`);
  const data = cfg.reuseDb
    ? await reuseBenchDatabase(cfg.serverUrl, cfg.dbName, cfg.targets.includes('crewgraph'))
    : await createBenchDatabase(cfg.serverUrl, cfg.dbName);
  log(
    `${cfg.reuseDb ? 'reused' : 'seeded'} in ${(data.seconds.migrate + data.seconds.seed + data.seconds.analyze).toFixed(1)} s: ` +
      Object.entries(data.counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
  );
  const m = await machine(data);
  if (m.loadavg[0] > m.cpus) {
    log(
      `WARNING: load average ${m.loadavg[0].toFixed(1)} on ${m.cpus} CPUs — other work competes with the benchmark; ` +
        'req/s and latencies will be low and noisy (CPU per request is less affected).',
    );
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'crewgraph-bench-'));
  const results: Partial<Record<TargetName, TargetResult>> = {};
  try {
    for (const target of cfg.targets) {
      log(`── ${TARGET_LABEL[target]}`);
      results[target] = await benchTarget(target, data, tmp);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const mismatches = compare(results);
  for (const x of mismatches) log(`MISMATCH ${x}`);
  const seconds = (performance.now() - t0) / 1000;
  const md = report(results, data, m, mismatches, seconds);
  writeFileSync(path.join(RESULTS, 'latest.md'), md + '\n');
  writeFileSync(
    path.join(RESULTS, 'latest.json'),
    JSON.stringify(
      { config: cfg, machine: m, dataset: data.counts, results },
      (k, v) => (k === 'answers' ? undefined : v),
      2,
    ) + '\n',
  );
  console.log(md);
  log(`written to bench/results/latest.md in ${(seconds / 60).toFixed(1)} min`);
  if (env.BENCH_DROP_DB === '1') {
    const c = new pg.Client({ connectionString: cfg.serverUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${cfg.dbName} WITH (FORCE)`);
    await c.end();
  }
}

main().catch((error) => {
  console.error('[bench] failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
