import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../config.ts';
import { createAdmin } from '../admins/admin.service.ts';
import { apiKeyFixture, organizationWith, type OrganizationScenario } from '../../../test/support/scenarios.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

const SETTINGS = `settings {
  maxKeyLifetimeDays requireKeyExpiry revokeIdleKeysAfterDays maxAdminTokenLifetimeDays
  defaultRateLimit { requests perSeconds } serverRateLimit { requests perSeconds }
}`;
const READ = `{ viewer { organization { id name ${SETTINGS} } } }`;
const UPDATE = `mutation ($input: UpdateOrganizationSettingsInput!) {
  updateOrganizationSettings(input: $input) {
    organization { id ${SETTINGS} }
    userErrors { field code message }
  }
}`;
const SERVER_BUDGET = { requests: DEFAULTS.rateLimits.keyRequests, perSeconds: DEFAULTS.rateLimits.windowSeconds };
const UNSET = {
  maxKeyLifetimeDays: null,
  requireKeyExpiry: false,
  revokeIdleKeysAfterDays: null,
  maxAdminTokenLifetimeDays: null,
  defaultRateLimit: null,
  serverRateLimit: SERVER_BUDGET,
};

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
let adminToken: string;
let projectAdminToken: string;
let key: { id: string; token: string };

beforeAll(async () => {
  server = await startTestServer();
  acme = await organizationWith(server.db.prisma, 'Settled', { projects: 2, contractorsPerProject: 1 });
  other = await organizationWith(server.db.prisma, 'Elsewhere', { projects: 1, contractorsPerProject: 1 });
  const { organizationId } = acme;
  adminToken = (await createAdmin(server.db.prisma, { organizationId, email: 'admin@settled.test', role: 'ADMIN' }))
    .token;
  projectAdminToken = (
    await createAdmin(server.db.prisma, {
      organizationId,
      email: 'pa@settled.test',
      role: 'PROJECT_ADMIN',
      projects: [acme.projectIds[0]],
    })
  ).token;
  key = await apiKeyFixture(server.db.prisma, organizationId, { projectIds: acme.projectIds, allowWrites: true });
});
afterAll(() => server?.close());

const update = (token: string, input: Record<string, unknown>, headers?: Record<string, string>) =>
  server.graphql(token, UPDATE, { input }, headers);
const auditEvents = (organizationId = acme.organizationId) =>
  server.db.prisma.auditEvent.findMany({
    where: { organizationId, action: 'organization.settings_updated' },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
const organizationRow = (id = acme.organizationId) =>
  server.db.prisma.organization.findUniqueOrThrow({ where: { id } });

describe('Organization.settings', () => {
  it('every admin role reads them; unset, they show no limits and the server budget in force', async () => {
    for (const token of [acme.adminToken, adminToken, projectAdminToken]) {
      const res = await server.graphql(token, READ);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.viewer.organization.settings).toEqual(UNSET);
    }
  });

  it('a key reads its organisation but gets null and FORBIDDEN at settings', async () => {
    const res = await server.graphql(key.token, READ);
    expect(res.status).toBe(200);
    expect(res.body.data.viewer.organization.name).toBe('Settled');
    expect(res.body.data.viewer.organization.settings).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(res.body.errors[0].path).toEqual(['viewer', 'organization', 'settings']);
  });
});

describe('updateOrganizationSettings', () => {
  it('an owner sets every setting, recorded in the audit log with before/after, actor and request id', async () => {
    const res = await update(
      acme.adminToken,
      {
        maxKeyLifetimeDays: 90,
        requireKeyExpiry: true,
        revokeIdleKeysAfterDays: 30,
        defaultRateLimit: { requests: 300, perSeconds: 60 },
        maxAdminTokenLifetimeDays: 365,
      },
      { 'x-request-id': 'settings-change-1' },
    );
    const payload = res.body.data.updateOrganizationSettings;
    expect(payload.userErrors).toEqual([]);
    expect(payload.organization.settings).toEqual({
      maxKeyLifetimeDays: 90,
      requireKeyExpiry: true,
      revokeIdleKeysAfterDays: 30,
      maxAdminTokenLifetimeDays: 365,
      defaultRateLimit: { requests: 300, perSeconds: 60 },
      serverRateLimit: SERVER_BUDGET,
    });
    const row = await organizationRow();
    expect([row.defaultRateLimitRequests, row.defaultRateLimitPerSeconds]).toEqual([300, 60]);
    const [event] = await auditEvents();
    const owner = await server.db.prisma.user.findFirstOrThrow({
      where: { organizationId: acme.organizationId, role: 'OWNER' },
    });
    expect(event).toMatchObject({
      targetType: 'Organization',
      targetId: acme.organizationId,
      actorUserId: owner.id,
      actorApiKeyId: null,
      requestId: 'settings-change-1',
      changes: {
        maxKeyLifetimeDays: { before: null, after: 90 },
        requireKeyExpiry: { before: false, after: true },
        revokeIdleKeysAfterDays: { before: null, after: 30 },
        defaultRateLimit: { before: null, after: { requests: 300, perSeconds: 60 } },
        maxAdminTokenLifetimeDays: { before: null, after: 365 },
      },
    });
  });

  it('omitted fields stay, null clears, and only what changed is recorded; no change records nothing', async () => {
    const before = (await auditEvents()).length;
    const res = await update(acme.adminToken, { maxKeyLifetimeDays: null, defaultRateLimit: null });
    expect(res.body.data.updateOrganizationSettings.organization.settings).toMatchObject({
      maxKeyLifetimeDays: null,
      requireKeyExpiry: true,
      revokeIdleKeysAfterDays: 30,
      maxAdminTokenLifetimeDays: 365,
      defaultRateLimit: null,
    });
    const events = await auditEvents();
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)!.changes).toEqual({
      maxKeyLifetimeDays: { before: 90, after: null },
      defaultRateLimit: { before: { requests: 300, perSeconds: 60 }, after: null },
    });
    const same = await update(acme.adminToken, { revokeIdleKeysAfterDays: 30 });
    expect(same.body.data.updateOrganizationSettings.userErrors).toEqual([]);
    expect(await auditEvents()).toHaveLength(before + 1);
  });

  it.each([
    [{ maxKeyLifetimeDays: 0 }, ['input', 'maxKeyLifetimeDays'], 'OUT_OF_RANGE'],
    [{ maxKeyLifetimeDays: 3651 }, ['input', 'maxKeyLifetimeDays'], 'OUT_OF_RANGE'],
    [{ revokeIdleKeysAfterDays: 0 }, ['input', 'revokeIdleKeysAfterDays'], 'OUT_OF_RANGE'],
    [{ maxAdminTokenLifetimeDays: 3651 }, ['input', 'maxAdminTokenLifetimeDays'], 'OUT_OF_RANGE'],
    [{ defaultRateLimit: { requests: 0, perSeconds: 60 } }, ['input', 'defaultRateLimit', 'requests'], 'OUT_OF_RANGE'],
    [
      { defaultRateLimit: { requests: 100_001, perSeconds: 60 } },
      ['input', 'defaultRateLimit', 'requests'],
      'OUT_OF_RANGE',
    ],
    [
      { defaultRateLimit: { requests: 10, perSeconds: 86_401 } },
      ['input', 'defaultRateLimit', 'perSeconds'],
      'OUT_OF_RANGE',
    ],
    [{ requireKeyExpiry: null }, ['input', 'requireKeyExpiry'], 'BLANK'],
  ])('%o is refused (%s %s) and changes nothing', async (input, field, code) => {
    const before = [await organizationRow(), (await auditEvents()).length];
    const res = await update(acme.adminToken, { maxKeyLifetimeDays: 10, ...input });
    const payload = res.body.data.updateOrganizationSettings;
    expect(payload.organization).toBeNull();
    expect(payload.userErrors).toEqual([{ field, code, message: expect.any(String) }]);
    expect([await organizationRow(), (await auditEvents()).length]).toEqual(before);
  });

  it('the bounds themselves are accepted', async () => {
    const res = await update(acme.adminToken, {
      maxKeyLifetimeDays: 3650,
      revokeIdleKeysAfterDays: 1,
      defaultRateLimit: { requests: 100_000, perSeconds: 86_400 },
    });
    expect(res.body.data.updateOrganizationSettings.userErrors).toEqual([]);
    await update(acme.adminToken, { maxKeyLifetimeDays: null, revokeIdleKeysAfterDays: null, defaultRateLimit: null });
  });

  it('admins, project admins and keys are FORBIDDEN and change nothing', async () => {
    const before = [await organizationRow(), (await auditEvents()).length];
    for (const token of [adminToken, projectAdminToken, key.token]) {
      const res = await update(token, { maxKeyLifetimeDays: 5 });
      expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(res.body.data?.updateOrganizationSettings ?? null).toBeNull();
    }
    expect([await organizationRow(), (await auditEvents()).length]).toEqual(before);
  });

  it("another organisation's owner changes only their own organisation", async () => {
    const before = await organizationRow();
    const res = await update(other.adminToken, { maxKeyLifetimeDays: 7 });
    expect(res.body.data.updateOrganizationSettings.organization.settings.maxKeyLifetimeDays).toBe(7);
    expect((await organizationRow(other.organizationId)).maxKeyLifetimeDays).toBe(7);
    expect(await organizationRow()).toEqual(before);
    expect(await auditEvents(other.organizationId)).toHaveLength(1);
  });

  it("a new default budget applies to keys without their own at once (RateLimit-Limit); existing keys' expiry is not changed", async () => {
    const seen = await server.graphql(key.token, '{ viewer { kind } }');
    expect(seen.headers.get('ratelimit-limit')).toBe(String(SERVER_BUDGET.requests));
    const expiresBefore = (await server.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).expiresAt;
    await update(acme.adminToken, { defaultRateLimit: { requests: 50, perSeconds: 60 }, maxKeyLifetimeDays: 1 });
    const after = await server.graphql(key.token, '{ viewer { kind } }');
    expect(after.status).toBe(200);
    expect(after.headers.get('ratelimit-limit')).toBe('50');
    const row = await server.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect([row.state, row.expiresAt]).toEqual(['ACTIVE', expiresBefore]);
    await update(acme.adminToken, { defaultRateLimit: null, maxKeyLifetimeDays: null });
    const back = await server.graphql(key.token, '{ viewer { kind } }');
    expect(back.headers.get('ratelimit-limit')).toBe(String(SERVER_BUDGET.requests));
  });
});
