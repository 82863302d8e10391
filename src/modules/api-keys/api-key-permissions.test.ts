import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes as codes, mutationDocument, payloadOf } from '../../../test/support/mutations.ts';
import {
  apiKeyFixture,
  globalId,
  organizationWith,
  type OrganizationScenario,
  projectAdminToken,
} from '../../../test/support/scenarios.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

/*
 * Finer permissions (issue 20, part 5): a key's `[{ resource, access }]` list, capped by its
 * flags. Without READ a resource's root fields are FORBIDDEN and fields leading into it are
 * null with a FORBIDDEN error; writes need WRITE.
 */

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
let keys: Record<'goalsOnly' | 'goalWriter' | 'cappedWriter' | 'unrestricted', { id: string; token: string }>;

const list = (entries: Record<string, string>) =>
  Object.entries(entries).map(([resource, access]) => ({ resource, access }));
const message = (res: { body: { errors?: { message: string }[] } }) => res.body.errors?.[0]?.message ?? '';

beforeAll(async () => {
  server = await startTestServer();
  const prisma = server.db.prisma;
  acme = await organizationWith(prisma, 'Permco', { projects: 2, contractorsPerProject: 1, workersPerContractor: 1 });
  other = await organizationWith(prisma, 'Elsewhere', {
    projects: 1,
    contractorsPerProject: 1,
    workersPerContractor: 1,
  });
  const projectIds = [acme.projectIds[0]!];
  keys = {
    goalsOnly: await apiKeyFixture(prisma, acme.organizationId, { projectIds, permissions: list({ GOALS: 'READ' }) }),
    goalWriter: await apiKeyFixture(prisma, acme.organizationId, {
      projectIds,
      allowWrites: true,
      permissions: list({ GOALS: 'WRITE', CONTRACTORS: 'READ', PROJECTS: 'READ' }),
    }),
    cappedWriter: await apiKeyFixture(prisma, acme.organizationId, {
      projectIds,
      permissions: list({ GOALS: 'WRITE' }),
    }),
    unrestricted: await apiKeyFixture(prisma, acme.organizationId, { projectIds }),
  };
  const goal = await prisma.goal.findFirstOrThrow({ where: { projectId: acme.projectIds[0] } });
  await prisma.goalComment.create({
    data: { organizationId: acme.organizationId, goalId: goal.id, authorId: goal.ownerId, body: 'On track.' },
  });
});
afterAll(() => server?.close());

const GOAL_IN_P0 = () => server.db.prisma.goal.findFirstOrThrow({ where: { projectId: acme.projectIds[0] } });

describe('reading with a permissions list', () => {
  it('reads a resource the list gives READ on', async () => {
    const res = await server.graphql(keys.goalsOnly.token, '{ goals { edges { node { id title } } } }');
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.goals.edges.length).toBeGreaterThan(0);
  });

  it('a root field of a resource the list leaves out is FORBIDDEN and says why', async () => {
    const res = await server.graphql(keys.goalsOnly.token, '{ contractors { edges { node { id } } } }');
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(res.body.data).toBeNull();
    expect(message(res)).toBe(
      "`Query.contractors` needs READ on CONTRACTORS, and this API key's permissions give it NONE on CONTRACTORS.",
    );
  });

  it('every root field of an unlisted resource is FORBIDDEN', async () => {
    for (const field of [
      'projects',
      'workers',
      'people',
      'conversations',
      'recognitions',
      'feedback',
      'talentRecords',
    ]) {
      const res = await server.graphql(keys.goalsOnly.token, `{ ${field} { totalCount } }`);
      expect(codes(res), field).toEqual(['FORBIDDEN']);
    }
  });

  it('a field leading into an unreadable resource is null with a FORBIDDEN error; the rest of the answer stays', async () => {
    const res = await server.graphql(
      keys.goalsOnly.token,
      '{ goals(first: 1) { edges { node { title owner { name } project { name } comments { edges { node { body author { __typename } } } } } } } }',
    );
    const node = res.body.data.goals.edges[0].node;
    expect(node.title).toEqual(expect.any(String));
    expect(node.owner).toBeNull();
    expect(node.project).toBeNull();
    expect(node.comments.edges.map((edge: { node: { author: unknown } }) => edge.node.author)).toContain(null);
    const paths = res.body.errors!.map((e) => e.path!.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining([
        'goals.edges.0.node.owner',
        'goals.edges.0.node.project',
        'goals.edges.0.node.comments.edges.0.node.author',
      ]),
    );
    expect(codes(res).every((code) => code === 'FORBIDDEN')).toBe(true);
  });

  it('the plain lists the contract fixes as non-null are empty without READ on PEOPLE, not null', async () => {
    const key = await apiKeyFixture(server.db.prisma, acme.organizationId, {
      projectIds: [acme.projectIds[0]!],
      permissions: list({ CONVERSATIONS: 'READ', RECOGNITIONS: 'READ' }),
    });
    const res = await server.graphql(
      key.token,
      '{ conversations(first: 1) { edges { node { participants { id } } } } recognitions(first: 1) { edges { node { receivers { id } giver { id } } } } }',
    );
    expect(res.body.data.conversations.edges[0].node.participants).toEqual([]);
    expect(res.body.data.recognitions.edges[0].node).toEqual({ receivers: [], giver: null });
    expect(res.body.errors!.map((e) => e.path!.join('.'))).toEqual(['recognitions.edges.0.node.giver']);
    const unrestricted = await server.graphql(
      keys.unrestricted.token,
      '{ conversations(first: 1) { edges { node { participants { id } } } } }',
    );
    expect(unrestricted.body.data.conversations.edges[0].node.participants.length).toBeGreaterThan(0);
  });

  it('node of an unreadable type is FORBIDDEN; of a readable one it answers', async () => {
    const contractor = await server.graphql(keys.goalsOnly.token, 'query($id: ID!) { node(id: $id) { id } }', {
      id: globalId('Contractor', acme.contractorIds[0]!),
    });
    expect(codes(contractor)).toEqual(['FORBIDDEN']);
    expect(message(contractor)).toBe(
      "Reading a Contractor needs READ on CONTRACTORS, and this API key's permissions give it NONE on CONTRACTORS.",
    );
    expect(contractor.body.data.node).toBeNull();
    const goal = await server.graphql(keys.goalsOnly.token, 'query($id: ID!) { node(id: $id) { id } }', {
      id: globalId('Goal', (await GOAL_IN_P0()).id),
    });
    expect(goal.body.errors).toBeUndefined();
    expect(goal.body.data.node).not.toBeNull();
    const many = await server.graphql(keys.goalsOnly.token, 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
      ids: [globalId('Goal', (await GOAL_IN_P0()).id), globalId('Worker', acme.workerIds[0]!)],
    });
    expect(codes(many)).toEqual(['FORBIDDEN']);
  });

  it('deletions list only the readable kinds, and asking for another kind is FORBIDDEN', async () => {
    const all = await server.graphql(keys.goalsOnly.token, '{ deletions { totalCount } }');
    expect(all.body.errors).toBeUndefined();
    const workers = await server.graphql(keys.goalsOnly.token, '{ deletions(types: [WORKER]) { totalCount } }');
    expect(codes(workers)).toEqual(['FORBIDDEN']);
    expect(message(workers)).toBe(
      "Listing Worker deletions needs READ on WORKERS, and this API key's permissions give it NONE on WORKERS.",
    );
  });

  it('viewer shows what the key may do with each resource', async () => {
    const res = await server.graphql(keys.goalsOnly.token, '{ viewer { permissions { resource access } } }');
    const byResource = Object.fromEntries(
      res.body.data.viewer.permissions.map((p: { resource: string; access: string }) => [p.resource, p.access]),
    );
    expect(byResource).toMatchObject({ GOALS: 'READ', CONTRACTORS: 'NONE', PEOPLE: 'NONE', PROJECTS: 'NONE' });
  });

  it('a key without a list reads everything within its projects, as before', async () => {
    const res = await server.graphql(
      keys.unrestricted.token,
      '{ contractors { totalCount } goals(first: 1) { edges { node { owner { name } project { name } } } } }',
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.goals.edges[0].node.owner.name).toEqual(expect.any(String));
  });
});

describe('writing with a permissions list', () => {
  const UPDATE_GOAL = mutationDocument('updateGoal', 'goal { id progress }');
  const CREATE_CONTRACTOR = mutationDocument('createContractor', 'contractor { id }');

  it('writes a resource the list gives WRITE on', async () => {
    const goal = await GOAL_IN_P0();
    const res = await server.graphql(keys.goalWriter.token, UPDATE_GOAL, {
      input: { id: globalId('Goal', goal.id), progress: 42 },
    });
    expect(payloadOf(res, 'updateGoal').goal.progress).toBe(42);
  });

  it('a write needing WRITE on a resource the list gives READ is FORBIDDEN and writes nothing', async () => {
    const before = await server.db.prisma.contractor.count();
    const res = await server.graphql(keys.goalWriter.token, CREATE_CONTRACTOR, {
      input: { name: 'Not allowed', projectIds: [globalId('Project', acme.projectIds[0]!)] },
    });
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(message(res)).toContain("this API key's permissions give it READ on CONTRACTORS");
    expect(await server.db.prisma.contractor.count()).toBe(before);
  });

  it('an access token narrowed to scope read caps the list at READ', async () => {
    const keyId = (await server.db.prisma.apiKey.findUniqueOrThrow({ where: { id: keys.goalWriter.id } })).keyId;
    const issued = await server.yoga.fetch('http://crewgraph.test/oauth/token', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${keyId}:${keys.goalWriter.token}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'read' }).toString(),
    });
    const accessToken = ((await issued.json()) as { access_token: string }).access_token;
    const viewer = await server.graphql(accessToken, '{ viewer { permissions { resource access } } }');
    expect(viewer.body.data.viewer.permissions).toContainEqual({ resource: 'GOALS', access: 'READ' });
    const goal = await GOAL_IN_P0();
    const res = await server.graphql(accessToken, UPDATE_GOAL, {
      input: { id: globalId('Goal', goal.id), progress: 9 },
    });
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(message(res)).toContain('this access token was issued with scope `read`');
    expect((await GOAL_IN_P0()).progress).not.toBe(9);
  });

  it('allowWrites: false caps WRITE at READ: the write is FORBIDDEN as read-only', async () => {
    const goal = await GOAL_IN_P0();
    const res = await server.graphql(keys.cappedWriter.token, UPDATE_GOAL, {
      input: { id: globalId('Goal', goal.id), progress: 7 },
    });
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(message(res)).toBe(
      '`Mutation.updateGoal` needs WRITE on GOALS, and this API key is read-only (allowWrites: false).',
    );
    expect((await GOAL_IN_P0()).progress).not.toBe(7);
  });
});

describe('managing a key’s permissions', () => {
  const KEY_FIELDS =
    'apiKey { id permissionsRestricted permissions { resource access } events { edges { node { changes } } } }';
  const CREATE_KEY = mutationDocument('createApiKey', KEY_FIELDS);
  const UPDATE_KEY = mutationDocument('updateApiKey', KEY_FIELDS);
  let serial = 0;
  const keyInput = (extra: Record<string, unknown>) => ({
    name: `perm key ${++serial}`,
    projectIds: [globalId('Project', acme.projectIds[0]!)],
    ...extra,
  });
  const accessOf = (apiKey: { permissions: { resource: string; access: string }[] }) =>
    Object.fromEntries(apiKey.permissions.map((p) => [p.resource, p.access]));

  it('refuses a bad list with userErrors naming each entry, and creates nothing', async () => {
    const before = await server.db.prisma.apiKey.count();
    const res = await server.graphql(acme.adminToken, CREATE_KEY, {
      input: keyInput({
        allowWrites: true,
        permissions: list({ GOALS: 'READ', PROJECTS: 'WRITE' }).concat({ resource: 'GOALS', access: 'WRITE' }),
      }),
    });
    const { userErrors } = payloadOf(res, 'createApiKey');
    expect(userErrors.map((e) => [e.field, e.code])).toEqual([
      [['input', 'permissions', '1', 'access'], 'INVALID'],
      [['input', 'permissions', '2', 'resource'], 'INVALID'],
    ]);
    const empty = await server.graphql(acme.adminToken, CREATE_KEY, { input: keyInput({ permissions: [] }) });
    expect(payloadOf(empty, 'createApiKey').userErrors.map((e) => e.code)).toEqual(['INVALID']);
    expect(await server.db.prisma.apiKey.count()).toBe(before);
  });

  it('creates a key with a list, shows it capped by the flags, and records it in the trail', async () => {
    const res = await server.graphql(acme.adminToken, CREATE_KEY, {
      input: keyInput({ permissions: list({ GOALS: 'WRITE', PEOPLE: 'READ' }) }),
    });
    const { apiKey } = payloadOf(res, 'createApiKey');
    expect(apiKey.permissionsRestricted).toBe(true);
    expect(accessOf(apiKey)).toMatchObject({ GOALS: 'READ', PEOPLE: 'READ', CONTRACTORS: 'NONE' });
    expect(apiKey.events.edges[0].node.changes.permissions).toEqual({
      before: null,
      after: { GOALS: 'WRITE', PEOPLE: 'READ' },
    });
  });

  it('updates replace the list, null removes it, omitted leaves it', async () => {
    const created = payloadOf(
      await server.graphql(acme.adminToken, CREATE_KEY, {
        input: keyInput({ allowWrites: true, permissions: list({ GOALS: 'WRITE' }) }),
      }),
      'createApiKey',
    ).apiKey;
    const replaced = payloadOf(
      await server.graphql(acme.adminToken, UPDATE_KEY, {
        input: { id: created.id, permissions: list({ CONTRACTORS: 'WRITE' }) },
      }),
      'updateApiKey',
    ).apiKey;
    expect(accessOf(replaced)).toMatchObject({ CONTRACTORS: 'WRITE', GOALS: 'NONE' });
    const untouched = payloadOf(
      await server.graphql(acme.adminToken, UPDATE_KEY, { input: { id: created.id, name: `renamed ${serial}` } }),
      'updateApiKey',
    ).apiKey;
    expect(accessOf(untouched)).toMatchObject({ CONTRACTORS: 'WRITE', GOALS: 'NONE' });
    const removed = payloadOf(
      await server.graphql(acme.adminToken, UPDATE_KEY, { input: { id: created.id, permissions: null } }),
      'updateApiKey',
    ).apiKey;
    expect(removed.permissionsRestricted).toBe(false);
    expect(accessOf(removed)).toMatchObject({ CONTRACTORS: 'WRITE', GOALS: 'WRITE', PROJECTS: 'READ', PEOPLE: 'READ' });
  });

  it('a change reaches the very next request of the key', async () => {
    const key = await apiKeyFixture(server.db.prisma, acme.organizationId, {
      projectIds: [acme.projectIds[0]!],
      permissions: list({ CONTRACTORS: 'READ' }),
    });
    expect((await server.graphql(key.token, '{ contractors { totalCount } }')).body.errors).toBeUndefined();
    await server.graphql(acme.adminToken, UPDATE_KEY, {
      input: { id: globalId('ApiKey', key.id), permissions: list({ GOALS: 'READ' }) },
    });
    expect(codes(await server.graphql(key.token, '{ contractors { totalCount } }'))).toEqual(['FORBIDDEN']);
  });

  it("a project admin's key never holds more than they may do: PEOPLE WRITE stays READ", async () => {
    const token = await projectAdminToken(server.db.prisma, 'Permco', [acme.projectIds[0]!], 'site@permco.test');
    const res = await server.graphql(token, CREATE_KEY, {
      input: keyInput({ allowWrites: true, permissions: list({ PEOPLE: 'WRITE', GOALS: 'WRITE' }) }),
    });
    const { apiKey } = payloadOf(res, 'createApiKey');
    expect(accessOf(apiKey)).toMatchObject({ PEOPLE: 'READ', GOALS: 'WRITE' });
  });

  it("another organisation's admin cannot change a key's permissions", async () => {
    const res = await server.graphql(other.adminToken, UPDATE_KEY, {
      input: { id: globalId('ApiKey', keys.goalsOnly.id), permissions: list({ GOALS: 'READ', CONTRACTORS: 'READ' }) },
    });
    expect(codes(res)).toEqual(['NOT_FOUND']);
    const stored = await server.db.prisma.apiKey.findUniqueOrThrow({ where: { id: keys.goalsOnly.id } });
    expect(stored.permissions).toEqual(list({ GOALS: 'READ' }));
  });

  it('a key cannot read keys or their permissions', async () => {
    const res = await server.graphql(keys.unrestricted.token, '{ apiKeys { totalCount } }');
    expect(codes(res)).toEqual(['FORBIDDEN']);
  });
});
