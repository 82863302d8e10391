// Production build (README "Running in production"): src/main.ts and the dependencies it uses as
// one ES module, dist/bin/main.mjs (or the file given: `tsx scripts/build.ts dist/other/main.mjs`;
// a second argument names another entry point, as bench/targets.ts does for bench/stack.ts).
// A start then loads ~2.4 MB of JavaScript instead of transpiling TypeScript and resolving ~1,000
// files (cold start: README "Benchmark").
//
// Packages that load files relative to their own directory (WebAssembly, SQL migrations, worker
// threads) stay in node_modules, and so does GraphiQL, which is imported on its first page view.
// dist/bin/ is two levels below the root, like src/db/, so paths such as `../../prisma/migrations`
// resolve the same from the bundle; an output file elsewhere must be two levels deep as well.
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const EXTERNAL = new Set([
  '@prisma/client', // query compiler (WebAssembly)
  '@prisma/adapter-pg',
  'pg', // optional native binding
  '@electric-sql/pglite', // WebAssembly and data files
  'pglite-prisma-adapter',
  'graphile-worker', // its own SQL migrations
  'pino', // worker-thread transports
  'ioredis',
  '@graphql-yoga/render-graphiql', // loaded lazily (src/http/graphiql.ts)
  // Traces (src/observability/tracing.ts), loaded only with OTEL_EXPORTER_OTLP_ENDPOINT; Prisma's
  // instrumentation hooks module loading, and the API must be the one copy the SDK registers with.
  '@opentelemetry/api',
  '@opentelemetry/sdk-trace-node',
  '@opentelemetry/resources',
  '@opentelemetry/exporter-trace-otlp-http',
  '@prisma/instrumentation',
]);
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

const outfile = process.argv[2] ?? 'dist/bin/main.mjs';
const startedAt = Date.now();
const { metafile } = await build({
  entryPoints: [process.argv[3] ?? 'src/main.ts'],
  outfile,
  metafile: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Without the sources (1.4 MB instead of 4.7 MB). Used only when started with
  // NODE_OPTIONS=--enable-source-maps: Node then parses the whole map at start and keeps it
  // (~40 MB more RSS with the sources embedded), which is why `npm start` leaves it off.
  sourcemap: true,
  sourcesContent: false,
  logLevel: 'warning',
  // CommonJS dependencies inside an ES module bundle still call require().
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  plugins: [
    {
      name: 'external-packages',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, ({ path }) =>
          EXTERNAL.has(packageOf(path)) ? { external: true } : undefined,
        );
      },
    },
  ],
});

// What the bundle was made from, for scripts/build-if-stale.mjs (`npm start` rebuilds only when one changed).
const inputs = Object.keys(metafile.inputs)
  .map((input) => path.resolve(input))
  .filter((file) => statSync(file, { throwIfNoEntry: false })?.isFile());
writeFileSync(`${outfile}.inputs.json`, JSON.stringify({ startedAt, inputs }));
