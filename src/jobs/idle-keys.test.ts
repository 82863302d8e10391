import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeIdleKeys } from './idle-keys.ts';
import { apiKeyFixture, globalId, organizationWith, type OrganizationScenario } from '../../test/support/scenarios.ts';
import { startTestServer, type TestServer } from '../../test/support/server.ts';

/** revokeIdleKeysAfterDays (issue 20, part 3), with the clock given to the job. */
const NOW = new Date('2027-03-01T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

let server: TestServer;
let acme: OrganizationScenario;
let lax: OrganizationScenario;

beforeAll(async () => {
  server = await startTestServer();
  acme = await organizationWith(server.db.prisma, 'Tidy', { projects: 2, contractorsPerProject: 1 });
  lax = await organizationWith(server.db.prisma, 'Lax', { projects: 1, contractorsPerProject: 1 });
  await server.db.prisma.organization.update({
    where: { id: acme.organizationId },
    data: { revokeIdleKeysAfterDays: 30 },
  });
  await server.db.prisma.webhookEndpoint.create({
    data: {
      organizationId: acme.organizationId,
      url: 'https://hooks.example.com/tidy',
      events: ['api_key.revoked'],
      secret: 'whsec_test',
    },
  });
});
afterAll(() => server?.close());

const prisma = () => server.db.prisma;
const key = async (
  org: OrganizationScenario,
  data: {
    lastUsedAt?: Date | null;
    createdAt: Date;
    state?: 'ACTIVE' | 'INACTIVE';
    deletedAt?: Date;
    expiresAt?: Date;
  },
  projectIds = [org.projectIds[0]],
) => {
  const made = await apiKeyFixture(prisma(), org.organizationId, { projectIds });
  await prisma().apiKey.update({ where: { id: made.id }, data });
  return made;
};
const row = (id: string) => prisma().apiKey.findUniqueOrThrow({ where: { id } });
const revocations = (apiKeyId: string) => prisma().apiKeyEvent.findMany({ where: { apiKeyId, action: 'REVOKED' } });

describe('idle keys', () => {
  it('revokes the keys unused (or, never used, created) longer than the setting, and nothing else', async () => {
    const stale = await key(acme, { lastUsedAt: daysAgo(31), createdAt: daysAgo(200) }, acme.projectIds);
    const neverUsed = await key(acme, { lastUsedAt: null, createdAt: daysAgo(40) });
    const recent = await key(acme, { lastUsedAt: daysAgo(10), createdAt: daysAgo(200) });
    const young = await key(acme, { lastUsedAt: null, createdAt: daysAgo(5) });
    const deleted = await key(acme, { lastUsedAt: daysAgo(90), createdAt: daysAgo(200), deletedAt: daysAgo(1) });
    const inactive = await key(acme, { lastUsedAt: daysAgo(90), createdAt: daysAgo(200), state: 'INACTIVE' });
    const expired = await key(acme, { lastUsedAt: daysAgo(90), createdAt: daysAgo(200), expiresAt: daysAgo(1) });
    const reactivated = await key(acme, { lastUsedAt: daysAgo(90), createdAt: daysAgo(200) });
    await prisma().apiKeyEvent.create({
      data: {
        organizationId: acme.organizationId,
        apiKeyId: reactivated.id,
        action: 'REACTIVATED',
        createdAt: daysAgo(2),
      },
    });
    const otherOrganization = await key(lax, { lastUsedAt: daysAgo(900), createdAt: daysAgo(900) });

    expect(await revokeIdleKeys(prisma(), NOW)).toBe(2);
    for (const k of [stale, neverUsed]) {
      expect(await row(k.id)).toMatchObject({ state: 'INACTIVE', revokedReason: 'IDLE' });
    }
    for (const k of [recent, young, reactivated, otherOrganization]) {
      expect(await row(k.id)).toMatchObject({ state: 'ACTIVE', revokedReason: null });
    }
    expect((await row(inactive.id)).revokedReason).toBeNull();
    expect((await row(deleted.id)).state).toBe('ACTIVE');
    expect((await row(expired.id)).state).toBe('ACTIVE');
    for (const k of [recent, young, deleted, inactive, expired, reactivated, otherOrganization]) {
      expect(await revocations(k.id)).toEqual([]);
    }

    // the key's own trail: REVOKED without an actor, with the reason
    const [event] = await revocations(stale.id);
    expect(event).toMatchObject({
      actorId: null,
      changes: { state: { before: 'ACTIVE', after: 'INACTIVE' }, revokedReason: { before: null, after: 'IDLE' } },
    });
    // the organisation's audit log
    const audit = await prisma().auditEvent.findMany({ where: { targetId: stale.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      organizationId: acme.organizationId,
      action: 'api_key.revoked',
      targetType: 'ApiKey',
      actorUserId: null,
      actorApiKeyId: null,
      projectIds: [...acme.projectIds].sort(),
      changes: {
        reason: 'IDLE',
        state: { before: 'ACTIVE', after: 'INACTIVE' },
        idleSince: daysAgo(31).toISOString(),
        revokeIdleKeysAfterDays: 30,
      },
    });
    // the webhook, with the reason
    const hook = await prisma().webhookEvent.findFirstOrThrow({ where: { apiKeyId: stale.id } });
    expect(hook.type).toBe('api_key.revoked');
    expect(hook.payload).toMatchObject({
      type: 'api_key.revoked',
      data: { reason: 'IDLE', apiKey: { id: globalId('ApiKey', stale.id), status: 'INACTIVE' } },
    });
    expect(await prisma().webhookDelivery.count({ where: { eventId: hook.id } })).toBe(1);

    // the token stops working
    const res = await server.graphql(stale.token, '{ viewer { kind } }');
    expect(res.status).toBe(401);

    // a second round finds nothing to do
    expect(await revokeIdleKeys(prisma(), NOW)).toBe(0);
    expect(await revocations(stale.id)).toHaveLength(1);
  });

  it('several instances at once revoke each key once', async () => {
    const stale = await Promise.all(
      [1, 2, 3].map(() => key(acme, { lastUsedAt: daysAgo(45), createdAt: daysAgo(100) })),
    );
    const counts = await Promise.all([revokeIdleKeys(prisma(), NOW), revokeIdleKeys(prisma(), NOW)]);
    expect(counts[0] + counts[1]).toBe(3);
    for (const k of stale) {
      expect(await revocations(k.id)).toHaveLength(1);
      expect(await prisma().auditEvent.count({ where: { targetId: k.id, action: 'api_key.revoked' } })).toBe(1);
      expect(await prisma().webhookEvent.count({ where: { apiKeyId: k.id, type: 'api_key.revoked' } })).toBe(1);
    }
  });

  it('the idle period follows the setting: a shorter one catches more keys, none catches nothing', async () => {
    const twentyDays = await key(acme, { lastUsedAt: daysAgo(20), createdAt: daysAgo(100) });
    expect(await revokeIdleKeys(prisma(), NOW)).toBe(0);
    await prisma().organization.update({ where: { id: acme.organizationId }, data: { revokeIdleKeysAfterDays: null } });
    expect(await revokeIdleKeys(prisma(), new Date(NOW.getTime() + 365 * 86_400_000))).toBe(0);
    await prisma().organization.update({ where: { id: acme.organizationId }, data: { revokeIdleKeysAfterDays: 14 } });
    expect(await revokeIdleKeys(prisma(), NOW)).toBe(1);
    expect((await row(twentyDays.id)).revokedReason).toBe('IDLE');
  });

  it("an admin's reactivation clears the reason, and the key's trail says so", async () => {
    const idle = await key(acme, { lastUsedAt: daysAgo(60), createdAt: daysAgo(100), expiresAt: undefined });
    await revokeIdleKeys(prisma(), NOW);
    expect((await row(idle.id)).revokedReason).toBe('IDLE');
    const res = await server.graphql(
      acme.adminToken,
      'mutation ($input: ReactivateApiKeyInput!) { reactivateApiKey(input: $input) { apiKey { status } userErrors { code } } }',
      { input: { id: globalId('ApiKey', idle.id) } },
    );
    expect(res.body.data.reactivateApiKey).toEqual({ apiKey: { status: 'ACTIVE' }, userErrors: [] });
    expect(await row(idle.id)).toMatchObject({ state: 'ACTIVE', revokedReason: null });
    const [event] = await prisma().apiKeyEvent.findMany({ where: { apiKeyId: idle.id, action: 'REACTIVATED' } });
    expect(event.changes).toEqual({
      state: { before: 'INACTIVE', after: 'ACTIVE' },
      revokedReason: { before: 'IDLE', after: null },
    });
  });
});
