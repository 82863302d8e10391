// PostGraphile 5 (the Grafast planner) on the benchmark database, set up as bench/postgraphile.ts
// sets up PostGraphile 4: the V4 compatibility preset (`makeV4Preset`, on top of the Amber
// preset) with the same options, so the schema keeps v4's names (allContractors, nodeId,
// contractorById, NAME_ASC …) and run.ts sends the PostGraphile 4 requests unchanged; the v5
// ports of the many-to-many plugin and of the connection filter plugin (Q7's `updatedAt >=`);
// default CRUD mutations on (Q5 uses createGoal); no GraphiQL, no query log, no watch mode, no
// tenant or API-key checks (no roles / RLS set up).
//
// Its packages live in bench/postgraphile5/node_modules, apart from PostGraphile 4's (the v5
// plugins resolve postgraphile, grafast and graphile-build from the nearest node_modules).
// PostGraphile 5 needs Node 22+: on Node 20, @dataplan/pg's executor calls
// Promise.withResolvers(), which Node 20 lacks; the TypeError is swallowed by its
// Promise.allSettled and every list then fails in grafast's connection step with "Cannot read
// properties of undefined (reading 'items')". run.ts therefore starts this server with
// bench/postgraphile5/node_modules/node-linux-<arch>/bin/node (Node 22, an npm package) when
// the harness itself runs on an older Node (targets.ts).
//   DATABASE_URL=… PORT=… GRAPHILE_ENV=production node bench/postgraphile5/dist/server.mjs
import { createServer } from 'node:http';
import { PgManyToManyPreset } from '@graphile-contrib/pg-many-to-many';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { makeV4Preset } from 'postgraphile/presets/v4';
import { PostGraphileConnectionFilterPreset } from 'postgraphile-plugin-connection-filter';
import { serve } from '../serve.ts';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 10) });

const preset: GraphileConfig.Preset = {
  extends: [
    makeV4Preset({
      graphqlRoute: '/graphql',
      graphiql: false,
      watchPg: false,
      dynamicJson: true,
      setofFunctionsContainNulls: false,
      ignoreRBAC: false,
      simpleCollections: 'both', // Worker.qualificationsByWorkerIdList: a plain list, as in Crewgraph
      extendedErrors: ['errcode'],
      retryOnInitFail: false,
    }),
    PgManyToManyPreset,
    PostGraphileConnectionFilterPreset,
  ],
  pgServices: [makePgService({ pool, schemas: ['public'] })],
  // v4's graphileBuildOptions for the filter plugin; v4's `legacyRelations: 'omit'` has no v5 option
  // (the V4 preset already leaves out v4's legacy one-to-one connections).
  schema: { connectionFilterAllowedFieldTypes: ['Datetime'], connectionFilterRelations: false },
  grafserv: { websockets: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const server = createServer();
await pgl.createServ(grafserv).addTo(server);

serve(server, 'postgraphile5', 5101, async () => {
  await pgl.release();
  await pool.end();
});
