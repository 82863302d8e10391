import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  // graphql 16 ships CJS and ESM builds; Node loads the CJS one for the libraries, so the
  // tests must too, or two copies of GraphQLEnumType meet ("from another module or realm").
  resolve: { alias: { graphql: require.resolve('graphql') } },
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file gets its own database; a few at a time keeps the shared machine responsive.
    maxWorkers: 2,
  },
});
