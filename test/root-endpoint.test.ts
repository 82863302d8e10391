import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.ts';

describe('GET / points to the GraphQL endpoint', () => {
  let withGraphiql: TestServer;
  let withoutGraphiql: TestServer;
  beforeAll(async () => {
    [withGraphiql, withoutGraphiql] = await Promise.all([startTestServer(), startTestServer({ graphiql: false })]);
  });
  afterAll(() => Promise.all([withGraphiql?.close(), withoutGraphiql?.close()]));

  const root = (server: TestServer, init: RequestInit = {}) =>
    server.yoga.fetch('http://crewgraph.test/', { redirect: 'manual', ...init });

  it('redirects a browser to GraphiQL at /graphql', async () => {
    const res = await root(withGraphiql, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/graphql');
    expect(res.headers.get('vary')).toMatch(/accept/i);
  });

  it('tells any other client, and a browser when GraphiQL is off, where the endpoint is', async () => {
    for (const [server, accept] of [
      [withGraphiql, '*/*'],
      [withGraphiql, 'application/json'],
      [withoutGraphiql, 'text/html'],
    ] as const) {
      const res = await root(server, { headers: { accept } });
      expect({ accept, status: res.status }).toEqual({ accept, status: 200 });
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = await res.json();
      expect(body.graphqlEndpoint).toBe('/graphql');
      expect(body.message).toContain('/graphql');
    }
    const head = await root(withGraphiql, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('answers only GET and HEAD at /, and only at /', async () => {
    expect((await root(withGraphiql, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await withGraphiql.yoga.fetch('http://crewgraph.test/nothing-here')).status).toBe(404);
  });
});
