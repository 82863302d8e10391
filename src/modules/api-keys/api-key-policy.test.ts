import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { globalId, organizationWith, type OrganizationScenario } from '../../../test/support/scenarios.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
const clock = new Date('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
const inDays = (days: number) => new Date(clock.getTime() + days * DAY).toISOString();

const KEY = `id name expiresAt policyViolations`;
const CREATE = `mutation ($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { token apiKey { ${KEY} } userErrors { field code message } }
}`;
const UPDATE = `mutation ($input: UpdateApiKeyInput!) {
  updateApiKey(input: $input) { apiKey { ${KEY} } userErrors { field code message } }
}`;
const VIOLATING = `{ apiKeys(first: 50) { edges { node { name policyViolations } } } }`;

beforeAll(async () => {
  server = await startTestServer({ now: () => clock });
  acme = await organizationWith(server.db.prisma, 'PolicyCo', {
    projects: 1,
    contractorsPerProject: 1,
    workersPerContractor: 1,
  });
  other = await organizationWith(server.db.prisma, 'NoPolicy', {
    projects: 1,
    contractorsPerProject: 1,
    workersPerContractor: 1,
  });
});
afterAll(() => server?.close());

let counter = 0;
const create = (input: Record<string, unknown>, org = acme) =>
  server.graphql(org.adminToken, CREATE, {
    input: { name: `Key ${++counter}`, projectIds: [globalId('Project', org.projectIds[0])], ...input },
  });
const update = (input: Record<string, unknown>) => server.graphql(acme.adminToken, UPDATE, { input });
async function newKey(input: Record<string, unknown> = {}) {
  const res = await create(input);
  expect(res.body.data.createApiKey.userErrors).toEqual([]);
  return res.body.data.createApiKey.apiKey;
}
const setPolicy = (data: { maxKeyLifetimeDays?: number | null; requireKeyExpiry?: boolean }) =>
  server.db.prisma.organization.update({ where: { id: acme.organizationId }, data });
const counts = async () => ({
  keys: await server.db.prisma.apiKey.count({ where: { organizationId: acme.organizationId } }),
  events: await server.db.prisma.apiKeyEvent.count({ where: { organizationId: acme.organizationId } }),
  webhookEvents: await server.db.prisma.webhookEvent.count({ where: { organizationId: acme.organizationId } }),
});
const policyError = (message = expect.any(String)) => [{ field: ['input', 'expiresAt'], code: 'POLICY', message }];

beforeEach(() => setPolicy({ maxKeyLifetimeDays: null, requireKeyExpiry: false }));

describe('maxKeyLifetimeDays', () => {
  it('createApiKey without expiry, or beyond the lifetime, is a POLICY userError and writes nothing', async () => {
    await setPolicy({ maxKeyLifetimeDays: 90 });
    const before = await counts();
    for (const expiresAt of [undefined, null, inDays(90.01), '2126-01-01T00:00:00Z']) {
      const res = await create({ expiresAt });
      expect(res.body.data.createApiKey).toEqual({ token: null, apiKey: null, userErrors: policyError() });
    }
    const res = await create({ expiresAt: inDays(91) });
    expect(res.body.data.createApiKey.userErrors[0].message).toContain('at most 90 days');
    expect(await counts()).toEqual(before);
    const ok = await newKey({ expiresAt: inDays(90) });
    expect(ok).toMatchObject({ expiresAt: inDays(90), policyViolations: [] });
  });

  it('updateApiKey: a new expiry beyond the lifetime, or none, is POLICY and changes nothing', async () => {
    const key = await newKey({ expiresAt: inDays(30) });
    await setPolicy({ maxKeyLifetimeDays: 60 });
    const before = await counts();
    for (const expiresAt of [null, inDays(61)]) {
      const res = await update({ id: key.id, expiresAt, name: `${key.name} renamed` });
      expect(res.body.data.updateApiKey).toEqual({ apiKey: null, userErrors: policyError() });
    }
    expect(await counts()).toEqual(before);
    const row = await server.db.prisma.apiKey.findFirstOrThrow({
      where: { organizationId: acme.organizationId, name: key.name },
    });
    expect(row.expiresAt?.toISOString()).toBe(inDays(30));
    const ok = await update({ id: key.id, expiresAt: inDays(59) });
    expect(ok.body.data.updateApiKey.userErrors).toEqual([]);
  });

  it('existing keys are reported, not broken: policyViolations, and other changes still work', async () => {
    const forever = await newKey({ name: 'Forever' });
    const far = await newKey({ name: 'Far', expiresAt: inDays(400) });
    const near = await newKey({ name: 'Near', expiresAt: inDays(10) });
    await setPolicy({ maxKeyLifetimeDays: 30 });
    const list = await server.graphql(acme.adminToken, VIOLATING);
    const byName = Object.fromEntries(
      list.body.data.apiKeys.edges.map((e: any) => [e.node.name, e.node.policyViolations]),
    );
    expect(byName).toMatchObject({ Forever: ['NO_EXPIRY'], Far: ['EXPIRES_AFTER_MAX_LIFETIME'], Near: [] });
    // apiKeys(violatingPolicy:) agrees with policyViolations, key by key.
    const all = list.body.data.apiKeys.edges.map((e: any) => e.node);
    for (const violating of [true, false]) {
      const res = await server.graphql(
        acme.adminToken,
        `query ($v: Boolean) { apiKeys(first: 50, violatingPolicy: $v) { edges { node { name } } } }`,
        { v: violating },
      );
      expect(res.body.data.apiKeys.edges.map((e: any) => e.node.name)).toEqual(
        all.filter((k: any) => k.policyViolations.length > 0 === violating).map((k: any) => k.name),
      );
    }
    expect(all.filter((k: any) => k.policyViolations.length > 0).map((k: any) => k.name)).toEqual(
      expect.arrayContaining(['Far', 'Forever']),
    );
    // Changes that leave the expiry alone are accepted, even with the same expiry sent back
    // (a portal resending every field); the key keeps working.
    const renamed = await update({ id: far.id, name: 'Far renamed', description: 'legacy', expiresAt: inDays(400) });
    expect(renamed.body.data.updateApiKey).toMatchObject({
      apiKey: { name: 'Far renamed', policyViolations: ['EXPIRES_AFTER_MAX_LIFETIME'] },
      userErrors: [],
    });
    const revoke = await server.graphql(
      acme.adminToken,
      `mutation ($id: ID!) { revokeApiKey(input: { id: $id }) { userErrors { code } } }`,
      {
        id: forever.id,
      },
    );
    expect(revoke.body.data.revokeApiKey.userErrors).toEqual([]);
    expect(near).toBeTruthy();
  });
});

describe('requireKeyExpiry', () => {
  it('a key without expiry is POLICY on create, and expiresAt: null on update; any expiry is fine', async () => {
    const existing = await newKey({ expiresAt: inDays(5000) });
    const unlimited = await newKey();
    await setPolicy({ requireKeyExpiry: true });
    const before = await counts();
    const res = await create({});
    expect(res.body.data.createApiKey.userErrors).toEqual(
      policyError("The organisation's key policy requires an expiry (expiresAt)."),
    );
    const cleared = await update({ id: existing.id, expiresAt: null });
    expect(cleared.body.data.updateApiKey.userErrors).toEqual(policyError());
    expect(await counts()).toEqual(before);
    expect((await newKey({ expiresAt: inDays(3000) })).policyViolations).toEqual([]);
    const read = await server.graphql(
      acme.adminToken,
      `query ($id: ID!) { node(id: $id) { ... on ApiKey { policyViolations } } }`,
      {
        id: unlimited.id,
      },
    );
    expect(read.body.data.node.policyViolations).toEqual(['NO_EXPIRY']);
    const violating = await server.graphql(
      acme.adminToken,
      `{ apiKeys(first: 50, violatingPolicy: true) { edges { node { id } } } }`,
    );
    const ids = violating.body.data.apiKeys.edges.map((e: any) => e.node.id);
    expect(ids).toContain(unlimited.id);
    expect(ids).not.toContain(existing.id);
    const renamed = await update({ id: unlimited.id, name: 'Still unlimited' });
    expect(renamed.body.data.updateApiKey.userErrors).toEqual([]);
    const resent = await update({ id: unlimited.id, name: 'Still unlimited, resent', expiresAt: null });
    expect(resent.body.data.updateApiKey.userErrors).toEqual([]);
  });

  it("another organisation's policy does not apply; NOT_IN_FUTURE is reported before POLICY", async () => {
    await setPolicy({ requireKeyExpiry: true, maxKeyLifetimeDays: 1 });
    const theirs = await create({}, other);
    expect(theirs.body.data.createApiKey.userErrors).toEqual([]);
    const past = await create({ expiresAt: inDays(-1) });
    expect(past.body.data.createApiKey.userErrors).toMatchObject([
      { field: ['input', 'expiresAt'], code: 'NOT_IN_FUTURE' },
    ]);
  });
});
