import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizationWith, type OrganizationScenario } from './support/scenarios.ts';
import { startTestServer, type TestServer } from './support/server.ts';

// The cost of a document is computed once per distinct (operation, page-size and directive
// variables) and then remembered (src/http/limits/query-cost.ts); these make sure a remembered cost
// is never served for variables that change it.
let server: TestServer;
let org: OrganizationScenario;

beforeAll(async () => {
  server = await startTestServer({ limits: { maxCost: 1_000 } });
  org = await organizationWith(server.db.prisma, 'Costly', { projects: 1 });
});
afterAll(() => server?.close());

const cost = (res: { body: any }) => res.body.extensions?.cost?.requestedQueryCost;

describe('query cost, remembered per document', () => {
  const PAGED = 'query ($n: Int = 5) { projects(first: $n) { edges { node { id } } } }';

  it('follows the page-size variable of the same document, both ways', async () => {
    const two = await server.graphql(org.adminToken, PAGED, { n: 2 });
    const fifty = await server.graphql(org.adminToken, PAGED, { n: 50 });
    const twoAgain = await server.graphql(org.adminToken, PAGED, { n: 2 });
    expect(cost(fifty)).toBeGreaterThan(cost(two) * 10);
    expect(cost(twoAgain)).toBe(cost(two));
  });

  it('tells an omitted variable (its default) from an explicit null (the default page size)', async () => {
    const omitted = await server.graphql(org.adminToken, PAGED, {});
    const explicitNull = await server.graphql(org.adminToken, PAGED, { n: null });
    expect(cost(omitted)).toBe(1 + 5 * 2); // connection + 5 × (edge + node)
    expect(cost(explicitNull)).toBe(1 + 20 * 2);
  });

  it('follows @include variables, and still refuses over the limit after a cheap run', async () => {
    const query = `query ($deep: Boolean!) { projects(first: 10) { edges { node { id
      contractors(first: 100) @include(if: $deep) { edges { node { id } } } } } } }`;
    const shallow = await server.graphql(org.adminToken, query, { deep: false });
    expect(shallow.body.errors).toBeUndefined();
    const deep = await server.graphql(org.adminToken, query, { deep: true });
    expect(deep.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(cost(deep)).toBeGreaterThan(1_000);
    const shallowAgain = await server.graphql(org.adminToken, query, { deep: false });
    expect(cost(shallowAgain)).toBe(cost(shallow));
  });

  it('ignores variables that cannot change the cost (ids, filters)', async () => {
    const query = 'query ($status: ProjectStatus) { projects(first: 3, status: $status) { edges { node { id } } } }';
    const a = await server.graphql(org.adminToken, query, { status: 'ACTIVE' });
    const b = await server.graphql(org.adminToken, query, { status: 'COMPLETED' });
    expect(cost(a)).toBe(cost(b));
    expect(a.body.errors).toBeUndefined();
  });
});
