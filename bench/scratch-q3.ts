import { openDatabase } from '../src/db/database.ts';
import { bid, databaseUrl } from './seed.ts';
const url = databaseUrl('postgresql://postgres@127.0.0.1:5432/postgres', 'crewgraph_bench');
const db = await openDatabase({ url });
const org = bid(1, 0);
const projects = await db.prisma.project.findMany({ where: { organizationId: org }, orderBy: [{ name: 'asc' }, { id: 'asc' }], take: 10, select: { id: true } });
async function measure(name: string, n: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < 20; i++) await fn();
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn();
  const cpu = process.cpuUsage(t0);
  console.log(`${name.padEnd(30)} ${(((cpu.user + cpu.system) / 1000) / n).toFixed(2)} ms CPU/call`);
}
const all = () => db.prisma.project.findMany({ where: { id: { in: projects.map((p) => p.id) } }, select: { id: true, contractors: { where: { organizationId: org }, orderBy: [{ name: 'asc' }, { id: 'asc' }], select: { id: true, name: true } } } });
const r = await all();
console.log('rows', r.reduce((n, p) => n + p.contractors.length, 0));
for (let i = 0; i < 2; i++) {
  await measure('nested all (~2000)', 100, all);
  await measure('nested take 11', 100, () => db.prisma.project.findMany({ where: { id: { in: projects.map((p) => p.id) } }, select: { id: true, contractors: { where: { organizationId: org }, orderBy: [{ name: 'asc' }, { id: 'asc' }], take: 11, select: { id: true, name: true } } } }));
}
await db.close();
