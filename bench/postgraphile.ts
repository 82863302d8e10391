// PostGraphile 4 on the benchmark database, configured the way its docs recommend for
// production (no GraphiQL, no query log, no watch mode), plus the many-to-many plugin so
// Contractor.projects / Project.contractors exist as they do in Crewgraph, and the connection
// filter plugin for Q7's `updatedAt >=`. Default CRUD
// mutations stay on (Q5 uses createGoal). It does no tenant or API-key checks: PostgreSQL
// roles / RLS would be the PostGraphile way, and none are set up here.
//   DATABASE_URL=… PORT=… node --import tsx bench/postgraphile.ts
import { createServer } from 'node:http';
import PgManyToManyPlugin from '@graphile-contrib/pg-many-to-many';
import ConnectionFilterPlugin from 'postgraphile-plugin-connection-filter';
import pg from 'pg';
import { postgraphile, type Plugin } from 'postgraphile';
import { serve } from './serve.ts';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 10) });

const handler = postgraphile(pool, 'public', {
  graphqlRoute: '/graphql',
  graphiql: false,
  watchPg: false,
  disableQueryLog: true,
  dynamicJson: true,
  setofFunctionsContainNulls: false,
  ignoreRBAC: false,
  legacyRelations: 'omit',
  simpleCollections: 'both', // Worker.qualificationsByWorkerIdList: a plain list, as in Crewgraph
  enableQueryBatching: false,
  extendedErrors: ['errcode'],
  // The package's types say `export default`, but it is CommonJS: the default import is the plugin itself.
  // Connection filters for Q7's `updatedAt >=` (the sync walk); PostGraphile's `condition` is equality only.
  appendPlugins: [PgManyToManyPlugin as unknown as Plugin, ConnectionFilterPlugin as unknown as Plugin],
  graphileBuildOptions: { connectionFilterAllowedFieldTypes: ['Datetime'], connectionFilterRelations: false },
  retryOnInitFail: false,
});

serve(createServer(handler), 'postgraphile', 5100, () => pool.end());
