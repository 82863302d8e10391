import { openDatabase } from '../src/db/database.ts';
import { bid, databaseUrl } from './seed.ts';
import pg from 'pg';
const url = databaseUrl('postgresql://postgres@127.0.0.1:5432/postgres', 'crewgraph_bench');
let log: string[] = [];
const db = await openDatabase({ url, onQuery: (s) => log.push(s) });
const org = bid(1, 0);
const c = new pg.Client({ connectionString: url }); await c.connect();
const { rows: keys } = await c.query(`SELECT "A" AS id, count(*) FROM "_ApiKeyProjects" GROUP BY 1 HAVING count(*) = 50 LIMIT 1`);
const keyId = keys[0].id;
const { rows: pr } = await c.query(`SELECT id FROM "Project" WHERE "organizationId" = $1`, [org]);
const ids = pr.map((r) => r.id);
await c.end();
async function measure(name: string, n: number, conc: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < 100; i++) await fn();
  const t0 = process.cpuUsage(); const w0 = performance.now();
  let left = n;
  await Promise.all(Array.from({ length: conc }, async () => { while (left-- > 0) await fn(); }));
  const cpu = process.cpuUsage(t0); const wall = performance.now() - w0;
  console.log(`${name.padEnd(40)} ${(((cpu.user + cpu.system) / 1000) / n).toFixed(3)} ms CPU/call  ${(n / wall * 1000).toFixed(0)} /s`);
}
const sel = { id: true, name: true, city: true, approvalStatus: true } as const;
const variants: Record<string, any> = {
  admin: { organizationId: org, approvalStatus: 'APPROVED' },
  keyIn50: { organizationId: org, approvalStatus: 'APPROVED', projects: { some: { id: { in: ids } } } },
  tagsHasSome: { organizationId: org, approvalStatus: 'APPROVED', tags: { hasSome: ids } },
};
const N = Number(process.argv[2] ?? 3000);
for (const [name, where] of Object.entries(variants)) {
  log = [];
  await db.prisma.contractor.findMany({ where, select: sel, orderBy: [{ name: 'asc' }, { id: 'asc' }], take: 20 });
  console.log(name, log[0].slice(0, 900));
}
for (let round = 0; round < 2; round++)
  for (const [name, where] of Object.entries(variants))
    await measure(name, N, 16, () => db.prisma.contractor.findMany({ where, select: sel, orderBy: [{ name: 'asc' }, { id: 'asc' }], take: 20 }));
await db.close();
