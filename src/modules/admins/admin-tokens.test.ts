import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin } from './admin.service.ts';
import {
  apiKeyFixture,
  globalId,
  organizationWith,
  type OrganizationScenario,
} from '../../../test/support/scenarios.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let server: TestServer;
/** The server's clock: advanced by tests, never turned back. */
let clock = new Date();
const tick = (ms = 60_000) => (clock = new Date(clock.getTime() + ms));
let acme: OrganizationScenario;
let other: OrganizationScenario;
let owner: { userId: string; token: string };
let admin: { userId: string; token: string };
let projectAdmin: { userId: string; token: string };
let key: { id: string; token: string };

beforeAll(async () => {
  server = await startTestServer({ now: () => clock });
  const prisma = server.db.prisma;
  acme = await organizationWith(prisma, 'Tokens', { projects: 1, contractorsPerProject: 1, workersPerContractor: 1 });
  other = await organizationWith(prisma, 'Othertok', {
    projects: 1,
    contractorsPerProject: 1,
    workersPerContractor: 1,
  });
  const ownerRow = await prisma.user.findFirstOrThrow({
    where: { organizationId: acme.organizationId, role: 'OWNER' },
  });
  owner = { userId: ownerRow.id, token: acme.adminToken };
  admin = await createAdmin(prisma, { organizationName: 'Tokens', email: 'admin@tokens.test', role: 'ADMIN' });
  projectAdmin = await createAdmin(prisma, {
    organizationName: 'Tokens',
    email: 'site@tokens.test',
    role: 'PROJECT_ADMIN',
    projects: ['P0'],
  });
  key = await apiKeyFixture(prisma, acme.organizationId, { projectIds: [acme.projectIds[0]], allowWrites: true });
});
afterAll(() => server?.close());

const TOKEN_FIELDS = `id name tokenPreview status createdAt lastUsedAt expiresAt revokedAt current
  admin { id email } createdBy { id email }`;
const VIEWER = `{ viewer { tokenKind tokenExpiresAt token { ${TOKEN_FIELDS} } } }`;
const LIST = `query ($adminId: ID, $includeRevoked: Boolean, $first: Int, $after: String) {
  adminTokens(adminId: $adminId, includeRevoked: $includeRevoked, first: $first, after: $after) {
    totalCount edges { node { ${TOKEN_FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
const CREATE = `mutation ($input: CreateAdminTokenInput!) {
  createAdminToken(input: $input) { token adminToken { ${TOKEN_FIELDS} } userErrors { field code message } } }`;
const REVOKE = `mutation ($id: ID!) {
  revokeAdminToken(input: { id: $id }) { adminToken { ${TOKEN_FIELDS} } userErrors { field code message } } }`;

const errorCodes = (res: { body: { errors?: { extensions: Record<string, any> }[] } }) =>
  (res.body.errors ?? []).map((e) => e.extensions.code);
const adminId = (userId: string) => globalId('Admin', userId);
const tokenIdOf = (token: string) => token.split('_')[1];
const rowIdOf = (id: string) => Buffer.from(id, 'base64url').toString('utf8').split(':')[1];
let counter = 0;

/** A new token for the admin of `token`, through the API. */
async function newToken(token: string, input: { name?: string; expiresAt?: Date | null } = {}) {
  tick();
  const res = await server.graphql(token, CREATE, { input: { name: `token ${++counter}`, ...input } });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.createAdminToken.userErrors).toEqual([]);
  return res.body.data.createAdminToken as { token: string; adminToken: Record<string, any> };
}

const works = async (token: string) => (await server.graphql(token, '{ viewer { kind } }')).status === 200;
const tokenRows = () => server.db.prisma.adminToken.count();

describe('viewer.token', () => {
  it('is the admin token of this request, never its secret', async () => {
    const res = await server.graphql(owner.token, VIEWER);
    expect(res.body.errors).toBeUndefined();
    const { token } = res.body.data.viewer;
    expect(res.body.data.viewer).toMatchObject({ tokenKind: 'ADMIN_TOKEN', tokenExpiresAt: null });
    expect(token).toMatchObject({
      tokenPreview: `cga_${tokenIdOf(owner.token)}_…`,
      status: 'ACTIVE',
      current: true,
      expiresAt: null,
      revokedAt: null,
      admin: { id: adminId(owner.userId), email: 'owner@tokens.test' },
      createdBy: null,
    });
    expect(JSON.stringify(res.body)).not.toContain(owner.token.split('_')[2]);
  });

  it('is null for an API key', async () => {
    const res = await server.graphql(key.token, VIEWER);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.viewer).toMatchObject({ tokenKind: 'API_KEY', token: null });
  });
});

describe('createAdminToken', () => {
  it('makes a token for the caller that works at once, shown once', async () => {
    const expiresAt = new Date(clock.getTime() + DAY);
    const created = await newToken(admin.token, { name: '  laptop ', expiresAt });
    expect(created.token).toMatch(/^cga_[0-9A-Za-z]{12}_[0-9A-Za-z]{49}$/);
    expect(created.adminToken).toMatchObject({
      name: 'laptop',
      tokenPreview: `cga_${tokenIdOf(created.token)}_…`,
      status: 'ACTIVE',
      expiresAt: expiresAt.toISOString(),
      current: false,
      admin: { email: 'admin@tokens.test' },
      createdBy: { email: 'admin@tokens.test' },
    });
    const me = await server.graphql(created.token, VIEWER);
    expect(me.status).toBe(200);
    expect(me.body.data.viewer).toMatchObject({
      tokenExpiresAt: expiresAt.toISOString(),
      token: { id: created.adminToken.id, name: 'laptop', current: true },
    });
    // the token is not shown again
    const list = await server.graphql(owner.token, LIST, { first: 100 });
    expect(JSON.stringify(list.body)).not.toContain(created.token);
  });

  it('lets a project admin make their own token', async () => {
    const created = await newToken(projectAdmin.token, { name: 'site tablet' });
    expect(created.adminToken).toMatchObject({ admin: { email: 'site@tokens.test' }, expiresAt: null });
    expect(await works(created.token)).toBe(true);
  });

  it.each([
    ['a blank name', { name: '  ' }, ['input', 'name'], 'BLANK'],
    ['a name over 100 characters', { name: 'x'.repeat(101) }, ['input', 'name'], 'TOO_LONG'],
    ['an expiry in the past', { name: 'old', expiresAt: 'past' }, ['input', 'expiresAt'], 'NOT_IN_FUTURE'],
    ['an expiry now', { name: 'now', expiresAt: 'now' }, ['input', 'expiresAt'], 'NOT_IN_FUTURE'],
  ])('answers %s with a userError and writes nothing', async (_case, input, field, code) => {
    const before = await tokenRows();
    const when = (input as { expiresAt?: string }).expiresAt;
    const expiresAt = when === 'past' ? new Date(clock.getTime() - HOUR) : when === 'now' ? clock : undefined;
    const res = await server.graphql(admin.token, CREATE, { input: { ...input, expiresAt } });
    expect(res.body.data.createAdminToken).toEqual({
      token: null,
      adminToken: null,
      userErrors: [{ field, code, message: expect.any(String) }],
    });
    expect(await tokenRows()).toBe(before);
  });

  it('a token stops working once past its expiresAt, and is listed as EXPIRED', async () => {
    const created = await newToken(admin.token, { expiresAt: new Date(clock.getTime() + HOUR) });
    expect(await works(created.token)).toBe(true);
    tick(HOUR);
    const res = await server.graphql(created.token, '{ viewer { kind } }');
    expect(res.status).toBe(401);
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.body.errors[0].message).toBe('This admin token has expired.');
    const list = await server.graphql(admin.token, LIST, { first: 100 });
    const listed = list.body.data.adminTokens.edges.find((e: any) => e.node.id === created.adminToken.id);
    expect(listed.node.status).toBe('EXPIRED');
  });

  it("honours the organisation's cap on admin-token lifetime (POLICY), and createAdmin's first token follows it", async () => {
    const prisma = server.db.prisma;
    await prisma.organization.update({ where: { id: acme.organizationId }, data: { maxAdminTokenLifetimeDays: 30 } });
    try {
      const before = await tokenRows();
      for (const expiresAt of [undefined, null, new Date(clock.getTime() + 30 * DAY + 1000)]) {
        const res = await server.graphql(admin.token, CREATE, { input: { name: 'too long', expiresAt } });
        expect(res.body.data.createAdminToken).toEqual({
          token: null,
          adminToken: null,
          userErrors: [{ field: ['input', 'expiresAt'], code: 'POLICY', message: expect.stringContaining('30 days') }],
        });
      }
      expect(await tokenRows()).toBe(before);

      const within = await newToken(admin.token, { expiresAt: new Date(clock.getTime() + 29 * DAY) });
      expect(await works(within.token)).toBe(true);

      const res = await server.graphql(
        owner.token,
        'mutation { createAdmin(input: { email: "capped@tokens.test", role: ADMIN }) { token userErrors { code } } }',
      );
      expect(res.body.data.createAdmin.userErrors).toEqual([]);
      const me = await server.graphql(res.body.data.createAdmin.token, VIEWER);
      expect(me.body.data.viewer.token).toMatchObject({
        expiresAt: new Date(clock.getTime() + 30 * DAY).toISOString(),
        createdBy: { email: 'owner@tokens.test' },
        admin: { email: 'capped@tokens.test' },
      });
    } finally {
      await prisma.organization.update({
        where: { id: acme.organizationId },
        data: { maxAdminTokenLifetimeDays: null },
      });
    }
  });
});

describe('adminTokens', () => {
  it("lists an admin's own tokens, newest first; an owner's list holds every admin's", async () => {
    const first = await newToken(admin.token, { name: 'list one' });
    const second = await newToken(admin.token, { name: 'list two' });
    const mine = await server.graphql(admin.token, LIST, { first: 100 });
    expect(mine.body.errors).toBeUndefined();
    const nodes = mine.body.data.adminTokens.edges.map((e: any) => e.node);
    expect(new Set(nodes.map((n: any) => n.admin.email))).toEqual(new Set(['admin@tokens.test']));
    expect(nodes.slice(0, 2).map((n: any) => n.name)).toEqual(['list two', 'list one']);
    expect(nodes.find((n: any) => n.tokenPreview === `cga_${tokenIdOf(admin.token)}_…`)).toMatchObject({
      current: true,
      createdBy: null,
    });
    expect(mine.body.data.adminTokens.totalCount).toBe(nodes.length);

    // Another admin's id narrows an admin's own list to nothing.
    const ownersForAdmin = await server.graphql(admin.token, LIST, { adminId: adminId(owner.userId) });
    expect(ownersForAdmin.body.data.adminTokens).toMatchObject({ totalCount: 0, edges: [] });

    const all = await server.graphql(owner.token, LIST, { first: 100 });
    const emails = new Set(all.body.data.adminTokens.edges.map((e: any) => e.node.admin.email));
    expect(emails).toEqual(
      new Set(['owner@tokens.test', 'admin@tokens.test', 'site@tokens.test', 'capped@tokens.test']),
    );
    const ids = all.body.data.adminTokens.edges.map((e: any) => e.node.id);
    expect(ids).toEqual(expect.arrayContaining([first.adminToken.id, second.adminToken.id]));

    const narrowed = await server.graphql(owner.token, LIST, { adminId: adminId(admin.userId), first: 100 });
    expect(narrowed.body.data.adminTokens.edges.map((e: any) => e.node.id)).toEqual(nodes.map((n: any) => n.id));

    const site = await server.graphql(projectAdmin.token, LIST, { first: 100 });
    expect(new Set(site.body.data.adminTokens.edges.map((e: any) => e.node.admin.email))).toEqual(
      new Set(['site@tokens.test']),
    );
  });

  it('pages with cursors', async () => {
    const page1 = await server.graphql(owner.token, LIST, { first: 2 });
    const page2 = await server.graphql(owner.token, LIST, {
      first: 2,
      after: page1.body.data.adminTokens.pageInfo.endCursor,
    });
    const ids1 = page1.body.data.adminTokens.edges.map((e: any) => e.node.id);
    const ids2 = page2.body.data.adminTokens.edges.map((e: any) => e.node.id);
    expect(ids1).toHaveLength(2);
    expect(ids2).toHaveLength(2);
    expect(ids1.filter((id: string) => ids2.includes(id))).toEqual([]);
  });
});

describe('revokeAdminToken', () => {
  it('refuses the revoked token from the next request; the admin’s other tokens keep working', async () => {
    const a = await newToken(admin.token, { name: 'to revoke' });
    const b = await newToken(admin.token, { name: 'to keep' });
    tick();
    const res = await server.graphql(b.token, REVOKE, { id: a.adminToken.id });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.revokeAdminToken.userErrors).toEqual([]);
    const revoked = res.body.data.revokeAdminToken.adminToken;
    expect(revoked).toMatchObject({ id: a.adminToken.id, status: 'REVOKED', revokedAt: clock.toISOString() });

    const refused = await server.graphql(a.token, '{ viewer { kind } }');
    expect(refused.status).toBe(401);
    expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
    expect(await works(b.token)).toBe(true);
    expect(await works(admin.token)).toBe(true);

    // Idempotent: revoking again returns it as it is.
    tick();
    const again = await server.graphql(b.token, REVOKE, { id: a.adminToken.id });
    expect(again.body.data.revokeAdminToken).toEqual({ adminToken: revoked, userErrors: [] });

    // Left out of the list unless includeRevoked.
    const listed = async (includeRevoked: boolean) =>
      (await server.graphql(admin.token, LIST, { includeRevoked, first: 100 })).body.data.adminTokens.edges.map(
        (e: any) => e.node.id,
      );
    expect(await listed(false)).not.toContain(a.adminToken.id);
    expect(await listed(true)).toContain(a.adminToken.id);

    // Recorded in the organisation's audit log, without a secret.
    const forToken = await server.db.prisma.auditEvent.findMany({
      where: { targetType: 'AdminToken', targetId: rowIdOf(a.adminToken.id) },
      orderBy: { createdAt: 'asc' },
    });
    expect(forToken.map((e) => [e.action, e.actorUserId])).toEqual([
      ['admin_token.created', admin.userId],
      ['admin_token.revoked', admin.userId],
    ]);
    expect(JSON.stringify(forToken)).not.toContain(a.token.split('_')[2]);
  });

  it('revokes the token of the current request: that request answers, the next one is refused', async () => {
    const c = await newToken(projectAdmin.token, { name: 'self' });
    const res = await server.graphql(c.token, REVOKE, { id: c.adminToken.id });
    expect(res.body.data.revokeAdminToken.adminToken).toMatchObject({ status: 'REVOKED', current: true });
    expect((await server.graphql(c.token, '{ viewer { kind } }')).status).toBe(401);
    expect(await works(projectAdmin.token)).toBe(true);
  });

  it("lets an owner revoke another admin's token", async () => {
    const d = await newToken(projectAdmin.token, { name: 'owner revokes' });
    const res = await server.graphql(owner.token, REVOKE, { id: d.adminToken.id });
    expect(res.body.data.revokeAdminToken.adminToken).toMatchObject({ status: 'REVOKED', current: false });
    expect(await works(d.token)).toBe(false);
  });

  it.each([
    ['an ADMIN', () => admin.token, () => owner.token],
    ['a PROJECT_ADMIN', () => projectAdmin.token, () => admin.token],
  ])("%s revoking another admin's token gets NOT_FOUND, and the token keeps working", async (_who, caller, target) => {
    const victim = await newToken(target(), { name: 'not yours' });
    const res = await server.graphql(caller(), REVOKE, { id: victim.adminToken.id });
    expect(errorCodes(res)).toEqual(['NOT_FOUND']);
    expect(res.body.data?.revokeAdminToken ?? null).toBeNull();
    expect(await works(victim.token)).toBe(true);
    const node = await server.graphql(caller(), 'query ($id: ID!) { node(id: $id) { id } }', {
      id: victim.adminToken.id,
    });
    expect(node.body.data.node).toBeNull();
  });
});

describe('who may not', () => {
  it.each([
    ['adminTokens', LIST, () => ({})],
    ['createAdminToken', CREATE, () => ({ input: { name: 'by a key' } })],
    ['revokeAdminToken', REVOKE, () => ({ id: globalId('AdminToken', '00000000-0000-7000-8000-000000000000') })],
  ])('an API key calling %s is FORBIDDEN and nothing changes', async (_field, query, vars) => {
    const before = await server.db.prisma.adminToken.findMany({ orderBy: { id: 'asc' } });
    const res = await server.graphql(key.token, query, vars());
    expect(res.status).toBe(403);
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(await server.db.prisma.adminToken.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
  });

  it('a key cannot revoke an admin token it names, nor read it through node', async () => {
    const e = await newToken(admin.token, { name: 'key target' });
    const res = await server.graphql(key.token, REVOKE, { id: e.adminToken.id });
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(await works(e.token)).toBe(true);
    const node = await server.graphql(key.token, 'query ($id: ID!) { node(id: $id) { id } }', { id: e.adminToken.id });
    expect(node.body.data.node).toBeNull();
  });

  it("another organisation's owner sees none of the tokens and revoking one is NOT_FOUND", async () => {
    const f = await newToken(admin.token, { name: 'other org target' });
    const res = await server.graphql(other.adminToken, REVOKE, { id: f.adminToken.id });
    expect(errorCodes(res)).toEqual(['NOT_FOUND']);
    expect(await works(f.token)).toBe(true);

    const list = await server.graphql(other.adminToken, LIST, { adminId: adminId(admin.userId), first: 100 });
    expect(list.body.data.adminTokens).toMatchObject({ totalCount: 0, edges: [] });
    const all = await server.graphql(other.adminToken, LIST, { first: 100 });
    expect(new Set(all.body.data.adminTokens.edges.map((e: any) => e.node.admin.email))).toEqual(
      new Set(['owner@othertok.test']),
    );
    const node = await server.graphql(other.adminToken, 'query ($id: ID!) { node(id: $id) { id } }', {
      id: f.adminToken.id,
    });
    expect(node.body.data.node).toBeNull();
  });
});
