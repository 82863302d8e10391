// The query shapes of issue 7, written for each target so that all three answer the same
// JSON `data` (PostGraphile fields are aliased to Crewgraph's names; the floor builds the
// same objects in SQL). run.ts checks that they agree before measuring anything.
import pg from 'pg';
import type { BenchData } from './seed.ts';

export type TargetName = 'crewgraph' | 'stack' | 'postgraphile' | 'postgraphile5' | 'floor';
export type ShapeId = 'Q0' | 'Q1' | 'Q2' | 'Q2key' | 'Q3' | 'Q4' | 'Q5' | 'Q6' | 'Q7';

export const SHAPES: { id: ShapeId; title: string }[] = [
  { id: 'Q0', title: '`{ __typename }`' },
  { id: 'Q1', title: '`node(id)` of a contractor' },
  { id: 'Q2', title: 'contractors(first: 20, status: APPROVED) → projects(first: 5), admin token' },
  { id: 'Q2key', title: 'Q2 with an API key (all 50 projects, read/write)' },
  { id: 'Q3', title: 'projects(10) → contractors(10) → workers(10) → qualifications' },
  { id: 'Q4', title: 'contractors(first: 20, after: row 2,500) with totalCount' },
  { id: 'Q6', title: 'projects(50) → contractors(1): the fan-out of a nested many-to-many page' },
  { id: 'Q7', title: 'the sync walk: contractors by UPDATED_AT, updatedSince, first: 100 after row 2,500' },
  { id: 'Q5', title: 'createGoal mutation' },
];

export interface BenchRequest {
  body: string;
  headers: Record<string, string>;
  /** `{{UUID}}` in the body is replaced by a fresh UUID for every request (wrk.lua). */
  uuidPerRequest?: boolean;
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };
const gql = (query: string, variables?: Record<string, unknown>) =>
  JSON.stringify(variables ? { query, variables } : { query });
const squeeze = (query: string) => query.replace(/\s+/g, ' ').trim();

const Q0 = '{ __typename }';

// ---------------------------------------------------------------- Crewgraph
const CREW = {
  Q1: `query($id: ID!) { node(id: $id) { __typename ... on Contractor { name city approvalStatus tags } } }`,
  Q2: `{ contractors(first: 20, status: APPROVED) { edges { node { name city approvalStatus
         projects(first: 5) { edges { node { code name } } } } } } }`,
  Q3: `{ projects(first: 10) { edges { node { code name
         contractors(first: 10) { edges { node { name
           workers(first: 10) { edges { node { firstName lastName trade
             qualifications { name status expiresOn } } } } } } } } } } }`,
  Q4: `query($after: String) { contractors(first: 20, after: $after) { totalCount pageInfo { hasNextPage }
         edges { node { name city } } } }`,
  Q5: `mutation($input: CreateGoalInput!) { createGoal(input: $input) { goal { title status progress } userErrors { code } } }`,
  Q6: `{ projects(first: 50) { edges { node { code contractors(first: 1) { edges { node { name } } } } } } }`,
  Q7: `query($since: DateTime!, $after: String) { contractors(orderBy: { field: UPDATED_AT }, updatedSince: $since,
         first: 100, after: $after) { pageInfo { hasNextPage } edges { node { name city } } } }`,
};

/**
 * Q7's `updatedSince`: the bench data's changes are one a minute from 2026-01-01 (seed.sql), so
 * this keeps the last 4,000 of the 5,000 contractors, and the page after row 2,500 lies inside.
 */
export const Q7_SINCE = '2026-01-01T16:40:00.000Z';
export const Q7_OFFSET = 2500;

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64url');

async function post(url: string, body: string, headers: Record<string, string>): Promise<any> {
  const res = await fetch(url, { method: 'POST', body, headers: { ...JSON_HEADERS, ...headers } });
  const json = await res.json();
  if (!res.ok || json.errors) throw new Error(`${res.status} ${JSON.stringify(json).slice(0, 500)}`);
  return json;
}

// ---------------------------------------------------------------- PostGraphile
// PostGraphile 5 runs with the V4 compatibility preset (postgraphile5/server.ts), whose schema keeps
// these field, argument and enum names (nodeId, allContractors, Cursor, NAME_ASC …) and the filter
// plugin's operators: both versions get the same requests.
const pgl = (d: BenchData) => {
  const org = `organizationId: "${d.organizationId}"`;
  return {
    Q1: `query($id: ID!) { node(nodeId: $id) { __typename ... on Contractor { name city approvalStatus tags } } }`,
    Q2: `{ contractors: allContractors(first: 20, condition: { ${org}, approvalStatus: APPROVED }, orderBy: [NAME_ASC, ID_ASC]) {
           edges { node { name city approvalStatus
             projects: projectsByContractorProjectAAndB(first: 5, orderBy: [NAME_ASC, ID_ASC]) { edges { node { code name } } } } } } }`,
    Q3: `{ projects: allProjects(first: 10, condition: { ${org} }, orderBy: [NAME_ASC, ID_ASC]) { edges { node { code name
           contractors: contractorsByContractorProjectBAndA(first: 10, orderBy: [NAME_ASC, ID_ASC]) { edges { node { name
             workers: workersByContractorId(first: 10, orderBy: [LAST_NAME_ASC, FIRST_NAME_ASC, ID_ASC]) { edges { node {
               firstName lastName trade
               qualifications: qualificationsByWorkerIdList(orderBy: [NAME_ASC, ID_ASC]) { name status expiresOn } } } } } } } } } } }`,
    Q4: `query($after: Cursor) { contractors: allContractors(first: 20, after: $after, condition: { ${org} }, orderBy: [NAME_ASC, ID_ASC]) {
           totalCount pageInfo { hasNextPage } edges { node { name city } } } }`,
    Q5: `mutation { createGoal(input: { goal: { id: "{{UUID}}", ${org}, projectId: "${d.projectId}", ownerId: "${d.ownerId}",
           title: "Bench goal", status: ON_TRACK, progress: 10 } }) { goal { title status progress } } }`,
    Q6: `{ projects: allProjects(first: 50, condition: { ${org} }, orderBy: [NAME_ASC, ID_ASC]) { edges { node { code
           contractors: contractorsByContractorProjectBAndA(first: 1, orderBy: [NAME_ASC, ID_ASC]) { edges { node { name } } } } } } }`,
    Q7: `query($after: Cursor) { contractors: allContractors(first: 100, after: $after, condition: { ${org} },
           filter: { updatedAt: { greaterThanOrEqualTo: "${Q7_SINCE}" } }, orderBy: [UPDATED_AT_ASC, ID_ASC]) {
           pageInfo { hasNextPage } edges { node { name city } } } }`,
  };
};

/** Position of the Q4 cursor: the page starts after this many contractors (by name, id). */
export const Q4_OFFSET = 2500;

/**
 * Builds the requests of every shape for a running target. Needs the target up: the
 * Crewgraph and PostGraphile cursors (and PostGraphile's node id) are read through their APIs.
 */
export async function requestsFor(
  target: TargetName,
  url: string,
  d: BenchData,
): Promise<Partial<Record<ShapeId, BenchRequest>>> {
  // The stack (bench/stack.ts) answers Crewgraph's requests and ignores their tokens.
  if (target === 'crewgraph' || target === 'stack') {
    const admin = { authorization: `Bearer ${d.adminToken}` };
    const key = { authorization: `Bearer ${d.apiKeyToken}` };
    // Page to the cursor the way a client would: 25 pages of 100.
    let after: string | null = null;
    for (let seen = 0; seen < Q4_OFFSET; seen += 100) {
      const page: any = await post(
        url,
        gql('query($after: String) { contractors(first: 100, after: $after) { pageInfo { endCursor } } }', { after }),
        admin,
      );
      after = page.data.contractors.pageInfo.endCursor;
    }
    // The stack alone has no Q7 (run.ts): only Crewgraph pages to its cursor.
    let syncAfter: string | null = null;
    for (let seen = 0; target === 'crewgraph' && seen < Q7_OFFSET; seen += 100) {
      const page: any = await post(
        url,
        gql(
          `query($since: DateTime!, $after: String) { contractors(orderBy: { field: UPDATED_AT }, updatedSince: $since,
             first: 100, after: $after) { pageInfo { endCursor } } }`,
          { since: Q7_SINCE, after: syncAfter },
        ),
        admin,
      );
      syncAfter = page.data.contractors.pageInfo.endCursor;
    }
    const req = (query: string, headers: Record<string, string>, variables?: Record<string, unknown>) => ({
      body: gql(squeeze(query), variables),
      headers: { ...JSON_HEADERS, ...headers },
    });
    return {
      Q0: req(Q0, admin),
      Q1: req(CREW.Q1, admin, { id: globalId('Contractor', d.contractorId) }),
      Q2: req(CREW.Q2, admin),
      Q2key: req(CREW.Q2, key),
      Q3: req(CREW.Q3, admin),
      Q4: req(CREW.Q4, admin, { after }),
      Q6: req(CREW.Q6, admin),
      Q7: req(CREW.Q7, admin, { since: Q7_SINCE, after: syncAfter }),
      Q5: req(CREW.Q5, admin, {
        input: {
          projectId: globalId('Project', d.projectId),
          ownerId: globalId('Person', d.ownerId),
          title: 'Bench goal',
          status: 'ON_TRACK',
          progress: 10,
        },
      }),
    };
  }

  if (target === 'postgraphile' || target === 'postgraphile5') {
    const q = pgl(d);
    const node: any = await post(url, gql(`{ contractorById(id: "${d.contractorId}") { nodeId } }`), {});
    const cursor: any = await post(
      url,
      gql(
        `{ allContractors(first: 1, offset: ${Q4_OFFSET - 1}, condition: { organizationId: "${d.organizationId}" }, orderBy: [NAME_ASC, ID_ASC]) { edges { cursor } } }`,
      ),
      {},
    );
    const syncCursor: any = await post(
      url,
      gql(
        `{ allContractors(first: 1, offset: ${Q7_OFFSET - 1}, condition: { organizationId: "${d.organizationId}" },
           filter: { updatedAt: { greaterThanOrEqualTo: "${Q7_SINCE}" } }, orderBy: [UPDATED_AT_ASC, ID_ASC]) { edges { cursor } } }`,
      ),
      {},
    );
    const req = (query: string, variables?: Record<string, unknown>) => ({
      body: gql(squeeze(query), variables),
      headers: { ...JSON_HEADERS },
    });
    return {
      Q0: req(Q0),
      Q1: req(q.Q1, { id: node.data.contractorById.nodeId }),
      Q2: req(q.Q2),
      Q3: req(q.Q3),
      Q4: req(q.Q4, { after: cursor.data.allContractors.edges[0].cursor }),
      Q5: { ...req(q.Q5), uuidPerRequest: true },
      Q6: req(q.Q6),
      Q7: req(q.Q7, { after: syncCursor.data.allContractors.edges[0].cursor }),
    };
  }

  // floor: the cursor is the (name, id) of row Q4_OFFSET, read straight from the database.
  const client = new pg.Client({ connectionString: d.url });
  await client.connect();
  const { rows } = await client.query(
    `SELECT name, id FROM "Contractor" WHERE "organizationId" = $1 ORDER BY name, id OFFSET $2 LIMIT 1`,
    [d.organizationId, Q4_OFFSET - 1],
  );
  const sync = await client.query(
    `SELECT "updatedAt", id FROM "Contractor" WHERE "organizationId" = $1 AND "updatedAt" >= $2
     ORDER BY "updatedAt", id OFFSET $3 LIMIT 1`,
    [d.organizationId, Q7_SINCE, Q7_OFFSET - 1],
  );
  await client.end();
  const after = Buffer.from(JSON.stringify([rows[0].name, rows[0].id])).toString('base64url');
  const syncAfter = Buffer.from(
    JSON.stringify([(sync.rows[0].updatedAt as Date).toISOString(), sync.rows[0].id]),
  ).toString('base64url');
  const op = (name: string, vars: Record<string, string> = {}) => ({
    body: JSON.stringify({ op: name, vars: { organizationId: d.organizationId, ...vars } }),
    headers: { ...JSON_HEADERS },
  });
  return {
    Q0: op('Q0'),
    Q1: op('Q1', { id: d.contractorId }),
    Q2: op('Q2'),
    Q3: op('Q3'),
    Q4: op('Q4', { after }),
    Q6: op('Q6'),
    Q7: op('Q7', { since: Q7_SINCE, after: syncAfter }),
    Q5: op('Q5', {
      projectId: d.projectId,
      ownerId: d.ownerId,
      title: 'Bench goal',
      status: 'ON_TRACK',
      progress: '10',
    }),
  };
}

/** Sends one request as wrk would (with a fresh UUID where needed) and returns the parsed answer. */
export async function sendOnce(url: string, r: BenchRequest): Promise<{ status: number; json: any; bytes: number }> {
  const body = r.uuidPerRequest ? r.body.replaceAll('{{UUID}}', crypto.randomUUID()) : r.body;
  const res = await fetch(url, { method: 'POST', body, headers: r.headers });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = { unparsable: text.slice(0, 200) };
  }
  return { status: res.status, json, bytes: Buffer.byteLength(text) };
}

/** The part of an answer the targets must agree on (Crewgraph's userErrors is its own). */
export function comparable(shape: ShapeId, json: any): unknown {
  if (shape === 'Q5') return json?.data?.createGoal?.goal;
  return json?.data;
}
