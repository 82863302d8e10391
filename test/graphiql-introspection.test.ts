import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizationWith } from './support/scenarios.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/** GraphiQL's Docs panel and autocomplete need the full introspection query to pass every limit. */
describe('the introspection GraphiQL sends', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer();
    token = (await organizationWith(server.db.prisma, 'Docs Co', { projects: 1 })).adminToken;
  });
  afterAll(() => server?.close());

  const fullIntrospection = getIntrospectionQuery({
    descriptions: true,
    inputValueDeprecation: true,
    schemaDescription: true,
    specifiedByUrl: true,
    directiveIsRepeatable: true,
  });

  it('answers with the schema for a valid token (the object-count limit does not count the schema)', async () => {
    const { status, body } = await server.graphql(token, fullIntrospection);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    expect(body.data.__schema.queryType.name).toBe('Query');
    expect(body.data.__schema.types.length).toBeGreaterThan(100);
  });

  it('still counts the data fields beside it', async () => {
    const { body } = await server.graphql(
      token,
      `{ __schema { types { name } }
         projects(first: 100) { edges { node { contractors(first: 100) { edges { node { workers(first: 100) { edges { node { id } } } } } } } } } }`,
    );
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].message).toMatch(/limit is/);
  });

  it('is refused without a token, like every operation', async () => {
    const { status, body } = await server.graphql(null, fullIntrospection);
    expect(status).toBe(401);
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});
