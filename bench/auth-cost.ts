// What authentication alone costs per request (issue 7: "API-key auth overhead"):
//
//   npx tsx bench/auth-cost.ts [calls=5000] [concurrency=32]
//
// Calls src/auth/authenticate.ts's authenticate() — the same function the server runs on every
// request — in this process, on the bench database (BENCH_DB, default crewgraph_bench; run
// `npm run bench` or `npx tsx bench/profile.ts` once to create it), with a fresh admin token and
// API key, and prints CPU milliseconds per call: this Node process (Prisma + pg) and the
// PostgreSQL backends, plus SQL statements per call. Compare with the CPU per request of Q0 in
// bench/results/latest.md to see which share of a small request is authentication.
import pg from 'pg';
import { authenticate } from '../src/auth/authenticate.ts';
import { parseToken } from '../src/auth/tokens.ts';
import { openDatabase } from '../src/db/database.ts';
import { cpuSeconds } from './measure.ts';
import { addBenchTokens, databaseUrl } from './seed.ts';

const calls = Number(process.argv[2] ?? 5000);
const concurrency = Number(process.argv[3] ?? 32);
const serverUrl = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
const dbName = process.env.BENCH_DB || 'crewgraph_bench';
const url = databaseUrl(serverUrl, dbName);

async function main() {
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  const { adminToken, apiKeyToken } = await addBenchTokens(setup, 'Auth-cost key');
  const keyId = parseToken(apiKeyToken)!.id;

  let statements = 0;
  const db = await openDatabase({ url, poolSize: 10, onQuery: () => statements++ });
  const backends = async () =>
    (
      await setup.query(
        `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
        [dbName],
      )
    ).rows.map((r) => r.pid as number);

  for (const [label, token] of [
    ['admin token (cga_)', adminToken],
    ['API key (cgk_), 50 projects', apiKeyToken],
  ] as const) {
    const run = async (n: number) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next++ < n) await authenticate(db, token, new Date());
        }),
      );
    };
    await run(500); // warm-up: connections open, plans compiled, JIT warm
    const pids = await backends();
    const dbBefore = pids.map((pid) => cpuSeconds(pid));
    const before = process.cpuUsage();
    const stmtBefore = statements;
    const t = performance.now();
    await run(calls);
    const wall = performance.now() - t;
    const used = process.cpuUsage(before);
    const dbCpu = pids.reduce((s, pid, i) => s + cpuSeconds(pid) - dbBefore[i], 0);
    console.log(
      `${label}: ${((used.user + used.system) / 1000 / calls).toFixed(3)} ms CPU per call in Node + ` +
        `${((dbCpu * 1000) / calls).toFixed(3)} ms in PostgreSQL; ${((statements - stmtBefore) / calls).toFixed(2)} statements per call; ` +
        `${((calls / wall) * 1000).toFixed(0)} calls/s at concurrency ${concurrency}`,
    );
  }

  // The same one-statement key lookup as src/auth/credential-lookup.ts, sent by plain pg as a
  // named prepared statement (parsed and planned once per connection) instead of Prisma's $queryRaw:
  // what a strict per-request check would cost without Prisma's query interpreter.
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const rawLookup = (keyId: string) =>
    pool.query({
      name: 'authenticate-key',
      text: `SELECT k.id::text, k."organizationId"::text, k."keyId", k."secretHash", k."previousSecretHash",
               k."previousSecretExpiresAt", k."allowWrites", k."canReadQualificationData", k.state::text,
               k."expiresAt", k."deletedAt", k."allowedIps",
               ARRAY(SELECT p."B"::text FROM "_ApiKeyProjects" p WHERE p."A" = k.id) AS "projectIds"
             FROM "ApiKey" k WHERE k."keyId" = $1`,
      values: [keyId],
    });
  const rawRun = async (n: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < n) await rawLookup(keyId);
      }),
    );
  };
  await rawRun(500);
  {
    const pids = await backends();
    const dbBefore = pids.map((pid) => cpuSeconds(pid));
    const before = process.cpuUsage();
    await rawRun(calls);
    const used = process.cpuUsage(before);
    const dbCpu = pids.reduce((sum, pid, i) => sum + cpuSeconds(pid) - dbBefore[i], 0);
    console.log(
      `same key lookup, plain pg prepared statement: ${((used.user + used.system) / 1000 / calls).toFixed(3)} ms CPU per call in Node + ` +
        `${((dbCpu * 1000) / calls).toFixed(3)} ms in PostgreSQL`,
    );
  }
  await pool.end();
  await db.close();
  await setup.end();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
