import { print, type DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin } from '../src/modules/admins/admin.service.ts';
import { CREATE, CYCLE, DELETE, REVOKE, UPDATE } from './support/api-key-operations.ts';
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
    const env = { DATABASE_URL: db.url, PORT: '0', SEED_DEMO: '0', LOG_LEVEL: 'warn', WEBHOOKS_WORKER: '0' };
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
  });

  const CREATE_ADMIN_TOKEN =
    'mutation ($input: CreateAdminTokenInput!) { createAdminToken(input: $input) { token adminToken { id } } }';
  const REVOKE_ADMIN_TOKEN =
    'mutation ($id: ID!) { revokeAdminToken(input: { id: $id }) { adminToken { status } userErrors { code } } }';

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

  it('an admin token revoked through one process is refused by the other on the next request', async () => {
    const created = await call(a, adminToken, CREATE_ADMIN_TOKEN, { input: { name: 'twin laptop' } });
    const { token, adminToken: stored } = created.body.data.createAdminToken;
    for (let i = 0; i < 3; i++) expect((await call(b, token, '{ viewer { kind } }')).status).toBe(200);
    const revoked = await call(a, adminToken, REVOKE_ADMIN_TOKEN, { id: stored.id });
    expect(revoked.body.data.revokeAdminToken.userErrors).toEqual([]);
    const refused = await call(b, token, '{ viewer { kind } }');
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await call(b, adminToken, '{ viewer { kind } }')).status).toBe(200);
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

  it('an access token revoked through one process (POST /oauth/revoke) is refused by the other on the next request', async () => {
    const created = await call(a, adminToken, CREATE, { input: { name: 'twin key 7', projectIds: [projectId] } });
    const { token, apiKey } = created.body.data.createApiKey;
    const credentials = { client_id: apiKey.keyId, client_secret: token };
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const exchanged = await fetch(new URL('/oauth/token', b.url), {
      method: 'POST',
      headers: form,
      body: new URLSearchParams({ grant_type: 'client_credentials', ...credentials }),
    });
    const { access_token: accessToken } = await exchanged.json();
    for (let i = 0; i < 3; i++) expect((await call(b, accessToken, '{ viewer { kind } }')).status).toBe(200);
    const revoked = await fetch(new URL('/oauth/revoke', a.url), {
      method: 'POST',
      headers: form,
      body: new URLSearchParams({ token: accessToken, ...credentials }),
    });
    expect(revoked.status).toBe(200);
    const refused = await call(b, accessToken, '{ viewer { kind } }');
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await call(b, token, '{ viewer { kind } }')).status).toBe(200);
  });

  it('POST /oauth/revoke waits out a process that cannot hear it (stopped), which refuses the token once it runs again', async () => {
    const created = await call(a, adminToken, CREATE, { input: { name: 'twin key 8', projectIds: [projectId] } });
    const { token, apiKey } = created.body.data.createApiKey;
    const credentials = { client_id: apiKey.keyId, client_secret: token };
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const exchanged = await fetch(new URL('/oauth/token', a.url), {
      method: 'POST',
      headers: form,
      body: new URLSearchParams({ grant_type: 'client_credentials', ...credentials }),
    });
    const { access_token: accessToken } = await exchanged.json();
    for (let i = 0; i < 3; i++) expect((await call(b, accessToken, '{ viewer { kind } }')).status).toBe(200);
    b.child.kill('SIGSTOP');
    try {
      // b holds a lease and cannot renew it: the revocation answers only once that lease has run out.
      const revoking = fetch(new URL('/oauth/revoke', a.url), {
        method: 'POST',
        headers: form,
        body: new URLSearchParams({ token: accessToken, ...credentials }),
      });
      const tokenId = accessToken.split('_')[1];
      while (await db.prisma.accessToken.findUnique({ where: { tokenId } })) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const first = await Promise.race([
        revoking.then(() => 'answered'),
        new Promise((r) => setTimeout(r, 50, 'waiting')),
      ]);
      expect(first).toBe('waiting');
      expect((await revoking).status).toBe(200);
    } finally {
      b.child.kill('SIGCONT');
    }
    expect((await call(b, accessToken, '{ viewer { kind } }')).status).toBe(401);
  });

  /** A key that `server` has authenticated twice, so its row is in that process's cache. */
  async function keyCachedBy(server: RunningServer, name: string) {
    const created = await call(a, adminToken, CREATE, { input: { name, projectIds: [projectId] } });
    const { token, apiKey } = created.body.data.createApiKey;
    for (let i = 0; i < 3; i++) expect((await call(server, token, '{ viewer { kind } }')).status).toBe(200);
    return { token, id: apiKey.id as string };
  }

  it('a delete through one process is refused by the other on the next request', async () => {
    const { token, id } = await keyCachedBy(b, 'twin key 4');
    await call(a, adminToken, DELETE, { input: { id } });
    expect((await call(b, token, '{ viewer { kind } }')).status).toBe(401);
  });

  it("a key's projects narrowed through one process apply on the other at the next request", async () => {
    const { token, id } = await keyCachedBy(b, 'twin key 5');
    const other = await call(
      a,
      adminToken,
      'mutation { createProject(input: { name: "Q", code: "Q" }) { project { id } } }',
    );
    const otherId = other.body.data.createProject.project.id;
    await call(a, adminToken, UPDATE, { input: { id, projectIds: [projectId, otherId] } });
    const count = async () => (await call(b, token, '{ projects { totalCount } }')).body.data.projects.totalCount;
    expect(await count()).toBe(2);
    expect(await count()).toBe(2);
    await call(a, adminToken, UPDATE, { input: { id, projectIds: [otherId] } });
    expect(await count()).toBe(1);
  });

  it("a key's permissions narrowed through one process apply on the other at the next request", async () => {
    const { token, id } = await keyCachedBy(b, 'twin key 9');
    expect((await call(b, token, '{ projects { totalCount } }')).body.data.projects.totalCount).toBe(1);
    await call(a, adminToken, UPDATE, { input: { id, permissions: [{ resource: 'GOALS', access: 'READ' }] } });
    const refused = await call(b, token, '{ projects { totalCount } }');
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('an admin deactivated through one process is refused by the other on the next request', async () => {
    const created = await call(
      a,
      adminToken,
      'mutation($input: CreateAdminInput!) { createAdmin(input: $input) { admin { id } token } }',
      { input: { email: 'second@twin.test', role: 'ADMIN' } },
    );
    const { admin, token } = created.body.data.createAdmin;
    for (let i = 0; i < 3; i++) expect((await call(b, token, '{ viewer { kind } }')).status).toBe(200);
    await call(
      a,
      adminToken,
      'mutation($input: DeactivateAdminInput!) { deactivateAdmin(input: $input) { admin { id } } }',
      {
        input: { id: admin.id },
      },
    );
    expect((await call(b, token, '{ viewer { kind } }')).status).toBe(401);
  });

  it('a revoke waits out a process that cannot hear it (stopped), which refuses the key once it runs again', async () => {
    const { token, id } = await keyCachedBy(b, 'twin key 6');
    b.child.kill('SIGSTOP');
    try {
      // b holds a lease and cannot renew it: the revoke answers only once that lease has run out.
      const revoking = call(a, adminToken, REVOKE, { input: { id } });
      const [, rowId] = Buffer.from(id, 'base64url').toString().split(':');
      const committed = async () => (await db.prisma.apiKey.findUnique({ where: { id: rowId } }))?.state === 'INACTIVE';
      while (!(await committed())) await new Promise((resolve) => setTimeout(resolve, 25));
      const first = await Promise.race([
        revoking.then(() => 'answered'),
        new Promise((r) => setTimeout(r, 50, 'waiting')),
      ]);
      expect(first).toBe('waiting');
      expect((await revoking).body.data.revokeApiKey.apiKey.status).toBe('INACTIVE');
    } finally {
      b.child.kill('SIGCONT');
    }
    expect((await call(b, token, '{ viewer { kind } }')).status).toBe(401);
  });
});
