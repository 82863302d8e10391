import { print, type DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin } from '../src/modules/admins/admin.service.ts';
import { CREATE, CYCLE, REVOKE } from './support/api-key-operations.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { startServerProcess, type RunningServer } from './support/process.ts';
import { globalId } from './support/scenarios.ts';

// Several server processes share one PostgreSQL; PGlite is single-process by design.
describe.skipIf(!process.env.DATABASE_URL)('two server processes on one PostgreSQL', () => {
  let db: TestDatabase;
  let a: RunningServer;
  let b: RunningServer;
  let adminToken: string;
  let projectId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const admin = await createAdmin(db.prisma, { organizationName: 'Twin', email: 'owner@twin.test' });
    adminToken = admin.token;
    const project = await db.prisma.project.create({
      data: { organizationId: admin.organizationId, name: 'P', code: 'P' },
    });
    projectId = globalId('Project', project.id);
    const env = { DATABASE_URL: db.url, PORT: '0', SEED_DEMO: '0', LOG_LEVEL: 'warn' };
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
  });

  async function call(server: RunningServer, token: string, query: string | DocumentNode, variables?: object) {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: typeof query === 'string' ? query : print(query), variables }),
    });
    return { status: res.status, body: await res.json() };
  }

  it('a revoke through one process is refused by the other on the next request', async () => {
    const created = await call(a, adminToken, CREATE, { input: { name: 'twin key', projectIds: [projectId] } });
    const { token, apiKey } = created.body.data.createApiKey;
    expect((await call(b, token, '{ viewer { kind } }')).status).toBe(200);
    await call(a, adminToken, REVOKE, { input: { id: apiKey.id } });
    const refused = await call(b, token, '{ viewer { kind } }');
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].extensions.code).toBe('API_KEY_INACTIVE');
  });

  it('a cycle through one process retires the old token on the other at once', async () => {
    const created = await call(b, adminToken, CREATE, { input: { name: 'twin key 2', projectIds: [projectId] } });
    const { token, apiKey } = created.body.data.createApiKey;
    expect((await call(a, token, '{ viewer { kind } }')).status).toBe(200);
    const cycled = await call(b, adminToken, CYCLE, { input: { id: apiKey.id } });
    expect((await call(a, token, '{ viewer { kind } }')).status).toBe(401);
    expect((await call(a, cycled.body.data.cycleApiKey.token, '{ viewer { kind } }')).status).toBe(200);
  });

  it('an access token issued by one process dies on the other when its key is revoked there', async () => {
    const created = await call(a, adminToken, CREATE, { input: { name: 'twin key 3', projectIds: [projectId] } });
    const { token, apiKey } = created.body.data.createApiKey;
    const exchanged = await fetch(new URL('/oauth/token', a.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: apiKey.keyId, client_secret: token }),
    });
    const { access_token: accessToken } = await exchanged.json();
    expect((await call(b, accessToken, '{ viewer { tokenKind } }')).body.data.viewer.tokenKind).toBe('ACCESS_TOKEN');
    await call(b, adminToken, REVOKE, { input: { id: apiKey.id } });
    const refused = await call(a, accessToken, '{ viewer { kind } }');
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].extensions.code).toBe('API_KEY_INACTIVE');
  });
});
