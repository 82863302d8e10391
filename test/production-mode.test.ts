import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizationWith } from './support/scenarios.ts';
import { startTestServer, type TestServer } from './support/server.ts';

describe('GRAPHIQL=0 INTROSPECTION=0', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer({ graphiql: false, introspection: false });
    token = (await organizationWith(server.db.prisma, 'Prod', { projects: 1 })).adminToken;
  });
  afterAll(() => server?.close());

  it('does not serve GraphiQL', async () => {
    const res = await server.yoga.fetch('http://crewgraph.test/graphql', { headers: { accept: 'text/html' } });
    expect(await res.text()).not.toContain('GraphiQL');
  });

  it('refuses introspection with a coded error and hides field suggestions', async () => {
    const introspection = await server.graphql(token, '{ __schema { types { name } } }');
    expect(introspection.body.data ?? null).toBeNull();
    expect(introspection.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const typo = await server.graphql(token, '{ projectz { totalCount } }');
    expect(typo.body.errors[0].message).not.toMatch(/Did you mean/);
    const normal = await server.graphql(token, '{ projects { totalCount } }');
    expect(normal.body.data.projects.totalCount).toBe(1);
  });
});

describe('defaults', () => {
  it('suggest field names and allow introspection for developers', async () => {
    const server = await startTestServer();
    try {
      const token = (await organizationWith(server.db.prisma, 'Dev', { projects: 1 })).adminToken;
      const typo = await server.graphql(token, '{ projectz { totalCount } }');
      expect(typo.body.errors[0].message).toMatch(/Did you mean "projects"/);
      const introspection = await server.graphql(token, '{ __schema { queryType { name } } }');
      expect(introspection.body.data.__schema.queryType.name).toBe('Query');
    } finally {
      await server.close();
    }
  });
});
