import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const read = (file: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`../${file}`, import.meta.url)), 'utf8'));
const manifest = read('package.json') as { engines: { node: string } };
const lock = read('package-lock.json') as {
  packages: Record<string, { version?: string; engines?: unknown; dependencies?: Record<string, string> }>;
};
const claim = manifest.engines.node;

/** A package's name from its place in the lockfile (`node_modules/a/node_modules/@b/c` → `@b/c`). */
const nameOf = (place: string) => place.slice(place.lastIndexOf('node_modules/') + 'node_modules/'.length);

/**
 * Packages allowed to declare less than the claim, each only where the named package pulls it in.
 * `@prisma/streams-local` (Node >= 22) is imported lazily by `@prisma/dev` for `prisma dev`, the
 * local Prisma Postgres command, which Crewgraph never runs; the prisma CLI itself declares
 * ^20.19 || ^22.12 || >=24.
 */
const EXCEPTIONS: Record<string, { requiredBy: string }> = {
  '@prisma/streams-local': { requiredBy: '@prisma/dev' },
};

/** Every installed package whose `engines.node` leaves out a Node version package.json claims. */
function narrowerThanClaim() {
  return Object.entries(lock.packages).flatMap(([place, entry]) => {
    const engines = entry.engines as { node?: unknown } | undefined;
    const node = engines && !Array.isArray(engines) ? engines.node : undefined;
    if (!place || typeof node !== 'string' || semver.subset(claim, node)) return [];
    return [{ name: nameOf(place), version: entry.version, node }];
  });
}

describe('the Node versions package.json claims', () => {
  it('is a range that includes the Node running this suite', () => {
    expect(semver.validRange(claim)).not.toBeNull();
    expect(semver.satisfies(process.versions.node, claim)).toBe(true);
  });

  it('are supported by every installed package, but for the listed exceptions', () => {
    const offenders = narrowerThanClaim().filter(({ name }) => !(name in EXCEPTIONS));
    expect(offenders).toEqual([]);
  });

  it('exceptions are still needed and pulled in only where their reason says', () => {
    const present = new Set(narrowerThanClaim().map(({ name }) => name));
    for (const [name, { requiredBy }] of Object.entries(EXCEPTIONS)) {
      expect(present.has(name), `${name} no longer needs its exception`).toBe(true);
      const dependents = Object.entries(lock.packages)
        .filter(([, entry]) => entry.dependencies && name in entry.dependencies)
        .map(([place]) => nameOf(place));
      expect(new Set(dependents)).toEqual(new Set([requiredBy]));
    }
  });
});
