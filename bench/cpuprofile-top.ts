// Summarises a V8 .cpuprofile (from `node --cpu-prof`, e.g. bench/profile.ts --cpu-prof dir):
//   npx tsx bench/cpuprofile-top.ts <file.cpuprofile> [rows=30] [filter]
// Prints the top functions by self time and by total (inclusive) time, and self time
// grouped by package (node_modules/<name>, src/…, node internals).
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}
const [file, rowsArg, filter] = process.argv.slice(2);
if (!file) throw new Error('usage: cpuprofile-top.ts <file.cpuprofile> [rows] [filter]');
const rows = Number(rowsArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; startTime: number; endTime: number };
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const total = profile.nodes.reduce((s, n) => s + n.hitCount, 0);
const ms = (hits: number) => ((hits / total) * (profile.endTime - profile.startTime)) / 1000;

const label = (n: Node) => {
  const url = n.callFrame.url
    .replace(/^file:\/\//, '')
    .replace(/.*node_modules\//, 'nm:')
    .replace(/.*\/src\//, 'src/');
  return `${n.callFrame.functionName || '(anon)'} ${url}:${n.callFrame.lineNumber + 1}`;
};
const pkg = (n: Node) => {
  const url = n.callFrame.url;
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.includes('/src/')) return 'src/' + (url.split('/src/')[1].split('/')[0] ?? '');
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  return n.callFrame.functionName.startsWith('(') ? n.callFrame.functionName : url || '(native)';
};

const self = new Map<string, number>();
const groups = new Map<string, number>();
for (const n of profile.nodes) {
  self.set(label(n), (self.get(label(n)) ?? 0) + n.hitCount);
  groups.set(pkg(n), (groups.get(pkg(n)) ?? 0) + n.hitCount);
}
// inclusive: each function counted once per stack
const inclusive = new Map<string, number>();
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
for (const n of profile.nodes) {
  if (!n.hitCount) continue;
  const seen = new Set<string>();
  for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
    const l = label(byId.get(id)!);
    if (seen.has(l)) continue;
    seen.add(l);
    inclusive.set(l, (inclusive.get(l) ?? 0) + n.hitCount);
  }
}
const show = (title: string, m: Map<string, number>) => {
  console.log(`\n== ${title}`);
  [...m]
    .filter(([k]) => !filter || k.includes(filter))
    .sort((a, b) => b[1] - a[1])
    .slice(0, rows)
    .forEach(([k, v]) =>
      console.log(`${((v / total) * 100).toFixed(1).padStart(5)}%  ${ms(v).toFixed(0).padStart(6)} ms  ${k}`),
    );
};
console.log(`${file}: ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s sampled, ${total} samples`);
show('self time by package', groups);
show('self time', self);
show('total time', inclusive);
