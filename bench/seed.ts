// Creates the benchmark database: drop + create, Crewgraph's migrations, the deterministic
// dataset of seed.sql (set-wise SQL, a few seconds), one admin token and one API key.
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { issueToken } from '../src/auth/tokens.ts';
import { applyMigrations } from '../src/db/migrations.ts';

export interface BenchData {
  url: string;
  organizationId: string;
  adminToken: string;
  apiKeyToken: string;
  /** Row ids the query shapes use (raw UUIDs). */
  contractorId: string;
  projectId: string;
  ownerId: string;
  counts: Record<string, number>;
  seconds: { migrate: number; seed: number; analyze: number };
}

/** bid(kind, n) of seed.sql, in JS. */
export function bid(kind: number, n: number): string {
  const hex =
    (1767225600000 + kind * 10_000_000 + n).toString(16).padStart(12, '0') +
    '7' +
    kind.toString(16).padStart(3, '0') +
    '8' +
    n.toString(16).padStart(15, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The one organisation of seed.sql. */
export const BENCH_ORGANIZATION_ID = bid(1, 0);

/** Rows of seed.sql the query shapes use. */
export const SHAPE_ROWS = { contractorId: bid(4, 1234), projectId: bid(3, 7), ownerId: bid(7, 42) };

export type BenchTokens = Pick<BenchData, 'adminToken' | 'apiKeyToken'>;

/**
 * A fresh admin token of the seeded owner and a fresh API key on every project, read/write
 * (only hashes are stored, so each run of the seed or of profile.ts makes its own).
 */
export async function addBenchTokens(c: pg.Client, keyName: string): Promise<BenchTokens> {
  const organizationId = BENCH_ORGANIZATION_ID;
  const owner = bid(2, 0);
  const admin = issueToken('cga');
  const key = issueToken('cgk');
  await c.query(
    `INSERT INTO "AdminToken" (id, "organizationId", "userId", "tokenId", "secretHash") VALUES (gen_random_uuid(), $1, $2, $3, $4)`,
    [organizationId, owner, admin.id, Buffer.from(admin.secretHash)],
  );
  const { rows } = await c.query(
    `INSERT INTO "ApiKey" (id, "organizationId", name, "normalizedName", "keyId", "secretHash", "allowWrites", "canReadQualificationData", "createdById")
     VALUES (gen_random_uuid(), $1, $2, lower($2), $3, $4, true, true, $5) RETURNING id`,
    [organizationId, `${keyName} ${key.id} (all projects, read/write)`, key.id, Buffer.from(key.secretHash), owner],
  );
  await c.query(`INSERT INTO "_ApiKeyProjects" ("A", "B") SELECT $1, id FROM "Project" WHERE "organizationId" = $2`, [
    rows[0].id,
    organizationId,
  ]);
  return { adminToken: admin.token, apiKeyToken: key.token };
}

const TABLES = [
  'Project',
  'Contractor',
  '_ContractorProjects',
  'Worker',
  'Qualification',
  'Person',
  'Goal',
  'Milestone',
  'Conversation',
  'Recognition',
];

export async function createBenchDatabase(serverUrl: string, name = 'crewgraph_bench'): Promise<BenchData> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  await withClient(serverUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  const url = databaseUrl(serverUrl, name);

  let t = performance.now();
  await applyMigrations({ kind: 'postgres', connectionString: url });
  const migrate = (performance.now() - t) / 1000;

  const sql = await readFile(new URL('./seed.sql', import.meta.url), 'utf8');
  const organizationId = BENCH_ORGANIZATION_ID;
  t = performance.now();
  let tokens: BenchTokens | undefined;
  const counts = await withClient(url, async (c) => {
    await c.query('BEGIN');
    await c.query(sql);
    tokens = await addBenchTokens(c, 'Bench key');
    await c.query('COMMIT');
    const counts: Record<string, number> = {};
    for (const table of TABLES) {
      const { rows } = await c.query(`SELECT count(*)::int AS n FROM "${table}"`);
      counts[table] = rows[0].n;
    }
    return counts;
  });
  const seed = (performance.now() - t) / 1000;
  t = performance.now();
  await withClient(url, (c) => c.query('VACUUM ANALYZE'));
  const analyze = (performance.now() - t) / 1000;

  return { url, organizationId, ...tokens!, ...SHAPE_ROWS, counts, seconds: { migrate, seed, analyze } };
}

/**
 * The database of an earlier run, as it is (no drop, no migrations, no seed; Q5's goals are
 * removed as after every run), with a fresh admin token and API key when `tokens` is set (only
 * hashes are stored, so the seed's tokens are not known any more).
 */
export async function reuseBenchDatabase(serverUrl: string, name: string, tokens: boolean): Promise<BenchData> {
  const url = databaseUrl(serverUrl, name);
  await resetGoals(url);
  return withClient(url, async (c) => {
    const made: BenchTokens = tokens ? await addBenchTokens(c, 'Bench key') : { adminToken: '', apiKeyToken: '' };
    const counts: Record<string, number> = {};
    for (const table of TABLES) {
      const { rows } = await c.query(`SELECT count(*)::int AS n FROM "${table}"`);
      counts[table] = rows[0].n;
    }
    return {
      url,
      organizationId: BENCH_ORGANIZATION_ID,
      ...made,
      ...SHAPE_ROWS,
      counts,
      seconds: { migrate: 0, seed: 0, analyze: 0 },
    };
  });
}

/** Removes the goals a Q5 run created (seeded ones are dated January 2026) and tidies the table. */
export async function resetGoals(url: string): Promise<number> {
  return withClient(url, async (c) => {
    const { rowCount } = await c.query(`DELETE FROM "Goal" WHERE "createdAt" > '2026-06-01'`);
    await c.query('VACUUM ANALYZE "Goal"');
    return rowCount ?? 0;
  });
}
