import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, mutationDocument } from '../../../test/support/mutations.ts';
import {
  apiKeyFixture,
  globalId,
  organizationWith,
  type OrganizationScenario,
  projectAdminToken,
} from '../../../test/support/scenarios.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

/*
 * The organisation's audit log (issue 20, part 1, first slice): key lifecycle and webhook
 * endpoints, written in the transaction of the change, read by admins only.
 */

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
let ownerId: string;
let projectAdmin: string;
let key: string;
const clock = new Date('2026-06-01T12:00:00Z');

beforeAll(async () => {
  server = await startTestServer({ now: () => clock, webhooksAllowHttp: true });
  const prisma = server.db.prisma;
  const shape = { projects: 2, contractorsPerProject: 1, workersPerContractor: 1 };
  acme = await organizationWith(prisma, 'Auditco', shape);
  other = await organizationWith(prisma, 'Elsewhere', shape);
  ownerId = (await prisma.user.findFirstOrThrow({ where: { organizationId: acme.organizationId } })).id;
  projectAdmin = await projectAdminToken(prisma, 'Auditco', [acme.projectIds[0]], 'site@auditco.test');
  key = (await apiKeyFixture(prisma, acme.organizationId, { projectIds: [acme.projectIds[0]], allowWrites: true }))
    .token;
});
afterAll(() => server?.close());

const AUDIT = `query ($action: String, $targetId: ID, $actorId: ID, $since: DateTime, $until: DateTime, $targetType: String) {
  auditEvents(action: $action, targetId: $targetId, actorId: $actorId, since: $since, until: $until, targetType: $targetType, first: 50) {
    totalCount
    edges { node { action targetType targetId changes requestId createdAt actor { __typename ... on AdminActor { name } } } }
  }
}`;
const CREATE_KEY = mutationDocument('createApiKey', 'apiKey { id }');
const UPDATE_KEY = mutationDocument('updateApiKey', 'apiKey { id }');
const REVOKE_KEY = mutationDocument('revokeApiKey', 'apiKey { id }');
const CREATE_ENDPOINT = mutationDocument('createWebhookEndpoint', 'webhookEndpoint { id } secret');
const UPDATE_ENDPOINT = mutationDocument('updateWebhookEndpoint', 'webhookEndpoint { id }');
const ROLL_SECRET = mutationDocument('rollWebhookEndpointSecret', 'webhookEndpoint { id } secret');
const DELETE_ENDPOINT = mutationDocument('deleteWebhookEndpoint', 'deletedWebhookEndpointId');

const auditOf = async (token: string, variables: Record<string, unknown> = {}) => {
  const res = await server.graphql(token, AUDIT, variables);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.auditEvents;
};
const actions = (log: { edges: { node: { action: string } }[] }) => log.edges.map((edge) => edge.node.action);
let serial = 0;

describe('auditEvents', () => {
  let keyId: string;
  let endpointId: string;
  let secrets: string[] = [];

  beforeAll(async () => {
    const created = await server.graphql(
      acme.adminToken,
      CREATE_KEY,
      { input: { name: `Audited ${++serial}`, projectIds: [globalId('Project', acme.projectIds[0])] } },
      { 'X-Request-Id': 'audit-create-1' },
    );
    keyId = created.body.data.createApiKey.apiKey.id;
    await server.graphql(acme.adminToken, UPDATE_KEY, { input: { id: keyId, allowWrites: true } });
    await server.graphql(acme.adminToken, REVOKE_KEY, { input: { id: keyId } });
    const endpoint = await server.graphql(acme.adminToken, CREATE_ENDPOINT, {
      input: { url: 'http://127.0.0.1:9/audit', events: ['api_key.created'] },
    });
    endpointId = endpoint.body.data.createWebhookEndpoint.webhookEndpoint.id;
    secrets.push(endpoint.body.data.createWebhookEndpoint.secret);
    await server.graphql(acme.adminToken, UPDATE_ENDPOINT, { input: { id: endpointId, active: false } });
    const rolled = await server.graphql(acme.adminToken, ROLL_SECRET, {
      input: { id: endpointId, gracePeriodSeconds: 60 },
    });
    secrets.push(rolled.body.data.rollWebhookEndpointSecret.secret);
    await server.graphql(acme.adminToken, DELETE_ENDPOINT, { input: { id: endpointId } });
  });

  it('lists key and webhook changes newest first, with the admin who made them', async () => {
    const log = await auditOf(acme.adminToken);
    expect(actions(log)).toEqual([
      'webhook_endpoint.deleted',
      'webhook_endpoint.secret_rolled',
      'webhook_endpoint.updated',
      'webhook_endpoint.created',
      'api_key.revoked',
      'api_key.updated',
      'api_key.created',
    ]);
    for (const edge of log.edges) expect(edge.node.actor.__typename).toBe('AdminActor');
    expect(JSON.stringify(log)).not.toMatch(/whsec_|cgk_/);
    for (const secret of secrets) expect(JSON.stringify(log)).not.toContain(secret);
  });

  it('records the fields before and after, and the request id', async () => {
    const [created] = (await auditOf(acme.adminToken, { action: 'api_key.created' })).edges;
    expect(created.node).toMatchObject({ targetType: 'ApiKey', targetId: keyId, requestId: 'audit-create-1' });
    expect(created.node.changes.name).toEqual({ before: null, after: `Audited ${serial}` });
    const [updated] = (await auditOf(acme.adminToken, { action: 'webhook_endpoint.updated' })).edges;
    expect(updated.node.changes).toEqual({ active: { before: true, after: false } });
  });

  it('filters by target, actor, type and time', async () => {
    expect(actions(await auditOf(acme.adminToken, { targetId: keyId }))).toEqual([
      'api_key.revoked',
      'api_key.updated',
      'api_key.created',
    ]);
    expect((await auditOf(acme.adminToken, { actorId: globalId('Admin', ownerId) })).totalCount).toBe(7);
    expect((await auditOf(acme.adminToken, { actorId: globalId('Admin', crypto.randomUUID()) })).totalCount).toBe(0);
    expect((await auditOf(acme.adminToken, { targetType: 'WebhookEndpoint' })).totalCount).toBe(4);
    expect((await auditOf(acme.adminToken, { until: clock.toISOString() })).totalCount).toBe(0);
    expect((await auditOf(acme.adminToken, { since: clock.toISOString() })).totalCount).toBe(7);
  });

  it('a mutation refused with userErrors records nothing', async () => {
    const before = await server.db.prisma.auditEvent.count();
    const res = await server.graphql(acme.adminToken, CREATE_KEY, { input: { name: ' ', projectIds: [] } });
    expect(res.body.data.createApiKey.userErrors.length).toBeGreaterThan(0);
    expect(await server.db.prisma.auditEvent.count()).toBe(before);
  });

  it('an API key is FORBIDDEN (403)', async () => {
    const res = await server.graphql(key, AUDIT);
    expect(res.status).toBe(403);
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
  });

  it("another organisation's admin reads none of it, by list or by node", async () => {
    expect((await auditOf(other.adminToken)).totalCount).toBe(0);
    const event = await server.db.prisma.auditEvent.findFirstOrThrow({
      where: { organizationId: acme.organizationId },
    });
    const res = await server.graphql(other.adminToken, 'query ($id: ID!) { node(id: $id) { id } }', {
      id: globalId('AuditEvent', event.id),
    });
    expect(res.body.data.node).toBeNull();
  });

  it('records admin management: creation, role and project changes, deactivation', async () => {
    const CREATE_ADMIN = mutationDocument('createAdmin', 'admin { id }');
    const UPDATE_ADMIN = mutationDocument('updateAdmin', 'admin { id }');
    const DEACTIVATE_ADMIN = mutationDocument('deactivateAdmin', 'admin { id }');
    const created = await server.graphql(acme.adminToken, CREATE_ADMIN, {
      input: { email: 'new.admin@auditco.test', role: 'ADMIN' },
    });
    const adminId = created.body.data.createAdmin.admin.id;
    const project = globalId('Project', acme.projectIds[1]);
    await server.graphql(acme.adminToken, UPDATE_ADMIN, {
      input: { id: adminId, role: 'PROJECT_ADMIN', projectIds: [project] },
    });
    await server.graphql(acme.adminToken, DEACTIVATE_ADMIN, { input: { id: adminId } });
    const log = await auditOf(acme.adminToken, { targetId: adminId });
    expect(actions(log)).toEqual(['admin.deactivated', 'admin.updated', 'admin.created']);
    const [deactivated, updated] = log.edges.map((edge: { node: { changes: object } }) => edge.node.changes);
    expect(updated).toEqual({
      role: { before: 'ADMIN', after: 'PROJECT_ADMIN' },
      projectIds: { before: [], after: [acme.projectIds[1]] },
    });
    expect(deactivated).toEqual({ deactivatedAt: { before: null, after: clock.toISOString() } });
    expect(JSON.stringify(log)).not.toMatch(/cga_/);
  });

  it('a project admin reads no organisation-wide events and no events of keys beyond their projects', async () => {
    // The admin of project 0 reads the events of the key made on project 0 (audit-project-admins.test.ts),
    // not the webhook endpoint's nor the admin's (organisation-wide).
    expect(actions(await auditOf(projectAdmin))).toEqual(['api_key.revoked', 'api_key.updated', 'api_key.created']);
  });
});
