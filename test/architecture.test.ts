import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseConfig from 'dependency-cruiser/config-utl/extract-depcruise-config';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The import rules of src/ (docs/development.md, "Import rules"), written once in .dependency-cruiser.json
 * and checked here with dependency-cruiser, so a broken rule fails `npm test`.
 */
describe('import rules of src/', () => {
  let result: ICruiseResult;

  beforeAll(async () => {
    const ruleSet = await extractDepcruiseConfig('./.dependency-cruiser.json');
    const output = await cruise(['src'], { ...ruleSet.options, ruleSet, validate: true });
    result = output.output as ICruiseResult;
  }, 120_000);

  it('cruises the whole tree, from the entries down to core/', () => {
    const sources = result.modules.map((module) => module.source);
    for (const file of ['src/main.ts', 'src/cli.ts', 'src/schema.ts', 'src/http/server.ts', 'src/core/errors.ts']) {
      expect(sources).toContain(file);
    }
  });

  it('follows imports through to the libraries (so "never reaches Pothos" can fail)', () => {
    const reached = new Set<string>();
    const walk = (source: string) => {
      if (reached.has(source)) return;
      reached.add(source);
      for (const dependency of result.modules.find((m) => m.source === source)?.dependencies ?? []) {
        walk(dependency.resolved);
      }
    };
    walk('src/main.ts');
    expect([...reached].some((source) => source.includes('node_modules/@pothos/'))).toBe(true);
  });

  it('holds every rule: no circles, core and db at the bottom, auth on core and db, no Pothos in the HTTP edge, the CLI, the demo seed or the job worker', () => {
    const violations = result.summary.violations.map((v) =>
      [v.rule.name, v.from, ...(v.cycle ? v.cycle.map((step) => step.name) : [v.to])].join(' → '),
    );
    expect(violations).toEqual([]);
  });
});
