// Splits a server's .cpuprofile (bench/profile.ts --cpu-prof dir --sources) into Crewgraph's
// per-request stages (issue 17), for one shape per profile:
//   npx tsx bench/cpuprofile-stages.ts <file.cpuprofile> [cpu-ms-per-request]
// Each sample goes to the stage of the innermost frame of a stage's own code (authentication,
// limits and cost, logging, usage counting, error contract) anywhere on its stack, else to the
// innermost frame that names a part of the stack (execution, parse and validate, HTTP and
// Yoga, database driver). Idle time and the start-up (until the last sample that compiles a
// module) are left out; the shares are of the rest. With the shape's CPU ms per request (the
// server's figure printed by profile.ts), each share is also given in ms per request.
// The database driver is its own row: a statement's answer is parsed in a socket callback whose
// stack no longer names who sent it (authentication's lookup or an execution statement).
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

/** Stages of Crewgraph's own code: any frame of them on the stack claims the sample. */
const OWN_STAGES: [stage: string, pattern: RegExp][] = [
  ['authentication', /\/src\/auth\/|\/src\/http\/authentication\.ts/],
  ['limits and cost', /\/src\/http\/limits\/|graphql-armor|graphql-query-complexity|rate-limiter-flexible/],
  ['logging', /\/src\/logger\.ts|\/src\/http\/request-info\.ts|node_modules\/(pino|sonic-boom|thread-stream)/],
  ['usage counting', /\/src\/http\/usage-counting\.ts|\/src\/modules\/usage\//],
  ['error contract', /\/src\/http\/error-contract\.ts|\/src\/core\/errors\.ts/],
];
/** Parts of the stack: the innermost one on the stack claims a sample no own stage claimed. */
const STACK_PARTS: [part: string, pattern: RegExp][] = [
  ['database driver', /node_modules\/(pg|pg-protocol|pg-pool|pg-types|@prisma\/adapter-pg)\//],
  ['parse and validate', /node_modules\/graphql\/(language|validation)\//],
  [
    'execution',
    /node_modules\/(graphql\/(execution|type|jsutils)|@pothos|@prisma\/client|dataloader)|\/src\/(graphql|modules|schema)/,
  ],
  ['HTTP and Yoga', /node_modules\/(graphql-yoga|@whatwg-node|@envelop|@graphql-yoga)|^node:(_http|net|stream|internal\/stream)/],
];
const STARTUP = /compileSourceTextModule|wrapSafe|compileForInternalLoader|makeAsyncRequest|makeSyncRequest/;

const [file, cpuArg] = process.argv.slice(2);
if (!file) throw new Error('usage: cpuprofile-stages.ts <file.cpuprofile> [cpu-ms-per-request]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const stackOf = (id: number) => {
  const frames: Node[] = [];
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) frames.push(byId.get(at)!);
  return frames;
};

function stageOf(id: number): string | null {
  const frames = stackOf(id);
  const leaf = frames[0].callFrame.functionName;
  if (leaf === '(idle)') return null;
  if (leaf === '(garbage collector)') return 'garbage collection (all stages)';
  for (const frame of frames) for (const [stage, pattern] of OWN_STAGES) if (pattern.test(frame.callFrame.url)) return stage;
  // Node's own frames (a socket write) belong to the package that called them.
  const packaged = frames.filter((frame) => !frame.callFrame.url.startsWith('node:'));
  for (const frame of [...packaged, ...frames])
    for (const [part, pattern] of STACK_PARTS) if (pattern.test(frame.callFrame.url)) return part;
  return 'other (Node internals, native)';
}

// The start-up ends with the last sample that compiles or loads a module.
const isStartup = new Map<number, boolean>();
const startup = (id: number) => {
  if (!isStartup.has(id)) isStartup.set(id, stackOf(id).some((n) => STARTUP.test(n.callFrame.functionName)));
  return isStartup.get(id)!;
};
let from = 0;
profile.samples.forEach((id, i) => {
  if (startup(id)) from = i + 1;
});

const hits = new Map<string, number>();
const cache = new Map<number, string | null>();
let counted = 0;
for (const id of profile.samples.slice(from)) {
  if (!cache.has(id)) cache.set(id, stageOf(id));
  const stage = cache.get(id);
  if (!stage) continue;
  hits.set(stage, (hits.get(stage) ?? 0) + 1);
  counted++;
}

const cpuMs = cpuArg ? Number(cpuArg) : null;
console.log(`${file}: ${counted} busy samples after start-up (of ${profile.samples.length})`);
console.log(`| stage | share | ${cpuMs ? 'ms per request |' : ''}`);
console.log(`|---|--:|${cpuMs ? '--:|' : ''}`);
for (const [stage, n] of [...hits].sort((a, b) => b[1] - a[1])) {
  const share = n / counted;
  console.log(`| ${stage} | ${(share * 100).toFixed(1)} % |${cpuMs ? ` ${(share * cpuMs).toFixed(3)} |` : ''}`);
}
