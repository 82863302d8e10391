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
 * (its bundle, scripts/build.ts), PostGraphile and the floor compiled by esbuild with their
 * packages left in node_modules.
 */
export async function buildTargets() {
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: ROOT, stdio: 'inherit' });
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
  postgraphile: ['bench/dist/postgraphile.mjs'],
  floor: ['bench/dist/floor.mjs'],
};
