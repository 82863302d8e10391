import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globalId, organizationWith, type OrganizationScenario } from './support/scenarios.ts';
import { startTestServer, type TestServer } from './support/server.ts';

// Every list that can return objects is inside the cost model (docs/limits.md): `nodes(ids:)`
// costs as many items as it is given ids, and takes at most 100; a plain list costs as many
// items as it can hold.
let server: TestServer;
let org: OrganizationScenario;

beforeAll(async () => {
  server = await startTestServer();
  org = await organizationWith(server.db.prisma, 'Listed', { projects: 1 });
});
afterAll(() => server?.close());

const cost = (res: { body: any }) => res.body.extensions?.cost?.requestedQueryCost;
const NODES = 'query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Project { name } } }';

describe('nodes(ids:)', () => {
  it('refuses more than 100 ids with BAD_USER_INPUT and returns no node', async () => {
    const project = globalId('Project', org.projectIds[0]);
    const res = await server.graphql(org.adminToken, NODES, { ids: Array(101).fill(project) });
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors[0].message).toContain('at most 100');
    expect(res.body.data).toBeNull();
  });

  it('answers 100 ids, and reports about 100 times the cost of one', async () => {
    const project = globalId('Project', org.projectIds[0]);
    const one = await server.graphql(org.adminToken, NODES, { ids: [project] });
    const hundred = await server.graphql(org.adminToken, NODES, { ids: Array(100).fill(project) });
    expect(hundred.body.errors).toBeUndefined();
    expect(hundred.body.data.nodes).toHaveLength(100);
    expect(cost(one)).toBe(1);
    expect(cost(hundred)).toBe(100);
  });

  it('counts ids given as a variable like ids written in the document', async () => {
    const ids = Array(30).fill(globalId('Project', org.projectIds[0]));
    const literal = await server.graphql(
      org.adminToken,
      `{ nodes(ids: ${JSON.stringify(ids)}) { id ... on Project { name } } }`,
    );
    const variable = await server.graphql(org.adminToken, NODES, { ids });
    expect(cost(literal)).toBe(30);
    expect(cost(variable)).toBe(cost(literal));
  });

  it('refuses a document whose ids would cost more than the limit before resolving any', async () => {
    const small = await startTestServer({ limits: { maxCost: 50 } });
    try {
      const tenant = await organizationWith(small.db.prisma, 'Small', { projects: 1 });
      const ids = Array(60).fill(globalId('Project', tenant.projectIds[0]));
      const res = await small.graphql(tenant.adminToken, NODES, { ids });
      expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(res.body.data).toBeUndefined();
      expect(cost(res)).toBe(60);
    } finally {
      await small.close();
    }
  });
});

describe('plain lists', () => {
  it('cost as many items as they can hold: 50 milestones of each goal', async () => {
    const bare = await server.graphql(org.adminToken, '{ goals(first: 2) { edges { node { title } } } }');
    const withMilestones = await server.graphql(
      org.adminToken,
      '{ goals(first: 2) { edges { node { title milestones { title } } } } }',
    );
    expect(cost(bare)).toBe(1 + 2 * 2);
    expect(cost(withMilestones)).toBe(1 + 2 * (2 + 50));
  });

  it('a list without a fixed maximum costs as many items as a page without `first`', async () => {
    const res = await server.graphql(
      org.adminToken,
      '{ workers(first: 3) { edges { node { firstName qualifications { name } } } } }',
    );
    expect(cost(res)).toBe(1 + 3 * (2 + 20));
  });
});
