import { openDatabase } from '../src/db/database.ts';
import { bid, databaseUrl } from './seed.ts';
import pg from 'pg';
const url = databaseUrl('postgresql://postgres@127.0.0.1:5432/postgres', 'crewgraph_bench');
const db = await openDatabase({ url });
const org = bid(1, 0);
const c = new pg.Client({ connectionString: url }); await c.connect();
const { rows: pr } = await c.query(`SELECT id FROM "Project" WHERE "organizationId" = $1`, [org]);
const ids: string[] = pr.map((r) => r.id);
await c.end();
async function measure(name: string, n: number, conc: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < 200; i++) await fn();
  const t0 = process.cpuUsage();
  let left = n;
  await Promise.all(Array.from({ length: conc }, async () => { while (left-- > 0) await fn(); }));
  const cpu = process.cpuUsage(t0);
  console.log(`${name.padEnd(30)} ${(((cpu.user + cpu.system) / 1000) / n).toFixed(3)} ms CPU/call`);
}
for (let round = 0; round < 2; round++)
  for (const k of [1, 10, 50]) {
    await measure(`project in ${k}`, 3000, 16, () => db.prisma.project.findMany({ where: { organizationId: org, id: { in: ids.slice(0, k) } }, select: { id: true }, take: 1 }));
    await measure(`pg in ${k}`, 3000, 16, () => db.query({ name: `pin${k}`, text: `SELECT id FROM "Project" WHERE "organizationId" = $1 AND id IN (${ids.slice(0, k).map((_, i) => '$' + (i + 2)).join(',')}) LIMIT 1` }, [org, ...ids.slice(0, k)]));
    await measure(`pg any ${k}`, 3000, 16, () => db.query({ name: `pany`, text: `SELECT id FROM "Project" WHERE "organizationId" = $1 AND id = ANY($2::uuid[]) LIMIT 1` }, [org, ids.slice(0, k)]));
  }
await db.close();
