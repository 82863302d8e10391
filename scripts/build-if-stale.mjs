// `npm start` (prestart): runs scripts/build.ts only when the bundle is missing or something it
// was made from changed since its build began: a bundled file (scripts/build.ts lists them in
// <bundle>.inputs.json), the build script, or the installed packages. Plain JavaScript, so the
// check itself costs milliseconds, not a TypeScript loader's start.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// The arguments of scripts/build.ts: the bundle, and another entry point than src/main.ts (tests).
const [outfile = 'dist/bin/main.mjs', entry] = process.argv.slice(2);
/** npm writes node_modules/.package-lock.json on every install; package files keep their packed dates. */
const ALWAYS_CHECKED = ['scripts/build.ts', 'package.json', 'package-lock.json', 'node_modules/.package-lock.json'];

function staleBecause() {
  let record;
  try {
    record = JSON.parse(readFileSync(path.resolve(root, `${outfile}.inputs.json`), 'utf8'));
    statSync(path.resolve(root, outfile));
  } catch {
    return 'no previous build';
  }
  const optional = ALWAYS_CHECKED.map((file) => path.resolve(root, file));
  for (const file of [...record.inputs, ...optional]) {
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat) {
      if (optional.includes(file)) continue;
      return `${path.relative(root, file)} is gone`;
    }
    if (stat.mtimeMs > record.startedAt) return `${path.relative(root, file)} changed`;
  }
  return undefined;
}

const reason = staleBecause();
if (reason) {
  console.error(`crewgraph: building ${outfile} (${reason})`);
  const build = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/build.ts', outfile, ...(entry ? [entry] : [])],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  process.exit(build.status ?? 1);
}
