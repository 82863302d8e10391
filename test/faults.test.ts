import { describe, expect, it } from 'vitest';
import { organizationWith } from './support/scenarios.ts';
import { startTestServer } from './support/server.ts';

describe('when the database fails', () => {
  it('answers INTERNAL_SERVER_ERROR with the request id and no detail, and /ready says 503', async () => {
    const server = await startTestServer();
    const { adminToken } = await organizationWith(server.db.prisma, 'Faulty', { projects: 1 });
    expect((await server.graphql(adminToken, '{ viewer { kind } }')).status).toBe(200);
    // PGlite: the embedded database is closed; PostgreSQL: the database is dropped under the server.
    await server.db.drop();

    const res = await server.graphql(adminToken, '{ viewer { kind } }', {}, { 'x-request-id': 'fault-1' });
    expect(res.status).toBe(500);
    expect(res.body.errors).toEqual([
      { message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'fault-1' } },
    ]);
    const ready = await server.yoga.fetch('http://crewgraph.test/ready');
    expect(ready.status).toBe(503);
  });
});
