import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutationDocument, payloadOf, rawId } from '../../../test/support/mutations.ts';
import {
  apiKeyFixture,
  globalId,
  organizationWith,
  type OrganizationScenario,
} from '../../../test/support/scenarios.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { parseToken } from '../../auth/tokens.ts';

/*
 * Issue 20, part 1: access tokens issued (POST /oauth/token) and revoked (POST /oauth/revoke)
 * are in the organisation's audit log, with the key as actor and target, never the token.
 */

let server: TestServer;
let acme: OrganizationScenario;
let key: { id: string; token: string };
const clock = new Date('2026-06-01T12:00:00Z');

beforeAll(async () => {
  server = await startTestServer({ now: () => clock });
  acme = await organizationWith(server.db.prisma, 'Tokenaudit', { projects: 2, contractorsPerProject: 1 });
  key = await apiKeyFixture(server.db.prisma, acme.organizationId, {
    projectIds: [acme.projectIds[0]],
    allowWrites: true,
  });
});
afterAll(() => server?.close());

const basic = (token: string) => `Basic ${Buffer.from(`${parseToken(token)!.id}:${token}`).toString('base64')}`;
async function oauth(path: string, body: Record<string, string>, token = key.token) {
  return server.yoga.fetch(`http://crewgraph.test${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(token) },
    body: new URLSearchParams(body).toString(),
  });
}
const AUDIT = `query ($targetId: ID, $action: String) {
  auditEvents(targetId: $targetId, action: $action, first: 50) {
    edges { node { action targetType targetId changes requestId actor { __typename ... on ApiKeyActor { keyId } } } }
  }
}`;
const tokenEvents = async () => {
  const res = await server.graphql(acme.adminToken, AUDIT, { targetId: globalId('ApiKey', key.id) });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.auditEvents.edges.map((edge: { node: Record<string, any> }) => edge.node);
};

describe('access tokens in the audit log', () => {
  let accessToken: string;

  it('records an issue: the key as actor and target, the token id, expiry and scope, never the token', async () => {
    const res = await oauth('/oauth/token', { grant_type: 'client_credentials', scope: 'read' });
    expect(res.status).toBe(200);
    accessToken = (await res.json()).access_token;
    const [issued] = await tokenEvents();
    expect(issued).toMatchObject({ action: 'access_token.issued', targetType: 'ApiKey' });
    expect(issued.actor).toEqual({ __typename: 'ApiKeyActor', keyId: parseToken(key.token)!.id });
    expect(issued.changes.accessToken).toEqual({
      before: null,
      after: { tokenId: parseToken(accessToken)!.id, expiresAt: expect.any(String), scope: 'read' },
    });
    const serialized = JSON.stringify(issued);
    expect(serialized).not.toContain(accessToken);
    expect(serialized).not.toContain(key.token);
    expect(serialized).not.toMatch(/cgt_|cgk_/);
    const row = await server.db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'access_token.issued' } });
    expect(row).toMatchObject({ actorApiKeyId: key.id, targetId: key.id, projectIds: [acme.projectIds[0]] });
  });

  it('a refused exchange records nothing', async () => {
    const before = await server.db.prisma.auditEvent.count();
    const res = await oauth('/oauth/token', { grant_type: 'password' });
    expect(res.status).toBe(400);
    expect(await server.db.prisma.auditEvent.count()).toBe(before);
  });

  it("an access token's domain write is recorded as the key's", async () => {
    const full = await oauth('/oauth/token', { grant_type: 'client_credentials' });
    const writing = (await full.json()).access_token;
    const res = await server.graphql(writing, mutationDocument('createGoal', 'goal { id }'), {
      input: {
        projectId: globalId('Project', acme.projectIds[0]),
        ownerId: globalId('Person', acme.personIds[0]),
        title: 'Through a token',
      },
    });
    const goalId = payloadOf(res, 'createGoal').goal.id;
    const row = await server.db.prisma.auditEvent.findFirstOrThrow({ where: { targetId: rawId(goalId) } });
    expect(row).toMatchObject({ action: 'goal.created', actorApiKeyId: key.id });
  });

  it('records a revocation once; revoking it again, or an unknown token, records nothing', async () => {
    expect((await oauth('/oauth/revoke', { token: accessToken })).status).toBe(200);
    const [revoked] = await tokenEvents();
    expect(revoked.action).toBe('access_token.revoked');
    expect(revoked.changes.accessToken).toEqual({ before: { tokenId: parseToken(accessToken)!.id }, after: null });
    const before = await server.db.prisma.auditEvent.count();
    expect((await oauth('/oauth/revoke', { token: accessToken })).status).toBe(200);
    expect((await oauth('/oauth/revoke', { token: 'cgt_unknown' })).status).toBe(200);
    expect(await server.db.prisma.auditEvent.count()).toBe(before);
  });
});
