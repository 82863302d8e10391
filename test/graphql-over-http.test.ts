import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizationWith } from './support/scenarios.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  token = (await organizationWith(server.db.prisma, 'Audited', { projects: 1 })).adminToken;
});
afterAll(() => server?.close());

describe('GraphQL over HTTP (graphql-http server audits)', () => {
  it('passes every audit (MUST, SHOULD and MAY)', async () => {
    const audits = serverAudits({
      url: 'http://crewgraph.test/graphql',
      fetchFn: (input: RequestInfo | URL, init?: RequestInit) => {
        const headers = new Headers(init?.headers);
        headers.set('authorization', `Bearer ${token}`);
        return server.yoga.fetch(input as string, { ...init, headers });
      },
    });
    const results = await Promise.all(audits.map((audit) => audit.fn()));
    const notOk = results.filter((r) => r.status !== 'ok').map((r) => `${r.name}: ${'reason' in r ? r.reason : ''}`);
    // Every MUST is required by the issue; the SHOULDs and MAYs pass today as well, keep it so.
    expect(notOk).toEqual([]);
    expect(results.filter((r) => r.name.startsWith('MUST')).length).toBeGreaterThan(10);
  });
});
