import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CREATE,
  CYCLE,
  DELETE,
  EVENTS,
  REACTIVATE,
  REVOKE,
  UPDATE,
  VIEWER,
} from '../../../test/support/api-key-operations.ts';
import { globalId, organizationWith, type OrganizationScenario } from '../../../test/support/scenarios.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
let clock = new Date('2026-11-23T12:00:00Z');
const HOUR = 3_600_000;

beforeAll(async () => {
  server = await startTestServer({ now: () => clock });
  acme = await organizationWith(server.db.prisma, 'KeyCo', {
    projects: 2,
    contractorsPerProject: 2,
    workersPerContractor: 1,
  });
  other = await organizationWith(server.db.prisma, 'Elsewhere', {
    projects: 1,
    contractorsPerProject: 1,
    workersPerContractor: 1,
  });
});
afterAll(() => server?.close());

const project = (i: number, org = acme) => globalId('Project', org.projectIds[i]);
let counter = 0;
const uniqueName = () => `integration ${++counter}`;

async function createKey(input: Record<string, unknown> = {}, token = acme.adminToken) {
  const res = await server.graphql(token, CREATE, {
    input: { name: uniqueName(), projectIds: [project(0)], ...input },
  });
  return res;
}

async function newKey(input: Record<string, unknown> = {}) {
  const res = await createKey(input);
  expect(res.body.data.createApiKey.userErrors).toEqual([]);
  return res.body.data.createApiKey as { token: string; apiKey: { id: string; keyId: string; name: string } };
}

const keyCount = () => server.db.prisma.apiKey.count({ where: { organizationId: acme.organizationId } });
const eventCount = () => server.db.prisma.apiKeyEvent.count({ where: { organizationId: acme.organizationId } });
const viewerAs = (token: string) => server.graphql(token, VIEWER);

describe('createApiKey', () => {
  it('returns the token once, with safe defaults, and the key works at once', async () => {
    const res = await createKey({ name: 'Payroll sync', projectIds: [project(0), project(1)] });
    const { token, apiKey, userErrors } = res.body.data.createApiKey;
    expect(userErrors).toEqual([]);
    expect(token).toMatch(new RegExp(`^cgk_${apiKey.keyId}_[0-9A-Za-z]{49}$`));
    expect(apiKey).toMatchObject({
      name: 'Payroll sync',
      status: 'ACTIVE',
      allowWrites: false,
      canReadQualificationData: false,
      expiresAt: null,
      tokenPreview: `cgk_${apiKey.keyId}_…`,
      createdBy: { email: 'owner@keyco.test' },
      projects: { totalCount: 2 },
    });
    const stored = await server.db.prisma.apiKey.findUniqueOrThrow({ where: { keyId: apiKey.keyId } });
    expect(Buffer.from(stored.secretHash).toString('hex')).not.toContain(token.split('_')[2].slice(0, 10));

    const me = await viewerAs(token);
    expect(me.status).toBe(200);
    expect(me.body.data.viewer).toMatchObject({
      kind: 'API_KEY',
      keyId: apiKey.keyId,
      allowWrites: false,
      canReadQualificationData: false,
      organization: { name: 'KeyCo' },
      projects: { totalCount: 2 },
    });

    const list = await server.graphql(acme.adminToken, '{ apiKeys { edges { node { name } } } }');
    expect(list.body.data.apiKeys.edges.map((e: any) => e.node.name)).toContain('Payroll sync');
    expect(JSON.stringify(list.body)).not.toContain(token);
  });

  it('records a CREATED event with the actor and request id, never the secret', async () => {
    const res = await server.graphql(
      acme.adminToken,
      CREATE,
      { input: { name: uniqueName(), projectIds: [project(1)], allowWrites: true } },
      { 'x-request-id': 'req-create-1' },
    );
    const { apiKey, token } = res.body.data.createApiKey;
    const events = await server.graphql(acme.adminToken, EVENTS, { id: apiKey.id });
    const [event] = events.body.data.node.events.edges.map((e: any) => e.node);
    expect(event).toMatchObject({ action: 'CREATED', actor: { email: 'owner@keyco.test' }, requestId: 'req-create-1' });
    expect(event.changes.allowWrites).toEqual({ before: null, after: true });
    expect(JSON.stringify(events.body)).not.toContain(token.split('_')[2]);
  });

  it.each([
    ['a blank name', { name: '   ' }, ['input', 'name'], 'BLANK'],
    ['a name over 100 characters', { name: 'x'.repeat(101) }, ['input', 'name'], 'TOO_LONG'],
    ['no project', { projectIds: [] }, ['input', 'projectIds'], 'PROJECT_REQUIRED'],
    ['an expiry in the past', { expiresAt: '2026-11-23T11:59:59Z' }, ['input', 'expiresAt'], 'NOT_IN_FUTURE'],
  ])('answers %s with a userError and creates nothing', async (_case, input, field, code) => {
    const [keys, events] = [await keyCount(), await eventCount()];
    const res = await createKey(input);
    expect(res.status).toBe(200);
    expect(res.body.data.createApiKey).toMatchObject({ apiKey: null, token: null });
    expect(res.body.data.createApiKey.userErrors).toContainEqual({ field, code, message: expect.any(String) });
    expect([await keyCount(), await eventCount()]).toEqual([keys, events]);
  });

  it("refuses another organisation's project as NOT_FOUND", async () => {
    const keys = await keyCount();
    const res = await createKey({ projectIds: [project(0), project(0, other)] });
    expect(res.body.data.createApiKey.userErrors).toEqual([
      { field: ['input', 'projectIds'], code: 'NOT_FOUND', message: expect.any(String) },
    ]);
    expect(await keyCount()).toBe(keys);
  });

  it('refuses a name that is taken', async () => {
    const { apiKey } = await newKey();
    const res = await createKey({ name: apiKey.name });
    expect(res.body.data.createApiKey.userErrors).toEqual([
      { field: ['input', 'name'], code: 'TAKEN', message: expect.stringContaining(apiKey.name) },
    ]);
  });

  it('a name race between concurrent requests has one winner; the rest get TAKEN', async () => {
    const name = 'Race condition';
    const results = await Promise.all(Array.from({ length: 8 }, () => createKey({ name })));
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    const winners = results.filter((r) => r.body.data.createApiKey.apiKey);
    const losers = results.flatMap((r) => r.body.data.createApiKey.userErrors.map((e: any) => e.code));
    expect(winners).toHaveLength(1);
    expect(losers).toEqual(Array(7).fill('TAKEN'));
    expect(await server.db.prisma.apiKey.count({ where: { name } })).toBe(1);
  });
});

describe('updateApiKey', () => {
  it('changes only the given fields and audits before/after', async () => {
    const { apiKey } = await newKey({ expiresAt: '2027-01-01T00:00:00Z' });
    const res = await server.graphql(acme.adminToken, UPDATE, {
      input: { id: apiKey.id, allowWrites: true, projectIds: [project(1)] },
    });
    const updated = res.body.data.updateApiKey.apiKey;
    expect(updated).toMatchObject({
      name: apiKey.name,
      allowWrites: true,
      canReadQualificationData: false,
      expiresAt: '2027-01-01T00:00:00.000Z',
      projects: { edges: [{ node: { id: project(1) } }] },
    });
    const events = await server.graphql(acme.adminToken, EVENTS, { id: apiKey.id });
    const last = events.body.data.node.events.edges.at(-1)!.node;
    expect(last.action).toBe('UPDATED');
    expect(Object.keys(last.changes).sort()).toEqual(['allowWrites', 'projectIds']);
    expect(last.changes.allowWrites).toEqual({ before: false, after: true });
  });

  it('clears the expiry with expiresAt: null and rejects an empty project list', async () => {
    const { apiKey } = await newKey({ expiresAt: '2027-01-01T00:00:00Z' });
    const cleared = await server.graphql(acme.adminToken, UPDATE, { input: { id: apiKey.id, expiresAt: null } });
    expect(cleared.body.data.updateApiKey.apiKey.expiresAt).toBeNull();
    const empty = await server.graphql(acme.adminToken, UPDATE, {
      input: { id: apiKey.id, projectIds: [], name: 'renamed' },
    });
    expect(empty.body.data.updateApiKey.userErrors).toContainEqual(
      expect.objectContaining({ field: ['input', 'projectIds'], code: 'PROJECT_REQUIRED' }),
    );
    const stored = await server.db.prisma.apiKey.findUniqueOrThrow({ where: { keyId: apiKey.keyId } });
    expect(stored.name).toBe(apiKey.name);
  });

  it('deactivates with active: false (key refused at once) and reactivates with active: true', async () => {
    const { apiKey, token } = await newKey();
    await server.graphql(acme.adminToken, UPDATE, { input: { id: apiKey.id, active: false } });
    const refused = await viewerAs(token);
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].extensions.code).toBe('API_KEY_INACTIVE');
    await server.graphql(acme.adminToken, UPDATE, { input: { id: apiKey.id, active: true } });
    expect((await viewerAs(token)).status).toBe(200);
  });

  it('refuses to rename onto a taken name', async () => {
    const first = await newKey();
    const second = await newKey();
    const res = await server.graphql(acme.adminToken, UPDATE, {
      input: { id: second.apiKey.id, name: first.apiKey.name },
    });
    expect(res.body.data.updateApiKey.userErrors[0].code).toBe('TAKEN');
  });
});

describe('cycleApiKey', () => {
  it('without grace: the old token stops at once, the new one works, keyId stays', async () => {
    const { apiKey, token: oldToken } = await newKey();
    const res = await server.graphql(acme.adminToken, CYCLE, { input: { id: apiKey.id } });
    const { token: newToken, apiKey: cycled } = res.body.data.cycleApiKey;
    expect(cycled.keyId).toBe(apiKey.keyId);
    expect(cycled.lastCycledAt).toBe(clock.toISOString());
    expect(newToken).not.toBe(oldToken);
    const old = await viewerAs(oldToken);
    expect(old.status).toBe(401);
    expect(old.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await viewerAs(newToken)).status).toBe(200);
  });

  it('with grace: both work until the grace period ends, then only the new one', async () => {
    const { apiKey, token: oldToken } = await newKey();
    const res = await server.graphql(acme.adminToken, CYCLE, { input: { id: apiKey.id, gracePeriodSeconds: 3600 } });
    const newToken = res.body.data.cycleApiKey.token;
    expect((await viewerAs(oldToken)).status).toBe(200);
    expect((await viewerAs(newToken)).status).toBe(200);
    const saved = clock;
    try {
      clock = new Date(saved.getTime() + HOUR + 1000);
      expect((await viewerAs(oldToken)).status).toBe(401);
      expect((await viewerAs(newToken)).status).toBe(200);
    } finally {
      clock = saved;
    }
  });

  it.each([-1, 604_801])('refuses gracePeriodSeconds: %i and changes nothing', async (grace) => {
    const { apiKey, token } = await newKey();
    const res = await server.graphql(acme.adminToken, CYCLE, { input: { id: apiKey.id, gracePeriodSeconds: grace } });
    expect(res.body.data.cycleApiKey).toMatchObject({ token: null, apiKey: null });
    expect(res.body.data.cycleApiKey.userErrors[0]).toMatchObject({
      field: ['input', 'gracePeriodSeconds'],
      code: 'OUT_OF_RANGE',
    });
    expect((await viewerAs(token)).status).toBe(200);
  });
});

describe('revoke, reactivate, expiry', () => {
  it('revoke answers API_KEY_INACTIVE on the next request; reactivate restores it', async () => {
    const { apiKey, token } = await newKey();
    const revoked = await server.graphql(acme.adminToken, REVOKE, { input: { id: apiKey.id } });
    expect(revoked.body.data.revokeApiKey.apiKey.status).toBe('INACTIVE');
    const refused = await viewerAs(token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(refused.body.errors[0].extensions.code).toBe('API_KEY_INACTIVE');
    const reactivated = await server.graphql(acme.adminToken, REACTIVATE, { input: { id: apiKey.id } });
    expect(reactivated.body.data.reactivateApiKey.apiKey.status).toBe('ACTIVE');
    expect((await viewerAs(token)).status).toBe(200);
    const events = await server.graphql(acme.adminToken, EVENTS, { id: apiKey.id });
    expect(events.body.data.node.events.edges.map((e: any) => e.node.action)).toEqual([
      'CREATED',
      'REVOKED',
      'REACTIVATED',
    ]);
  });

  it('a key crossing its expiry while in use is refused with API_KEY_EXPIRED and shows EXPIRED', async () => {
    const { apiKey, token } = await newKey({ expiresAt: new Date(clock.getTime() + HOUR).toISOString() });
    expect((await viewerAs(token)).status).toBe(200);
    const saved = clock;
    try {
      clock = new Date(saved.getTime() + HOUR);
      const refused = await viewerAs(token);
      expect(refused.status).toBe(401);
      expect(refused.body.errors[0].extensions.code).toBe('API_KEY_EXPIRED');
      const status = await server.graphql(
        acme.adminToken,
        'query ($id: ID!) { node(id: $id) { ... on ApiKey { status } } }',
        {
          id: apiKey.id,
        },
      );
      expect(status.body.data.node.status).toBe('EXPIRED');
      const revoked = await server.graphql(acme.adminToken, REVOKE, { input: { id: apiKey.id } });
      expect(revoked.body.data.revokeApiKey.apiKey.status).toBe('INACTIVE');
      const reactivated = await server.graphql(acme.adminToken, REACTIVATE, { input: { id: apiKey.id } });
      expect(reactivated.body.data.reactivateApiKey.userErrors[0].code).toBe('EXPIRED');
      const extended = await server.graphql(acme.adminToken, UPDATE, {
        input: { id: apiKey.id, active: true, expiresAt: new Date(clock.getTime() + HOUR).toISOString() },
      });
      expect(extended.body.data.updateApiKey.apiKey.status).toBe('ACTIVE');
      expect((await viewerAs(token)).status).toBe(200);
    } finally {
      clock = saved;
    }
  });
});

describe('lastUsedAt', () => {
  const lastUsed = async (keyId: string) =>
    (await server.db.prisma.apiKey.findUniqueOrThrow({ where: { keyId } })).lastUsedAt?.toISOString() ?? null;
  const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

  it('is recorded off the request path, at most once a minute per key', async () => {
    const { apiKey, token } = await newKey();
    expect(await lastUsed(apiKey.keyId)).toBeNull();
    const saved = clock;
    try {
      await viewerAs(token);
      await settle();
      expect(await lastUsed(apiKey.keyId)).toBe(saved.toISOString());
      clock = new Date(saved.getTime() + 30_000);
      await viewerAs(token);
      await settle();
      expect(await lastUsed(apiKey.keyId)).toBe(saved.toISOString());
      clock = new Date(saved.getTime() + 61_000);
      await viewerAs(token);
      await settle();
      expect(await lastUsed(apiKey.keyId)).toBe(clock.toISOString());
    } finally {
      clock = saved;
    }
  });
});

describe('deleteApiKey', () => {
  it('kills the token, hides the key from the default list, frees the name and keeps the audit trail', async () => {
    const { apiKey, token } = await newKey();
    const res = await server.graphql(acme.adminToken, DELETE, { input: { id: apiKey.id } });
    expect(res.body.data.deleteApiKey).toEqual({ deletedApiKeyId: apiKey.id, userErrors: [] });
    const refused = await viewerAs(token);
    expect(refused.status).toBe(401);
    expect(refused.body.errors![0].extensions.code).toBe('UNAUTHENTICATED');
    // Still readable for its history (api-key-list.test.ts), marked DELETED.
    const node = await server.graphql(
      acme.adminToken,
      'query ($id: ID!) { node(id: $id) { ... on ApiKey { status } } }',
      {
        id: apiKey.id,
      },
    );
    expect(node.body.data.node).toEqual({ status: 'DELETED' });
    const list = await server.graphql(acme.adminToken, '{ apiKeys(first: 100) { edges { node { id } } } }');
    expect(list.body.data.apiKeys.edges.map((e: any) => e.node.id)).not.toContain(apiKey.id);
    const again = await createKey({ name: apiKey.name });
    expect(again.body.data.createApiKey.userErrors).toEqual([]);
    const trail = await server.db.prisma.apiKeyEvent.findMany({
      where: { apiKey: { keyId: apiKey.keyId } },
      orderBy: { id: 'asc' },
    });
    expect(trail.map((e) => e.action)).toEqual(['CREATED', 'DELETED']);
    const twice = await server.graphql(acme.adminToken, DELETE, { input: { id: apiKey.id } });
    expect(twice.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });
});

describe('who may manage keys', () => {
  it("another organisation's admin gets NOT_FOUND on every key mutation and changes nothing", async () => {
    const { apiKey, token } = await newKey();
    const events = await eventCount();
    const attempts: [TypedDocumentNode<unknown, any>, Record<string, unknown>][] = [
      [UPDATE, { id: apiKey.id, name: 'hijacked', allowWrites: true }],
      [CYCLE, { id: apiKey.id }],
      [REVOKE, { id: apiKey.id }],
      [REACTIVATE, { id: apiKey.id }],
      [DELETE, { id: apiKey.id }],
    ];
    for (const [mutation, input] of attempts) {
      const res = await server.graphql(other.adminToken, mutation, { input });
      expect(res.status).toBe(200);
      expect(res.body.data).toBeNull();
      expect(res.body.errors[0].extensions.code).toBe('NOT_FOUND');
    }
    const theirList = await server.graphql(other.adminToken, '{ apiKeys { totalCount } }');
    expect(theirList.body.data.apiKeys.totalCount).toBe(0);
    const node = await server.graphql(other.adminToken, 'query ($id: ID!) { node(id: $id) { id } }', { id: apiKey.id });
    expect(node.body.data.node).toBeNull();
    expect(await eventCount()).toBe(events);
    expect((await viewerAs(token)).status).toBe(200);
  });

  it('an API key (even one that allows writes) cannot see or manage keys: FORBIDDEN', async () => {
    const { apiKey, token } = await newKey({ allowWrites: true });
    const list = await server.graphql(token, '{ apiKeys { totalCount } }');
    expect(list.status).toBe(403);
    expect(list.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const keys = await keyCount();
    const create = await createKey({}, token);
    expect(create.status).toBe(403);
    expect(create.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const revoke = await server.graphql(token, REVOKE, { input: { id: apiKey.id } });
    expect(revoke.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(await keyCount()).toBe(keys);
    const node = await server.graphql(token, 'query ($id: ID!) { node(id: $id) { id } }', { id: apiKey.id });
    expect(node.body.data.node).toBeNull();
  });
});
