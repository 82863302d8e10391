// How the benchmark starts each target (run.ts, profile.ts).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import esbuild from 'esbuild';
import type { TargetName } from './shapes.ts';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH_DIR);
/** PostGraphile 5's server and its own package.json / node_modules. */
export const PG5_DIR = path.join(BENCH_DIR, 'postgraphile5');

/**
 * Every target runs as compiled JavaScript, as in production: Crewgraph as `npm start` runs it
 * (its bundle, scripts/build.ts), and so is the stack alone (bench/stack.ts); PostGraphile 4 and 5
 * and the floor compiled by esbuild with their packages left in node_modules.
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
  // PostGraphile 5 under its own node_modules (bench/postgraphile5/package.json), so that its
  // packages resolve there and not to PostGraphile 4's in bench/node_modules.
  await esbuild.build({
    entryPoints: [path.join(PG5_DIR, 'server.ts')],
    outdir: path.join(PG5_DIR, 'dist'),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node22',
    logLevel: 'warning',
  });
}

/**
 * The Node binary a target runs on: the harness's own, except for PostGraphile 5, which needs
 * Node 22+ (it calls Promise.withResolvers; on Node 20 every list fails, see
 * postgraphile5/server.ts). On an older Node it runs on the Node 22 of the npm package
 * node-<platform>-<arch> in bench/postgraphile5/node_modules; the product stays on its own Node.
 */
export function nodeFor(target: TargetName): string {
  if (target !== 'postgraphile5' || Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  const bin = path.join(PG5_DIR, 'node_modules', `node-${process.platform}-${process.arch}`, 'bin', 'node');
  if (!existsSync(bin)) {
    throw new Error(
      `PostGraphile 5 needs Node 22+; this is Node ${process.versions.node} and there is no ${path.relative(ROOT, bin)} ` +
        '(npm ci in bench/postgraphile5 installs it on linux-x64 and linux-arm64): run the benchmark on Node 22+.',
    );
  }
  return bin;
}

/** `node --version` of the binary a target runs on. */
export function nodeVersionOf(target: TargetName): string {
  const bin = nodeFor(target);
  return bin === process.execPath ? process.version : execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
}
/** node arguments, relative to the repository root (the binary: nodeFor). */
export const TARGET_ENTRY: Record<TargetName, string[]> = {
  crewgraph: ['dist/bin/main.mjs'],
  stack: ['dist/bench/stack.mjs'],
  postgraphile: ['bench/dist/postgraphile.mjs'],
  postgraphile5: ['bench/postgraphile5/dist/server.mjs'],
  floor: ['bench/dist/floor.mjs'],
};
