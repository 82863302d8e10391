// How the benchmark starts each target (run.ts, profile.ts).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import esbuild from 'esbuild';
import type { TargetName } from './shapes.ts';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH_DIR);

/**
 * Every target runs as compiled JavaScript, as in production: Crewgraph as `npm start` runs it
 * (its bundle, scripts/build.ts), and so is the stack alone (bench/stack.ts); PostGraphile and the
 * floor compiled by esbuild with their packages left in node_modules.
 */
export async function buildTargets() {
  const bundle = (...args: string[]) =>
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts', ...args], { cwd: ROOT, stdio: 'inherit' });
  bundle();
  // Bundled like Crewgraph (one copy of graphql-js), under dist/ so that its external packages
  // resolve from the root's node_modules, not bench/node_modules (PostGraphile's pg).
  bundle(TARGET_ENTRY.stack[0], 'bench/stack.ts');
  await esbuild.build({
    entryPoints: ['postgraphile.ts', 'floor.ts'].map((f) => path.join(BENCH_DIR, f)),
    outdir: path.join(BENCH_DIR, 'dist'),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
}
/** node arguments, relative to the repository root. */
export const TARGET_ENTRY: Record<TargetName, string[]> = {
  crewgraph: ['--enable-source-maps', 'dist/bin/main.mjs'],
  stack: ['dist/bench/stack.mjs'],
  postgraphile: ['bench/dist/postgraphile.mjs'],
  floor: ['bench/dist/floor.mjs'],
};
