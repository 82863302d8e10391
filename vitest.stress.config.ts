import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * The stress and fault suite (test/stress/**\/*.stress.ts): real server processes on
 * PostgreSQL under load, restarts and signals. Kept out of `npm test` (whose include is
 * test/**\/*.test.ts); run with `npx vitest run -c vitest.stress.config.ts`.
 */
export default defineConfig({
  // Same reason as vitest.config.ts: one copy of graphql (the CJS build) for tests and libraries.
  resolve: { alias: { graphql: require.resolve('graphql') } },
  test: {
    include: ['test/stress/**/*.stress.ts'],
    pool: 'forks',
    // One file at a time: each one loads the machine on purpose.
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
  },
});
