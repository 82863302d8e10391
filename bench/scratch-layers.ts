import { openDatabase } from '../src/db/database.ts';
import { bid, databaseUrl } from './seed.ts';
const url = databaseUrl('postgresql://postgres@127.0.0.1:5432/postgres', 'crewgraph_bench');
const db = await openDatabase({ url });
const org = bid(1, 0);
const cid = bid(4, 1234);
async function measure(name: string, n: number, conc: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < 200; i++) await fn();
  const t0 = process.cpuUsage(); const w0 = performance.now();
  let left = n;
  await Promise.all(Array.from({ length: conc }, async () => { while (left-- > 0) await fn(); }));
  const cpu = process.cpuUsage(t0); const wall = performance.now() - w0;
  console.log(`${name.padEnd(40)} ${(((cpu.user + cpu.system) / 1000) / n).toFixed(3)} ms CPU/call  ${(n / wall * 1000).toFixed(0)} /s`);
}
const N = Number(process.argv[2] ?? 5000);
for (let round = 0; round < 2; round++) {
  await measure('pg pool.query text', N, 32, () => db.query({ name: 'x1', text: `SELECT id, name, city, "approvalStatus"::text, tags FROM "Contractor" WHERE id = $1 AND "organizationId" = $2 LIMIT 1` }, [cid, org]));
  await measure('prisma findFirst select', N, 32, () => db.prisma.contractor.findFirst({ where: { id: cid, organizationId: org }, select: { id: true, name: true, city: true, approvalStatus: true, tags: true } }));
  await measure('prisma findUnique select', N, 32, () => db.prisma.contractor.findUnique({ where: { id: cid, organizationId: org }, select: { id: true, name: true, city: true, approvalStatus: true, tags: true } }));
  await measure('prisma $queryRawUnsafe', N, 32, () => db.prisma.$queryRawUnsafe(`SELECT id, name, city, "approvalStatus"::text, tags FROM "Contractor" WHERE id = $1::uuid AND "organizationId" = $2::uuid LIMIT 1`, cid, org));
}
await db.close();
