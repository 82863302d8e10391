// The floor: a minimal node:http endpoint answering the benchmark's query shapes with one
// hand-tuned SQL statement each (json_agg building the whole response inside PostgreSQL,
// prepared once per connection), no GraphQL. It answers exactly the JSON the GraphQL
// targets answer, so run.ts can check the three agree. No authentication, and the tenant is
// a plain organizationId filter.
//   DATABASE_URL=… PORT=… node --import tsx bench/floor.ts
// POST /graphql with {"op": "Q2", "vars": {…}}.
import { createServer } from 'node:http';
import pg from 'pg';
import { serve } from './serve.ts';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 10) });

type Vars = Record<string, string>;
interface Op {
  sql?: string;
  values?: (vars: Vars) => unknown[];
  constant?: string;
}

const OPS: Record<string, Op> = {
  Q0: { constant: '{"data":{"__typename":"Query"}}' },

  Q1: {
    sql: `SELECT json_build_object('node', (
            SELECT json_build_object('__typename', 'Contractor', 'name', name, 'city', city,
                                     'approvalStatus', "approvalStatus", 'tags', tags)
            FROM "Contractor" WHERE id = $2 AND "organizationId" = $1))::text AS data`,
    values: (v) => [v.organizationId, v.id],
  },

  Q2: {
    sql: `SELECT json_build_object('contractors', json_build_object('edges', coalesce(json_agg(
              json_build_object('node', json_build_object('name', c.name, 'city', c.city, 'approvalStatus', c."approvalStatus",
                                'projects', json_build_object('edges', pr.edges)))
              ORDER BY c.name, c.id), '[]')))::text AS data
          FROM (SELECT id, name, city, "approvalStatus" FROM "Contractor"
                WHERE "organizationId" = $1 AND "approvalStatus" = 'APPROVED'
                ORDER BY name, id LIMIT 20) c
          CROSS JOIN LATERAL (
            SELECT coalesce(json_agg(json_build_object('node', json_build_object('code', p.code, 'name', p.name))
                                     ORDER BY p.name, p.id), '[]') AS edges
            FROM (SELECT p.id, p.code, p.name FROM "Project" p JOIN "_ContractorProjects" cp ON cp."B" = p.id
                  WHERE cp."A" = c.id ORDER BY p.name, p.id LIMIT 5) p) pr`,
    values: (v) => [v.organizationId],
  },

  Q3: {
    sql: `SELECT json_build_object('projects', json_build_object('edges', coalesce(json_agg(
              json_build_object('node', json_build_object('code', p.code, 'name', p.name,
                                'contractors', json_build_object('edges', pc.edges)))
              ORDER BY p.name, p.id), '[]')))::text AS data
          FROM (SELECT id, code, name FROM "Project" WHERE "organizationId" = $1 ORDER BY name, id LIMIT 10) p
          CROSS JOIN LATERAL (
            SELECT coalesce(json_agg(json_build_object('node', json_build_object('name', c.name,
                                     'workers', json_build_object('edges', cw.edges)))
                                     ORDER BY c.name, c.id), '[]') AS edges
            FROM (SELECT c.id, c.name FROM "Contractor" c JOIN "_ContractorProjects" cp ON cp."A" = c.id
                  WHERE cp."B" = p.id ORDER BY c.name, c.id LIMIT 10) c
            CROSS JOIN LATERAL (
              SELECT coalesce(json_agg(json_build_object('node', json_build_object('firstName', w."firstName",
                                       'lastName', w."lastName", 'trade', w.trade, 'qualifications', wq.list))
                                       ORDER BY w."lastName", w."firstName", w.id), '[]') AS edges
              FROM (SELECT id, "firstName", "lastName", trade FROM "Worker" WHERE "contractorId" = c.id
                    ORDER BY "lastName", "firstName", id LIMIT 10) w
              CROSS JOIN LATERAL (
                SELECT coalesce(json_agg(json_build_object('name', q.name, 'status', q.status, 'expiresOn', q."expiresOn")
                                         ORDER BY q.name, q.id), '[]') AS list
                FROM "Qualification" q WHERE q."workerId" = w.id) wq) cw) pc`,
    values: (v) => [v.organizationId],
  },

  Q6: {
    sql: `SELECT json_build_object('projects', json_build_object('edges', coalesce(json_agg(
              json_build_object('node', json_build_object('code', p.code, 'contractors', json_build_object('edges', pc.edges)))
              ORDER BY p.name, p.id), '[]')))::text AS data
          FROM (SELECT id, code, name FROM "Project" WHERE "organizationId" = $1 ORDER BY name, id LIMIT 50) p
          CROSS JOIN LATERAL (
            SELECT coalesce(json_agg(json_build_object('node', json_build_object('name', c.name)) ORDER BY c.name, c.id), '[]') AS edges
            FROM (SELECT c.id, c.name FROM "Contractor" c JOIN "_ContractorProjects" cp ON cp."A" = c.id
                  WHERE cp."B" = p.id ORDER BY c.name, c.id LIMIT 1) c) pc`,
    values: (v) => [v.organizationId],
  },

  // Keyset page after the cursor (base64url JSON [name, id]) with the total in the same statement.
  Q4: {
    sql: `SELECT json_build_object('contractors', json_build_object(
              'totalCount', (SELECT count(*) FROM "Contractor" WHERE "organizationId" = $1),
              'pageInfo', json_build_object('hasNextPage', count(*) > 20),
              'edges', coalesce(json_agg(json_build_object('node', json_build_object('name', c.name, 'city', c.city))
                                ORDER BY c.name, c.id) FILTER (WHERE c.n <= 20), '[]')))::text AS data
          FROM (SELECT name, city, id, row_number() OVER (ORDER BY name, id) AS n FROM "Contractor"
                WHERE "organizationId" = $1 AND (name, id) > ($2, $3::uuid)
                ORDER BY name, id LIMIT 21) c`,
    values: (v) => {
      const [name, id] = JSON.parse(Buffer.from(v.after, 'base64url').toString('utf8')) as [string, string];
      return [v.organizationId, name, id];
    },
  },

  // The sync walk: keyset page after the cursor (base64url JSON [updatedAt, id]) of the rows changed since.
  Q7: {
    sql: `SELECT json_build_object('contractors', json_build_object(
              'pageInfo', json_build_object('hasNextPage', count(*) > 100),
              'edges', coalesce(json_agg(json_build_object('node', json_build_object('name', c.name, 'city', c.city))
                                ORDER BY c."updatedAt", c.id) FILTER (WHERE c.n <= 100), '[]')))::text AS data
          FROM (SELECT name, city, "updatedAt", id, row_number() OVER (ORDER BY "updatedAt", id) AS n FROM "Contractor"
                WHERE "organizationId" = $1 AND "updatedAt" >= $2::timestamptz
                  AND ("updatedAt", id) > ($3::timestamptz, $4::uuid)
                ORDER BY "updatedAt", id LIMIT 101) c`,
    values: (v) => {
      const [updatedAt, id] = JSON.parse(Buffer.from(v.after, 'base64url').toString('utf8')) as [string, string];
      return [v.organizationId, v.since, updatedAt, id];
    },
  },

  Q5: {
    sql: `INSERT INTO "Goal" (id, "organizationId", "projectId", "ownerId", title, status, progress)
          VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6)
          RETURNING json_build_object('createGoal', json_build_object('goal',
                      json_build_object('title', title, 'status', status, 'progress', progress)))::text AS data`,
    values: (v) => [v.organizationId, v.projectId, v.ownerId, v.title, v.status, Number(v.progress)],
  },
};

function send(res: import('node:http').ServerResponse, status: number, body: string) {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/graphql') return send(res, 404, '{"errors":[{"message":"not found"}]}');
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', async () => {
    try {
      const { op: name, vars = {} } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { op: string; vars?: Vars };
      const op = OPS[name];
      if (!op) return send(res, 400, '{"errors":[{"message":"unknown op"}]}');
      if (op.constant) return send(res, 200, op.constant);
      const { rows } = await pool.query<{ data: string }>({ name, text: op.sql!, values: op.values!(vars) });
      send(res, 200, `{"data":${rows[0].data}}`);
    } catch (error) {
      send(res, 500, JSON.stringify({ errors: [{ message: (error as Error).message }] }));
    }
  });
});
serve(server, 'floor', 5200, () => pool.end());
