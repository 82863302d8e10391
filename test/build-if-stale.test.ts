import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from './support/process.ts';

// `npm start` runs scripts/build-if-stale.mjs first; here on a bundle of an entry point of its own,
// so neither the tree's dist/ nor its sources (which others may be editing) are involved. Staleness
// is made by dating an input after the build, not by waiting.
const outDir = mkdtempSync(path.join(tmpdir(), 'crewgraph-stale-'));
const outfile = path.join(outDir, 'bin', 'main.mjs');
const recordFile = `${outfile}.inputs.json`;
const entry = path.join(outDir, 'entry.ts');
const helper = path.join(outDir, 'helper.ts');
writeFileSync(entry, "import { helper } from './helper.ts';\nconsole.log(helper);\n");
writeFileSync(helper, "export const helper = 'bundled';\n");
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const buildIfStale = () =>
  spawnSync(process.execPath, ['scripts/build-if-stale.mjs', outfile, entry], { cwd: projectRoot, encoding: 'utf8' });
const record = () => JSON.parse(readFileSync(recordFile, 'utf8')) as { startedAt: number; inputs: string[] };

describe('npm start rebuilds the bundle only when a source changed', { timeout: 300_000 }, () => {
  it('builds when there is no bundle, then not again, then again once an input is newer than the build', () => {
    const first = buildIfStale();
    expect([first.status, first.stderr]).toEqual([0, `crewgraph: building ${outfile} (no previous build)\n`]);
    const built = record();
    expect(built.inputs.sort()).toEqual([entry, helper].sort());
    const bundleTime = statSync(outfile).mtimeMs;

    const second = buildIfStale();
    expect([second.status, second.stdout, second.stderr]).toEqual([0, '', '']);
    expect(statSync(outfile).mtimeMs).toBe(bundleTime);
    expect(record().startedAt).toBe(built.startedAt);

    // An imported file edited after the build began (dated a minute later, so no clock is involved).
    writeFileSync(helper, "export const helper = 'edited';\n");
    const later = new Date(built.startedAt + 60_000);
    utimesSync(helper, later, later);
    const third = buildIfStale();
    expect(third.status).toBe(0);
    expect(third.stderr).toMatch(/^crewgraph: building .* \(.*helper\.ts changed\)\n$/);
    expect(record().startedAt).toBeGreaterThan(built.startedAt);
    expect(readFileSync(outfile, 'utf8')).toContain('"edited"');
  });
});
