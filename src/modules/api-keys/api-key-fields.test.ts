import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../config.ts';
import { globalId, organizationWith, type OrganizationScenario } from '../../../test/support/scenarios.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

let server: TestServer;
let acme: OrganizationScenario;
const clock = new Date('2026-11-23T12:00:00Z');

const FIELDS = `id name description accessTokenTtlSeconds rateLimit { requests perSeconds source }`;
const CREATE = `mutation ($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { apiKey { ${FIELDS} } userErrors { field code message } }
}`;
const UPDATE = `mutation ($input: UpdateApiKeyInput!) {
  updateApiKey(input: $input) { apiKey { ${FIELDS} } userErrors { field code message } }
}`;
const EVENTS = `query ($id: ID!) { node(id: $id) { ... on ApiKey { events { edges { node { action changes } } } } } }`;

beforeAll(async () => {
  server = await startTestServer({ now: () => clock });
  acme = await organizationWith(server.db.prisma, 'FieldCo', {
    projects: 1,
    contractorsPerProject: 1,
    workersPerContractor: 1,
  });
});
afterAll(() => server?.close());

let counter = 0;
const project = () => globalId('Project', acme.projectIds[0]);
const create = (input: Record<string, unknown>) =>
  server.graphql(acme.adminToken, CREATE, { input: { name: `Key ${++counter}`, projectIds: [project()], ...input } });
const update = (input: Record<string, unknown>) => server.graphql(acme.adminToken, UPDATE, { input });
async function newKey(input: Record<string, unknown> = {}) {
  const res = await create(input);
  expect(res.body.data.createApiKey.userErrors).toEqual([]);
  return res.body.data.createApiKey.apiKey;
}
const keyCount = () => server.db.prisma.apiKey.count({ where: { organizationId: acme.organizationId } });
const lastChanges = async (id: string) => {
  const res = await server.graphql(acme.adminToken, EVENTS, { id });
  return res.body.data.node.events.edges.at(-1).node;
};

describe('description', () => {
  it('is trimmed on create, blank is none, and shows in the audit trail', async () => {
    const key = await newKey({ description: '  Payroll team, ops@example.com  ' });
    expect(key.description).toBe('Payroll team, ops@example.com');
    expect(await lastChanges(key.id)).toMatchObject({
      action: 'CREATED',
      changes: { description: { before: null, after: 'Payroll team, ops@example.com' } },
    });
    expect((await newKey({ description: '   ' })).description).toBeNull();
  });

  it('is changed and cleared (null) by updateApiKey, audited; omitted it stays', async () => {
    const key = await newKey({ description: 'first' });
    const renamed = await update({ id: key.id, name: `${key.name} renamed` });
    expect(renamed.body.data.updateApiKey.apiKey.description).toBe('first');
    const changed = await update({ id: key.id, description: 'second' });
    expect(changed.body.data.updateApiKey.apiKey.description).toBe('second');
    expect((await lastChanges(key.id)).changes).toEqual({ description: { before: 'first', after: 'second' } });
    const cleared = await update({ id: key.id, description: null });
    expect(cleared.body.data.updateApiKey.apiKey.description).toBeNull();
    expect((await lastChanges(key.id)).changes).toEqual({ description: { before: 'second', after: null } });
  });

  it('is in the api_key.* webhook body', async () => {
    // A fixture endpoint: the outbox event is written in the mutation's transaction (delivery is tested in webhooks).
    await server.db.prisma.webhookEndpoint.create({
      data: {
        organizationId: acme.organizationId,
        url: 'https://hooks.example.com/keys',
        events: ['api_key.created', 'api_key.updated'],
        secret: 'whsec_fixture',
      },
    });
    const key = await newKey({ description: 'SIEM contact: sec@example.com' });
    await update({ id: key.id, description: null });
    const bodyOf = async (type: string) => {
      const events = await server.db.prisma.webhookEvent.findMany({
        where: { organizationId: acme.organizationId, type },
      });
      return events.map((e) => (e.payload as any).data.apiKey).find((k: any) => k.id === key.id);
    };
    expect((await bodyOf('api_key.created')).description).toBe('SIEM contact: sec@example.com');
    expect((await bodyOf('api_key.updated')).description).toBeNull();
  });

  it('over 1000 characters is TOO_LONG and writes nothing', async () => {
    const keys = await keyCount();
    const res = await create({ description: 'x'.repeat(1001) });
    expect(res.body.data.createApiKey).toMatchObject({
      apiKey: null,
      userErrors: [{ field: ['input', 'description'], code: 'TOO_LONG' }],
    });
    expect(await keyCount()).toBe(keys);
    const key = await newKey({ description: 'y'.repeat(1000) });
    const refused = await update({ id: key.id, description: 'z'.repeat(1001) });
    expect(refused.body.data.updateApiKey.userErrors[0]).toMatchObject({ code: 'TOO_LONG' });
    const row = await server.db.prisma.apiKey.findFirstOrThrow({ where: { name: key.name } });
    expect(row.description).toBe('y'.repeat(1000));
  });
});

describe('names are unique case-insensitively', () => {
  it('a case or spacing variant of a live key is TAKEN on create and rename', async () => {
    await newKey({ name: 'Payroll sync' });
    const keys = await keyCount();
    for (const name of ['payroll SYNC', '  PAYROLL sync ']) {
      const res = await create({ name });
      expect(res.body.data.createApiKey.userErrors).toEqual([
        { field: ['input', 'name'], code: 'TAKEN', message: expect.any(String) },
      ]);
    }
    expect(await keyCount()).toBe(keys);
    const other = await newKey({ name: 'Billing' });
    const rename = await update({ id: other.id, name: 'PAYROLL SYNC' });
    expect(rename.body.data.updateApiKey.userErrors).toMatchObject([{ field: ['input', 'name'], code: 'TAKEN' }]);
    expect(
      (
        await server.db.prisma.apiKey.findFirstOrThrow({
          where: { organizationId: acme.organizationId, name: 'Billing' },
        })
      ).name,
    ).toBe('Billing');
  });

  it('renaming a key to a case variant of its own name is allowed', async () => {
    const key = await newKey({ name: 'Time clock' });
    const res = await update({ id: key.id, name: 'TIME Clock' });
    expect(res.body.data.updateApiKey).toMatchObject({ apiKey: { name: 'TIME Clock' }, userErrors: [] });
  });

  it("a deleted key's name, in any case, is free", async () => {
    const key = await newKey({ name: 'Old export' });
    const deleted = await server.graphql(
      acme.adminToken,
      `mutation ($id: ID!) { deleteApiKey(input: { id: $id }) { userErrors { code } } }`,
      { id: key.id },
    );
    expect(deleted.body.data.deleteApiKey.userErrors).toEqual([]);
    expect((await newKey({ name: 'OLD EXPORT' })).name).toBe('OLD EXPORT');
  });

  it('two creates at once with case variants of one name: one key, one TAKEN', async () => {
    const keys = await keyCount();
    const results = await Promise.all(['Race key', 'RACE KEY', 'race key'].map((name) => create({ name })));
    const errors = results.map((res) => res.body.data.createApiKey.userErrors);
    expect(errors.filter((e) => e.length === 0)).toHaveLength(1);
    for (const e of errors.filter((e) => e.length))
      expect(e).toMatchObject([{ field: ['input', 'name'], code: 'TAKEN' }]);
    expect(await keyCount()).toBe(keys + 1);
  });
});

describe('rateLimit', () => {
  const server_ = { requests: DEFAULTS.rateLimits.keyRequests, perSeconds: DEFAULTS.rateLimits.windowSeconds };

  it("shows the budget in force: the server's, the organisation's default, the key's own", async () => {
    const key = await newKey();
    expect(key.rateLimit).toEqual({ ...server_, source: 'SERVER' });
    await server.db.prisma.organization.update({
      where: { id: acme.organizationId },
      data: { defaultRateLimitRequests: 300, defaultRateLimitPerSeconds: 60 },
    });
    try {
      const read = await server.graphql(
        acme.adminToken,
        `query ($id: ID!) { node(id: $id) { ... on ApiKey { rateLimit { requests perSeconds source } } } }`,
        { id: key.id },
      );
      expect(read.body.data.node.rateLimit).toEqual({ requests: 300, perSeconds: 60, source: 'ORGANIZATION' });
      const own = await update({ id: key.id, rateLimit: { requests: 50, perSeconds: 10 } });
      expect(own.body.data.updateApiKey.apiKey.rateLimit).toEqual({ requests: 50, perSeconds: 10, source: 'KEY' });
      expect((await lastChanges(key.id)).changes).toEqual({
        rateLimit: { before: null, after: { requests: 50, perSeconds: 10 } },
      });
      const row = await server.db.prisma.apiKey.findFirstOrThrow({ where: { name: key.name } });
      expect([row.rateLimitRequests, row.rateLimitPerSeconds]).toEqual([50, 10]);
      const back = await update({ id: key.id, rateLimit: null });
      expect(back.body.data.updateApiKey.apiKey.rateLimit).toEqual({
        requests: 300,
        perSeconds: 60,
        source: 'ORGANIZATION',
      });
      const created = await newKey({ rateLimit: { requests: 100_000, perSeconds: 86_400 } });
      expect(created.rateLimit).toEqual({ requests: 100_000, perSeconds: 86_400, source: 'KEY' });
    } finally {
      await server.db.prisma.organization.update({
        where: { id: acme.organizationId },
        data: { defaultRateLimitRequests: null, defaultRateLimitPerSeconds: null },
      });
    }
  });

  it.each([
    [{ requests: 0, perSeconds: 60 }, 'requests'],
    [{ requests: 100_001, perSeconds: 60 }, 'requests'],
    [{ requests: 10, perSeconds: 0 }, 'perSeconds'],
    [{ requests: 10, perSeconds: 86_401 }, 'perSeconds'],
  ])('%o is OUT_OF_RANGE on create and update, and writes nothing', async (rateLimit, field) => {
    const keys = await keyCount();
    const res = await create({ rateLimit });
    expect(res.body.data.createApiKey.userErrors).toMatchObject([
      { field: ['input', 'rateLimit', field], code: 'OUT_OF_RANGE' },
    ]);
    expect(await keyCount()).toBe(keys);
    const key = await newKey({ rateLimit: { requests: 5, perSeconds: 5 } });
    const refused = await update({ id: key.id, rateLimit });
    expect(refused.body.data.updateApiKey.userErrors).toMatchObject([{ code: 'OUT_OF_RANGE' }]);
    const row = await server.db.prisma.apiKey.findFirstOrThrow({ where: { name: key.name } });
    expect([row.rateLimitRequests, row.rateLimitPerSeconds]).toEqual([5, 5]);
  });
});

describe('accessTokenTtlSeconds', () => {
  it('is stored, shown, audited and cleared', async () => {
    const key = await newKey({ accessTokenTtlSeconds: 600 });
    expect(key.accessTokenTtlSeconds).toBe(600);
    const changed = await update({ id: key.id, accessTokenTtlSeconds: 86_400 });
    expect(changed.body.data.updateApiKey.apiKey.accessTokenTtlSeconds).toBe(86_400);
    expect((await lastChanges(key.id)).changes).toEqual({ accessTokenTtlSeconds: { before: 600, after: 86_400 } });
    const cleared = await update({ id: key.id, accessTokenTtlSeconds: null });
    expect(cleared.body.data.updateApiKey.apiKey.accessTokenTtlSeconds).toBeNull();
    expect((await newKey()).accessTokenTtlSeconds).toBeNull();
  });

  it.each([59, 86_401, 0, -1])('%i is OUT_OF_RANGE and writes nothing', async (ttl) => {
    const keys = await keyCount();
    const res = await create({ accessTokenTtlSeconds: ttl });
    expect(res.body.data.createApiKey.userErrors).toMatchObject([
      { field: ['input', 'accessTokenTtlSeconds'], code: 'OUT_OF_RANGE' },
    ]);
    expect(await keyCount()).toBe(keys);
    const key = await newKey({ accessTokenTtlSeconds: 120 });
    const refused = await update({ id: key.id, accessTokenTtlSeconds: ttl });
    expect(refused.body.data.updateApiKey.userErrors).toMatchObject([{ code: 'OUT_OF_RANGE' }]);
    expect((await server.db.prisma.apiKey.findFirstOrThrow({ where: { name: key.name } })).accessTokenTtlSeconds).toBe(
      120,
    );
  });
});
