import { createRequire } from 'node:module';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * Suites that start node processes, build the production bundle, drive Chromium or load the
 * machine for long: `npm test` runs them; `npm run test:api` (the in-process tier) does not.
 */
const PROCESS_SUITES = [
  'test/start-and-cli.test.ts',
  'test/multi-process.test.ts',
  'test/webhooks-process.test.ts',
  'test/usage-flush-on-shutdown.test.ts',
  'test/create-migration.test.ts',
  'test/production-build.test.ts',
  'test/graphiql-browser.test.ts',
];

/** What both tiers share; each project names its files. */
const shared = {
  // graphql 16 ships CJS and ESM builds; Node loads the CJS one for the libraries, so the
  // tests must too, or two copies of GraphQLEnumType meet ("from another module or realm").
  resolve: { alias: { graphql: require.resolve('graphql') } },
  // Bounds, not expectations: on a loaded 2-core machine (CI shares it) a test may run ten
  // times slower than on a quiet one, and must still pass.
  test: { pool: 'forks', testTimeout: 120_000, hookTimeout: 180_000 },
} satisfies TestProjectInlineConfiguration;

export default defineConfig({
  test: {
    // Migrates one embedded database per run; each test file gets a copy (test/support/database.ts).
    globalSetup: ['test/support/global-setup.ts'],
    // Each file gets its own database; a few at a time keeps the shared machine responsive.
    maxWorkers: 2,
    projects: [
      {
        ...shared,
        test: {
          ...shared.test,
          name: 'api',
          include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
          exclude: PROCESS_SUITES,
        },
      },
      { ...shared, test: { ...shared.test, name: 'process', include: PROCESS_SUITES } },
    ],
  },
});
