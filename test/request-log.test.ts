import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../src/http/server.ts';
import { api } from '../src/schema.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { apiKeyFixture, organizationWith } from './support/scenarios.ts';

let db: TestDatabase;
const lines: Record<string, unknown>[] = [];
let yoga: ReturnType<typeof createServer>;
let adminToken: string;
let key: { token: string };

beforeAll(async () => {
  db = await createTestDatabase();
  const org = await organizationWith(db.prisma, 'Logged', { projects: 1 });
  adminToken = org.adminToken;
  key = await apiKeyFixture(db.prisma, org.organizationId, { projectIds: org.projectIds });
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  yoga = createServer({ api, db, logger: pino({ level: 'info' }, sink) });
});
afterAll(() => db?.drop());

const post = (token: string, body: object, requestId: string) =>
  yoga.fetch('http://crewgraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': requestId },
    body: JSON.stringify(body),
  });

describe('request log', () => {
  it('writes one JSON line per request with id, principal, key id, operation, status and duration; never a secret', async () => {
    await post(key.token, { query: 'query Mine { viewer { kind } }', operationName: 'Mine' }, 'log-1');
    await post(adminToken, { query: '{ apiKeys { totalCount } }' }, 'log-2');
    await post('cgk_nope', { query: '{ viewer { kind } }' }, 'log-3');
    await new Promise((resolve) => setImmediate(resolve));

    const byId = (id: string) => lines.filter((l) => l.requestId === id && l.msg === 'request');
    expect(byId('log-1')).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/graphql',
        status: 200,
        principal: 'API_KEY',
        keyId: key.token.split('_')[1],
        operationName: 'Mine',
        durationMs: expect.any(Number),
      }),
    ]);
    expect(byId('log-2')).toEqual([
      expect.objectContaining({ status: 200, principal: 'ADMIN', adminTokenId: adminToken.split('_')[1] }),
    ]);
    expect(byId('log-3')).toEqual([expect.objectContaining({ status: 401 })]);
    expect(byId('log-3')[0].principal).toBeUndefined();
    const everything = JSON.stringify(lines);
    expect(everything).not.toContain(key.token.split('_')[2]);
    expect(everything).not.toContain(adminToken.split('_')[2]);
  });
});
