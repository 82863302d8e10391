import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  globalId,
  organizationWith,
  type OrganizationScenario,
  projectAdminToken,
} from '../../../test/support/scenarios.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
let projectAdmin: string;
let keyToken: string;
const clock = new Date('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(clock.getTime() + days * DAY);

/** The fixture keys by name: id (global), keyId. */
const keys: Record<string, { id: string; keyId: string; rowId: string }> = {};

const CREATE = `mutation ($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { token apiKey { id keyId } userErrors { field code message } }
}`;
const LIST = `query ($first: Int, $after: String, $status: [ApiKeyStatus!], $expiresBefore: DateTime,
  $unusedSince: DateTime, $search: String, $projectId: ID, $includeDeleted: Boolean, $orderBy: ApiKeyOrder) {
  apiKeys(first: $first, after: $after, status: $status, expiresBefore: $expiresBefore, unusedSince: $unusedSince,
          search: $search, projectId: $projectId, includeDeleted: $includeDeleted, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id name status } }
  }
}`;
const NODE = `query ($id: ID!) {
  node(id: $id) { ... on ApiKey { id name status deletedAt events { edges { node { action } } } } }
}`;

async function create(token: string, input: Record<string, unknown>) {
  const res = await server.graphql(token, CREATE, { input });
  expect(res.body.data.createApiKey.userErrors).toEqual([]);
  return res.body.data.createApiKey.apiKey as { id: string; keyId: string };
}

beforeAll(async () => {
  server = await startTestServer({ now: () => clock });
  const prisma = server.db.prisma;
  acme = await organizationWith(prisma, 'ListCo', { projects: 3, contractorsPerProject: 1, workersPerContractor: 1 });
  other = await organizationWith(prisma, 'FarAway', { projects: 1, contractorsPerProject: 1, workersPerContractor: 1 });
  projectAdmin = await projectAdminToken(prisma, 'ListCo', [acme.projectIds[0]], 'site@listco.test');
  const [p0, p1] = acme.projectIds.map((id) => globalId('Project', id));
  // name: projects, expiry, last use (days from the clock), then what happens to it
  const fixtures: [string, string[], number | null, number | null, Record<string, unknown>?][] = [
    ['Alpha payroll', [p0], 10, -40, { description: 'Contact: Ann, 50% of the nightly sync' }],
    ['Beta HR', [p0], null, null],
    ['Gamma', [p1], 40, -1],
    ['Delta', [p0], 5, -10],
    ['Epsilon', [p0], 1, -3],
    ['Zeta', [p0, p1], null, null],
    ['Eta', [p0], 20, -50],
  ];
  for (const [name, projectIds, expires, used, extra] of fixtures) {
    const key = await create(acme.adminToken, {
      name,
      projectIds,
      expiresAt: expires == null ? null : at(expires).toISOString(),
      ...extra,
    });
    const rowId = Buffer.from(key.id, 'base64url').toString().split(':')[1];
    keys[name] = { ...key, rowId };
    if (used != null) await prisma.apiKey.update({ where: { id: rowId }, data: { lastUsedAt: at(used) } });
  }
  const revoke = `mutation ($id: ID!) { revokeApiKey(input: { id: $id }) { userErrors { code } } }`;
  const remove = `mutation ($id: ID!) { deleteApiKey(input: { id: $id }) { userErrors { code } } }`;
  await server.graphql(acme.adminToken, revoke, { id: keys.Delta.id });
  await server.graphql(acme.adminToken, remove, { id: keys.Zeta.id });
  await server.graphql(acme.adminToken, remove, { id: keys.Eta.id });
  // Expired an hour ago (a fixture: createApiKey accepts only future instants).
  await prisma.apiKey.update({
    where: { id: keys.Epsilon.rowId },
    data: { expiresAt: new Date(clock.getTime() - 3_600_000) },
  });
  // Two keys that are used as principals of the same organisation.
  for (const [name, projectIds] of [
    ['Reader', [p0, p1]],
    ['Reader 2', [p0]],
  ] as const) {
    const res = await server.graphql(acme.adminToken, CREATE, { input: { name, projectIds } });
    const { token, apiKey } = res.body.data.createApiKey;
    keys[name] = { ...apiKey, rowId: Buffer.from(apiKey.id, 'base64url').toString().split(':')[1] };
    keyToken = token;
  }
});
afterAll(() => server?.close());

const names = (res: { body: any }) => res.body.data.apiKeys.edges.map((e: any) => e.node.name);
const list = (variables: Record<string, unknown>, token = acme.adminToken) =>
  server.graphql(token, LIST, { first: 50, ...variables });

describe('apiKeys filters', () => {
  it('status: derived from state and expiry at the request clock; several statuses combine with OR', async () => {
    expect(names(await list({ status: ['ACTIVE'] }))).toEqual([
      'Alpha payroll',
      'Beta HR',
      'Gamma',
      'Reader',
      'Reader 2',
    ]);
    expect(names(await list({ status: ['INACTIVE'] }))).toEqual(['Delta']);
    expect(names(await list({ status: ['EXPIRED'] }))).toEqual(['Epsilon']);
    expect(names(await list({ status: ['EXPIRED', 'INACTIVE'] }))).toEqual(['Delta', 'Epsilon']);
    const deleted = await list({ status: ['DELETED'] });
    expect(deleted.body.data.apiKeys.edges.map((e: any) => e.node)).toEqual([
      { id: keys.Eta.id, name: 'Eta', status: 'DELETED' },
      { id: keys.Zeta.id, name: 'Zeta', status: 'DELETED' },
    ]);
    expect(deleted.body.data.apiKeys.totalCount).toBe(2);
  });

  it('expiresBefore: keys expiring (or expired) before the instant; keys without expiry never match', async () => {
    expect(names(await list({ expiresBefore: at(10).toISOString() }))).toEqual(['Delta', 'Epsilon']);
    expect(names(await list({ expiresBefore: at(10.5).toISOString() }))).toEqual(['Alpha payroll', 'Delta', 'Epsilon']);
    expect(names(await list({ expiresBefore: at(10.5).toISOString(), includeDeleted: true }))).toEqual([
      'Alpha payroll',
      'Delta',
      'Epsilon',
    ]);
    expect(names(await list({ expiresBefore: at(30).toISOString(), includeDeleted: true }))).toContain('Eta');
  });

  it('unusedSince: last used before the instant, or never used', async () => {
    expect(names(await list({ unusedSince: at(-5).toISOString() }))).toEqual([
      'Alpha payroll',
      'Beta HR',
      'Delta',
      'Reader',
      'Reader 2',
    ]);
    expect(names(await list({ unusedSince: at(-45).toISOString(), includeDeleted: true }))).toEqual([
      'Beta HR',
      'Eta',
      'Reader',
      'Reader 2',
      'Zeta',
    ]);
  });

  it('search: name, keyId or description, any case, the text taken literally', async () => {
    expect(names(await list({ search: 'ALPHA' }))).toEqual(['Alpha payroll']);
    expect(names(await list({ search: 'ann,' }))).toEqual(['Alpha payroll']);
    expect(names(await list({ search: '50%' }))).toEqual(['Alpha payroll']);
    expect(names(await list({ search: '5_%' }))).toEqual([]);
    expect(names(await list({ search: keys.Gamma.keyId.toLowerCase() }))).toEqual(['Gamma']);
    expect(names(await list({ search: 'reader' }))).toEqual(['Reader', 'Reader 2']);
    expect(names(await list({ search: '   ' }))).toHaveLength(7);
  });

  it("projectId: keys reaching the project; another organisation's project matches nothing, like a made-up id", async () => {
    const p1 = globalId('Project', acme.projectIds[1]);
    expect(names(await list({ projectId: p1 }))).toEqual(['Gamma', 'Reader']);
    expect(names(await list({ projectId: p1, includeDeleted: true }))).toEqual(['Gamma', 'Reader', 'Zeta']);
    expect(names(await list({ projectId: globalId('Project', other.projectIds[0]) }))).toEqual([]);
    expect(names(await list({ projectId: globalId('Project', '0190c5d0-0000-7000-8000-000000000000') }))).toEqual([]);
    // A project outside a project admin's: nothing, not FORBIDDEN.
    const outside = await list({ projectId: p1, includeDeleted: true }, projectAdmin);
    expect(outside.status).toBe(200);
    expect(names(outside)).toEqual([]);
  });

  it('filters combine with AND', async () => {
    expect(
      names(await list({ status: ['ACTIVE'], unusedSince: at(-5).toISOString(), search: 'a', includeDeleted: true })),
    ).toEqual(['Alpha payroll', 'Beta HR', 'Reader', 'Reader 2']);
  });
});

describe('apiKeys orderBy, paged', () => {
  type Row = { id: string; name: string; createdAt: Date; lastUsedAt: Date | null; expiresAt: Date | null };
  const columns = {
    NAME: 'name',
    CREATED_AT: 'createdAt',
    LAST_USED_AT: 'lastUsedAt',
    EXPIRES_AT: 'expiresAt',
  } as const;
  const value = (v: string | Date | null) => (v instanceof Date ? v.getTime() : v);

  /** The order the API promises: the column (nulls last in both directions), then id, same direction. */
  function expected(rows: Row[], field: keyof typeof columns, direction: 'ASC' | 'DESC') {
    const sign = direction === 'ASC' ? 1 : -1;
    const column = columns[field];
    return [...rows]
      .sort((a, b) => {
        const [x, y] = [value(a[column]), value(b[column])];
        if (x == null || y == null) return x == null && y == null ? sign * (a.id < b.id ? -1 : 1) : x == null ? 1 : -1;
        if (x !== y) return sign * (x < y ? -1 : 1);
        return sign * (a.id < b.id ? -1 : 1);
      })
      .map((row) => row.name);
  }

  async function walk(variables: Record<string, unknown>) {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const res: { body: any } = await server.graphql(acme.adminToken, LIST, { first: 2, after, ...variables });
      expect(res.body.errors).toBeUndefined();
      const connection: any = res.body.data.apiKeys;
      expect(connection.edges.length).toBeLessThanOrEqual(2);
      seen.push(...connection.edges.map((e: any) => e.node.name));
      if (!connection.pageInfo.hasNextPage) return seen;
      after = connection.pageInfo.endCursor;
    }
    throw new Error('too many pages');
  }

  it.each(
    (['NAME', 'CREATED_AT', 'LAST_USED_AT', 'EXPIRES_AT'] as const).flatMap((field) =>
      (['ASC', 'DESC'] as const).map((direction) => [field, direction] as const),
    ),
  )('%s %s: every key once, in order, nulls last', async (field, direction) => {
    const rows = await server.db.prisma.apiKey.findMany({ where: { organizationId: acme.organizationId } });
    const got = await walk({ orderBy: { field, direction }, includeDeleted: true });
    expect(got).toEqual(expected(rows, field, direction));
    if (field === 'EXPIRES_AT' || field === 'LAST_USED_AT') {
      const withoutValue = rows.filter((row) => row[columns[field]] == null).map((row) => row.name);
      expect(got.slice(got.length - withoutValue.length).sort()).toEqual(withoutValue.sort());
    }
  });

  it('pages a filtered list with its filters kept', async () => {
    const got = await walk({ status: ['ACTIVE', 'EXPIRED'], orderBy: { field: 'EXPIRES_AT', direction: 'DESC' } });
    expect(got.slice(0, 3)).toEqual(['Gamma', 'Alpha payroll', 'Epsilon']);
    // then the keys without expiry (by id, descending)
    expect(got.slice(3).sort()).toEqual(['Beta HR', 'Reader', 'Reader 2']);
  });
});

describe('deleted keys stay readable for their history', () => {
  it('an admin reads a deleted key by node, status DELETED, with its audit trail', async () => {
    const res = await server.graphql(acme.adminToken, NODE, { id: keys.Zeta.id });
    expect(res.body.data.node).toMatchObject({ id: keys.Zeta.id, name: 'Zeta', status: 'DELETED' });
    expect(res.body.data.node.deletedAt).toBe(clock.toISOString());
    expect(res.body.data.node.events.edges.map((e: any) => e.node.action)).toEqual(['CREATED', 'DELETED']);
  });

  it('the default list leaves deleted keys out; includeDeleted adds them', async () => {
    const without = await list({});
    expect(names(without)).not.toContain('Zeta');
    expect(without.body.data.apiKeys.totalCount).toBe(7);
    const withDeleted = await list({ includeDeleted: true });
    expect(withDeleted.body.data.apiKeys.totalCount).toBe(9);
    expect(names(withDeleted)).toEqual(expect.arrayContaining(['Eta', 'Zeta']));
  });

  it('every mutation on a deleted key is NOT_FOUND and writes nothing', async () => {
    const events = await server.db.prisma.apiKeyEvent.count({ where: { apiKeyId: keys.Zeta.rowId } });
    const attempts = [
      `mutation ($id: ID!) { updateApiKey(input: { id: $id, name: "Zeta back" }) { userErrors { code } } }`,
      `mutation ($id: ID!) { updateApiKey(input: { id: $id, description: "x" }) { userErrors { code } } }`,
      `mutation ($id: ID!) { cycleApiKey(input: { id: $id }) { token userErrors { code } } }`,
      `mutation ($id: ID!) { revokeApiKey(input: { id: $id }) { userErrors { code } } }`,
      `mutation ($id: ID!) { reactivateApiKey(input: { id: $id }) { userErrors { code } } }`,
      `mutation ($id: ID!) { deleteApiKey(input: { id: $id }) { userErrors { code } } }`,
    ];
    for (const mutation of attempts) {
      const res = await server.graphql(acme.adminToken, mutation, { id: keys.Zeta.id });
      expect(res.body.data).toBeNull();
      expect(res.body.errors[0].extensions.code).toBe('NOT_FOUND');
    }
    expect(await server.db.prisma.apiKeyEvent.count({ where: { apiKeyId: keys.Zeta.rowId } })).toBe(events);
    const row = await server.db.prisma.apiKey.findUniqueOrThrow({ where: { id: keys.Zeta.rowId } });
    expect(row.name).toBe('Zeta');
    expect(row.description).toBeNull();
  });

  it('a key never sees keys, deleted ones included', async () => {
    const res = await list({ includeDeleted: true }, keyToken);
    expect(res.status).toBe(403);
    expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
    for (const name of ['Zeta', 'Eta', 'Reader 2']) {
      const node = await server.graphql(keyToken, NODE, { id: keys[name].id });
      expect(node.body.data.node).toBeNull();
    }
  });

  it("another organisation's admin: node null, nothing listed", async () => {
    const node = await server.graphql(other.adminToken, NODE, { id: keys.Zeta.id });
    expect(node.body.data.node).toBeNull();
    const theirs = await list({ includeDeleted: true, status: ['DELETED'] }, other.adminToken);
    expect(theirs.body.data.apiKeys.totalCount).toBe(0);
  });

  it('a project admin reads the deleted keys whose projects are all theirs, and no others', async () => {
    const res = await list({ includeDeleted: true }, projectAdmin);
    expect(names(res)).toEqual(['Alpha payroll', 'Beta HR', 'Delta', 'Epsilon', 'Eta', 'Reader 2']);
    const eta = await server.graphql(projectAdmin, NODE, { id: keys.Eta.id });
    expect(eta.body.data.node).toMatchObject({ name: 'Eta', status: 'DELETED' });
    const zeta = await server.graphql(projectAdmin, NODE, { id: keys.Zeta.id });
    expect(zeta.body.data.node).toBeNull();
    const filtered = await list({ status: ['DELETED'] }, projectAdmin);
    expect(names(filtered)).toEqual(['Eta']);
  });
});
