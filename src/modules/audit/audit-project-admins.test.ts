import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutationDocument, payloadOf } from '../../../test/support/mutations.ts';
import {
  globalId,
  organizationWith,
  type OrganizationScenario,
  projectAdminToken,
} from '../../../test/support/scenarios.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

/*
 * Issue 20, part 1: a project admin reads the audit events wholly inside their projects,
 * key events included: those of a key whose projects are all theirs, and keys' domain writes
 * in their projects; never an event that reaches beyond them, nor another organisation's.
 */

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
let projectAdmin: string;
let otherProjectAdmin: string;
const keys: Record<'inside' | 'beyond' | 'elsewhere' | 'moved', { id: string; token: string }> = {} as never;
const clock = new Date('2026-06-01T12:00:00Z');

const CREATE_KEY = mutationDocument('createApiKey', 'apiKey { id } token');
const UPDATE_KEY = mutationDocument('updateApiKey', 'apiKey { id }');
const CREATE_GOAL = mutationDocument('createGoal', 'goal { id }');
const CREATE_ENDPOINT = mutationDocument('createWebhookEndpoint', 'webhookEndpoint { id }');
const AUDIT = `{ auditEvents(first: 100) { totalCount edges { node { id action targetId } } } }`;
const NODE = 'query ($id: ID!) { node(id: $id) { id ... on AuditEvent { action } } }';

const project = (i: number) => globalId('Project', acme.projectIds[i]);
async function createKey(name: string, projects: number[]) {
  const res = await server.graphql(acme.adminToken, CREATE_KEY, {
    input: { name, allowWrites: true, projectIds: projects.map(project) },
  });
  const { apiKey, token } = payloadOf(res, 'createApiKey');
  return { id: apiKey.id as string, token: token as string };
}
async function createGoal(token: string, title: string) {
  const res = await server.graphql(token, CREATE_GOAL, {
    input: { projectId: project(0), ownerId: globalId('Person', acme.personIds[0]), title },
  });
  return payloadOf(res, 'createGoal').goal.id as string;
}
async function auditOf(token: string) {
  const res = await server.graphql(token, AUDIT);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.auditEvents as {
    totalCount: number;
    edges: { node: { id: string; action: string; targetId: string } }[];
  };
}
const targets = async (token: string) => new Set((await auditOf(token)).edges.map((edge) => edge.node.targetId));

let goalByInsideKey: string;
let goalByBeyondKey: string;

beforeAll(async () => {
  server = await startTestServer({ now: () => clock, webhooksAllowHttp: true });
  const prisma = server.db.prisma;
  acme = await organizationWith(prisma, 'Siteaudit', {
    projects: 3,
    contractorsPerProject: 1,
    workersPerContractor: 1,
  });
  other = await organizationWith(prisma, 'Otheraudit', {
    projects: 1,
    contractorsPerProject: 1,
    workersPerContractor: 1,
  });
  projectAdmin = await projectAdminToken(prisma, 'Siteaudit', [acme.projectIds[0], acme.projectIds[1]]);
  otherProjectAdmin = await projectAdminToken(prisma, 'Otheraudit', [other.projectIds[0]]);
  keys.inside = await createKey('Inside', [0]);
  keys.beyond = await createKey('Beyond', [0, 2]);
  keys.elsewhere = await createKey('Elsewhere', [2]);
  keys.moved = await createKey('Moved', [2]);
  payloadOf(
    await server.graphql(acme.adminToken, UPDATE_KEY, { input: { id: keys.moved.id, projectIds: [project(1)] } }),
    'updateApiKey',
  );
  goalByInsideKey = await createGoal(keys.inside.token, 'By the inside key');
  goalByBeyondKey = await createGoal(keys.beyond.token, 'By the key reaching beyond');
  payloadOf(
    await server.graphql(acme.adminToken, CREATE_ENDPOINT, {
      input: { url: 'http://127.0.0.1:9/hook', events: ['api_key.created'] },
    }),
    'createWebhookEndpoint',
  );
});
afterAll(() => server?.close());

describe('a project admin reads the audit events inside their projects', () => {
  it('the events of a key whose projects are all theirs, and keys’ writes in their projects', async () => {
    const seen = await targets(projectAdmin);
    expect(seen.has(keys.inside.id)).toBe(true);
    expect(seen.has(goalByInsideKey)).toBe(true);
    expect(seen.has(goalByBeyondKey)).toBe(true);
    const actions = (await auditOf(projectAdmin)).edges.map((edge) => edge.node.action).sort();
    expect(actions).toEqual(['api_key.created', 'goal.created', 'goal.created']);
  });

  it('not the events of a key reaching beyond their projects, nor of other projects', async () => {
    const seen = await targets(projectAdmin);
    expect(seen.has(keys.beyond.id)).toBe(false);
    expect(seen.has(keys.elsewhere.id)).toBe(false);
    // Moved from project 2 into project 1: its creation and its move both touch project 2.
    expect(seen.has(keys.moved.id)).toBe(false);
  });

  it('not organisation-wide events (a webhook endpoint)', async () => {
    const all = await auditOf(acme.adminToken);
    expect(all.edges.map((edge) => edge.node.action)).toContain('webhook_endpoint.created');
    expect((await auditOf(projectAdmin)).edges.map((edge) => edge.node.action)).not.toContain(
      'webhook_endpoint.created',
    );
  });

  it('node() follows the same rule', async () => {
    const all = (await auditOf(acme.adminToken)).edges.map((edge) => edge.node);
    const visible = all.find((event) => event.targetId === keys.inside.id)!;
    const hidden = all.find((event) => event.targetId === keys.beyond.id)!;
    expect((await server.graphql(projectAdmin, NODE, { id: visible.id })).body.data.node).toEqual({
      id: visible.id,
      action: 'api_key.created',
    });
    expect((await server.graphql(projectAdmin, NODE, { id: hidden.id })).body.data.node).toBeNull();
  });

  it("another organisation's admins read none of it", async () => {
    expect((await auditOf(other.adminToken)).totalCount).toBe(0);
    expect((await auditOf(otherProjectAdmin)).totalCount).toBe(0);
    const [event] = (await auditOf(acme.adminToken)).edges;
    expect((await server.graphql(otherProjectAdmin, NODE, { id: event.node.id })).body.data.node).toBeNull();
  });

  it('owners and admins read every event', async () => {
    const seen = await targets(acme.adminToken);
    for (const key of Object.values(keys)) expect(seen.has(key.id)).toBe(true);
  });
});
