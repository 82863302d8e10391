import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparedStatementNames } from '../src/db/database.ts';
import { apiKeyFixture, globalId, organizationWith, type OrganizationScenario } from './support/scenarios.ts';
import { startTestServer, type TestServer } from './support/server.ts';

describe('prepared statement names (DB_PREPARED_STATEMENTS)', () => {
  it('gives one SQL text one name, and runs texts beyond the limit unnamed', () => {
    const name = preparedStatementNames(2);
    const a = name({ sql: 'SELECT 1' });
    const b = name({ sql: 'SELECT 2' });
    expect(a).not.toBe(b);
    expect(name({ sql: 'SELECT 1' })).toBe(a);
    expect(name({ sql: 'SELECT 3' })).toBe('');
    expect(name({ sql: 'SELECT 2' })).toBe(b);
  });
});

// On PostgreSQL, Prisma's statements are prepared per connection and, after five runs, may
// switch to a generic plan. The same statements with other parameters must still answer only
// for their own tenant and key, run after run (PGlite runs the same tests unprepared).
describe('repeated statements stay scoped to their tenant and key', () => {
  let server: TestServer;
  let a: OrganizationScenario;
  let b: OrganizationScenario;
  let keyA: string;

  beforeAll(async () => {
    server = await startTestServer();
    a = await organizationWith(server.db.prisma, 'Prepared A', { projects: 2, contractorsPerProject: 2 });
    b = await organizationWith(server.db.prisma, 'Prepared B', { projects: 1, contractorsPerProject: 3 });
    keyA = (await apiKeyFixture(server.db.prisma, a.organizationId, { projectIds: [a.projectIds[1]] })).token;
  });
  afterAll(() => server?.close());

  const query = '{ contractors(first: 10) { edges { node { id projects(first: 5) { edges { node { id } } } } } } }';
  const contractorIds = (body: any) => body.data.contractors.edges.map((e: any) => e.node.id).sort();
  const projectIds = (body: any) =>
    [
      ...new Set(body.data.contractors.edges.flatMap((e: any) => e.node.projects.edges.map((p: any) => p.node.id))),
    ].sort();

  it('twelve rounds of the same query by two organisations and a key never mix their rows', async () => {
    const expected = {
      a: a.contractorIds.map((id) => globalId('Contractor', id)).sort(),
      b: b.contractorIds.map((id) => globalId('Contractor', id)).sort(),
      key: a.contractorIds
        .slice(2, 4)
        .map((id) => globalId('Contractor', id))
        .sort(),
    };
    for (let round = 0; round < 12; round++) {
      const [ra, rb, rk] = await Promise.all([
        server.graphql(a.adminToken, query),
        server.graphql(b.adminToken, query),
        server.graphql(keyA, query),
      ]);
      expect(contractorIds(ra.body)).toEqual(expected.a);
      expect(contractorIds(rb.body)).toEqual(expected.b);
      expect(contractorIds(rk.body)).toEqual(expected.key);
      expect(projectIds(rk.body)).toEqual([globalId('Project', a.projectIds[1])]);
    }
  });
});
