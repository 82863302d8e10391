import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminsDocument as ADMINS,
  CreateAdminDocument as CREATE_ADMIN,
  DeactivateAdminDocument as DEACTIVATE_ADMIN,
  UpdateAdminDocument as UPDATE_ADMIN,
} from '../../../test/client/generated/graphql.ts';
import { createAdmin } from './admin.service.ts';
import { CREATE, CYCLE, DELETE, REACTIVATE, REVOKE, UPDATE, VIEWER } from '../../../test/support/api-key-operations.ts';
import { executedStatements } from '../../../test/support/database.ts';
import {
  apiKeyFixture,
  globalId,
  organizationWith,
  type OrganizationScenario,
} from '../../../test/support/scenarios.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
/** A PROJECT_ADMIN of acme's projects 0 and 1 (not 2), and an org-wide ADMIN. */
let projectAdmin: { userId: string; token: string };
let orgAdmin: { userId: string; token: string };
/** Fixture keys by the projects they reach. */
let keys: Record<'p0' | 'p01' | 'p02' | 'p2', { id: string; token: string }>;

beforeAll(async () => {
  server = await startTestServer();
  const prisma = server.db.prisma;
  acme = await organizationWith(prisma, 'Roles', { projects: 3, contractorsPerProject: 2, workersPerContractor: 1 });
  other = await organizationWith(prisma, 'Otherco', { projects: 1, contractorsPerProject: 1, workersPerContractor: 1 });
  // The CLI's path: projects by code and by id.
  projectAdmin = await createAdmin(prisma, {
    organizationName: 'Roles',
    email: 'site@roles.test',
    role: 'PROJECT_ADMIN',
    projects: ['P0', acme.projectIds[1]],
  });
  orgAdmin = await createAdmin(prisma, { organizationName: 'Roles', email: 'admin@roles.test', role: 'ADMIN' });
  const [p0, p1, p2] = acme.projectIds;
  const fixture = (name: string, projectIds: string[]) =>
    apiKeyFixture(prisma, acme.organizationId, { name, projectIds, allowWrites: true });
  keys = {
    p0: await fixture('key p0', [p0]),
    p01: await fixture('key p0+p1', [p0, p1]),
    p02: await fixture('key p0+p2', [p0, p2]),
    p2: await fixture('key p2', [p2]),
  };
});
afterAll(() => server?.close());

const project = (i: number, org = acme) => globalId('Project', org.projectIds[i]);
const keyId = (name: keyof typeof keys) => globalId('ApiKey', keys[name].id);
const adminId = (userId: string) => globalId('Admin', userId);
const ids = (connection: { edges: { node: { id: string } }[] }) => connection.edges.map((e) => e.node.id).sort();
const gids = (type: string, list: string[]) => list.map((id) => globalId(type, id)).sort();
const errorCodes = (res: { body: { errors?: { extensions: Record<string, any> }[] } }) =>
  (res.body.errors ?? []).map((e) => e.extensions.code);
let counter = 0;
const uniqueName = () => `pa key ${++counter}`;
const keyState = (id: string) =>
  server.db.prisma.apiKey.findUniqueOrThrow({
    where: { id },
    include: { projects: { select: { id: true }, orderBy: { id: 'asc' } } },
  });
const adminRows = () =>
  Promise.all([server.db.prisma.user.count(), server.db.prisma.adminToken.count(), server.db.prisma.apiKey.count()]);

describe('a project admin and API keys', () => {
  it('lists and resolves only the keys whose projects are all theirs', async () => {
    const res = await server.graphql(
      projectAdmin.token,
      'query ($ids: [ID!]!) { apiKeys { edges { node { name } } } nodes(ids: $ids) { id } }',
      { ids: [keyId('p0'), keyId('p01'), keyId('p02'), keyId('p2')] },
    );
    expect(res.body.errors).toBeUndefined();
    const names = res.body.data.apiKeys.edges.map((e: any) => e.node.name);
    expect(names).toEqual(expect.arrayContaining(['key p0', 'key p0+p1']));
    expect(names).not.toContain('key p0+p2');
    expect(names).not.toContain('key p2');
    expect(res.body.data.nodes).toEqual([{ id: keyId('p0') }, { id: keyId('p01') }, null, null]);
  });

  it('creates keys within their projects, naming them as creator', async () => {
    const res = await server.graphql(projectAdmin.token, CREATE, {
      input: { name: uniqueName(), projectIds: [project(0), project(1)], canReadQualificationData: true },
    });
    const { apiKey, token, userErrors } = res.body.data.createApiKey;
    expect(userErrors).toEqual([]);
    expect(token).toMatch(/^cgk_/);
    expect(apiKey).toMatchObject({ createdBy: { email: 'site@roles.test' }, projects: { totalCount: 2 } });
  });

  it.each([
    ['a project outside theirs', () => [project(0), project(2)]],
    ["another organisation's project", () => [project(0, other)]],
  ])('cannot create a key on %s: NOT_FOUND on projectIds, nothing written', async (_case, projectIds) => {
    const before = await adminRows();
    const res = await server.graphql(projectAdmin.token, CREATE, {
      input: { name: uniqueName(), projectIds: projectIds() },
    });
    expect(res.body.data.createApiKey).toMatchObject({ apiKey: null, token: null });
    expect(res.body.data.createApiKey.userErrors).toEqual([
      { field: ['input', 'projectIds'], code: 'NOT_FOUND', message: expect.any(String) },
    ]);
    expect(await adminRows()).toEqual(before);
  });

  it('cannot widen a key beyond their projects, but may change it within them', async () => {
    const widen = await server.graphql(projectAdmin.token, UPDATE, {
      input: { id: keyId('p0'), projectIds: [project(0), project(2)] },
    });
    expect(widen.body.data.updateApiKey.userErrors).toEqual([
      { field: ['input', 'projectIds'], code: 'NOT_FOUND', message: expect.any(String) },
    ]);
    expect((await keyState(keys.p0.id)).projects).toEqual([{ id: acme.projectIds[0] }]);

    const within = await server.graphql(projectAdmin.token, UPDATE, {
      input: { id: keyId('p0'), projectIds: [project(0), project(1)], allowWrites: false },
    });
    expect(within.body.data.updateApiKey.userErrors).toEqual([]);
    expect(within.body.data.updateApiKey.apiKey).toMatchObject({ allowWrites: false, projects: { totalCount: 2 } });
    // back as it was, for the other tests
    await server.graphql(projectAdmin.token, UPDATE, { input: { id: keyId('p0'), projectIds: [project(0)] } });
  });

  it.each([
    ['updateApiKey', UPDATE, { name: 'renamed' }],
    ['cycleApiKey', CYCLE, {}],
    ['revokeApiKey', REVOKE, {}],
    ['reactivateApiKey', REACTIVATE, {}],
    ['deleteApiKey', DELETE, {}],
  ] as const)(
    '%s on a key reaching beyond their projects is NOT_FOUND and changes nothing',
    async (field, document, extra) => {
      for (const name of ['p02', 'p2'] as const) {
        const before = await keyState(keys[name].id);
        const res = await server.graphql(projectAdmin.token, document as any, {
          input: { id: keyId(name), ...extra },
        });
        expect(errorCodes(res)).toEqual(['NOT_FOUND']);
        expect(res.body.data?.[field] ?? null).toBeNull();
        expect(await keyState(keys[name].id)).toEqual(before);
        expect((await server.graphql(keys[name].token, VIEWER)).status).toBe(200);
      }
    },
  );

  it('cycles and revokes a key within their projects', async () => {
    const key = await apiKeyFixture(server.db.prisma, acme.organizationId, { projectIds: [acme.projectIds[1]] });
    const id = globalId('ApiKey', key.id);
    const cycled = await server.graphql(projectAdmin.token, CYCLE, { input: { id } });
    expect(cycled.body.data.cycleApiKey.userErrors).toEqual([]);
    expect((await server.graphql(key.token, VIEWER)).status).toBe(401);
    const newToken = cycled.body.data.cycleApiKey.token;
    expect((await server.graphql(newToken, VIEWER)).status).toBe(200);
    const revoked = await server.graphql(projectAdmin.token, REVOKE, { input: { id } });
    expect(revoked.body.data.revokeApiKey.apiKey.status).toBe('INACTIVE');
    const res = await server.graphql(newToken, VIEWER);
    expect(res.status).toBe(401);
    expect(errorCodes(res)).toEqual(['API_KEY_INACTIVE']);
  });
});

describe('a project admin and domain data', () => {
  it("sees their projects' rows, with admin-only fields, and nothing of the others", async () => {
    const res = await server.graphql(
      projectAdmin.token,
      `{ viewer { kind admin { role projects { totalCount } } projects { totalCount } }
         projects { edges { node { id } } } contractors { edges { node { id } } }
         workers { edges { node { id qualifications { licenseNumber } } } }
         goals { edges { node { id } } } conversations { edges { node { id } } }
         recognitions { edges { node { id } } } people { edges { node { id } } } conversationTemplates { totalCount } }`,
    );
    expect(res.body.errors).toBeUndefined();
    const d = res.body.data;
    expect(d.viewer).toEqual({
      kind: 'ADMIN',
      admin: { role: 'PROJECT_ADMIN', projects: { totalCount: 2 } },
      projects: { totalCount: 2 },
    });
    expect(ids(d.projects)).toEqual(gids('Project', acme.projectIds.slice(0, 2)));
    expect(ids(d.contractors)).toEqual(gids('Contractor', acme.contractorIds.slice(0, 4)));
    expect(ids(d.workers)).toEqual(gids('Worker', acme.workerIds.slice(0, 4)));
    expect(d.workers.edges.map((e: any) => e.node.qualifications[0].licenseNumber)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^L-[01]-/)]),
    );
    expect(ids(d.goals)).toEqual(gids('Goal', acme.goalIds.slice(0, 2)));
    expect(ids(d.conversations)).toEqual(gids('Conversation', acme.conversationIds.slice(0, 2)));
    expect(ids(d.recognitions)).toEqual(gids('Recognition', acme.recognitionIds.slice(0, 2)));
    expect(ids(d.people)).toEqual(gids('Person', acme.personIds.slice(0, 4)));
    expect(d.conversationTemplates.totalCount).toBe(1);

    const outside = [
      globalId('Project', acme.projectIds[2]),
      globalId('Contractor', acme.contractorIds[4]),
      globalId('Worker', acme.workerIds[4]),
      globalId('Goal', acme.goalIds[2]),
      globalId('Conversation', acme.conversationIds[2]),
      globalId('Recognition', acme.recognitionIds[2]),
      globalId('Person', acme.personIds[4]),
      globalId('Project', other.projectIds[0]),
    ];
    const nodes = await server.graphql(projectAdmin.token, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
      ids: outside,
    });
    expect(nodes.body.errors).toBeUndefined();
    expect(nodes.body.data.nodes).toEqual(outside.map(() => null));
  });

  it('writes inside their projects; outside is NOT_FOUND', async () => {
    const rename = `Site zero ${Date.now()}`;
    const mine = await server.graphql(
      projectAdmin.token,
      'mutation ($id: ID!, $name: String!) { updateProject(input: { id: $id, name: $name }) { project { name } userErrors { code } } }',
      { id: project(0), name: rename },
    );
    expect(mine.body.data.updateProject).toEqual({ project: { name: rename }, userErrors: [] });

    const theirs = await server.graphql(
      projectAdmin.token,
      'mutation ($id: ID!) { updateProject(input: { id: $id, name: "Mine now" }) { project { name } } }',
      { id: project(2) },
    );
    expect(errorCodes(theirs)).toEqual(['NOT_FOUND']);
    expect((await server.db.prisma.project.findUniqueOrThrow({ where: { id: acme.projectIds[2] } })).name).not.toBe(
      'Mine now',
    );

    const goals = await server.db.prisma.goal.count();
    const goal = await server.graphql(
      projectAdmin.token,
      'mutation ($p: ID!, $o: ID!) { createGoal(input: { projectId: $p, ownerId: $o, title: "Elsewhere" }) { goal { id } userErrors { field code } } }',
      { p: project(2), o: globalId('Person', acme.personIds[0]) },
    );
    expect(goal.body.data.createGoal).toEqual({
      goal: null,
      userErrors: [{ field: ['input', 'projectId'], code: 'NOT_FOUND' }],
    });
    expect(await server.db.prisma.goal.count()).toBe(goals);

    const qualification = await server.graphql(
      projectAdmin.token,
      'mutation ($w: ID!) { addQualification(input: { workerId: $w, name: "First aid", issuer: "Red Cross", licenseNumber: "FA-1" }) { qualification { licenseNumber } userErrors { code } } }',
      { w: globalId('Worker', acme.workerIds[0]) },
    );
    expect(qualification.body.data.addQualification).toEqual({
      qualification: { licenseNumber: 'FA-1' },
      userErrors: [],
    });
  });

  it.each([
    ['createProject', 'mutation { createProject(input: { name: "New", code: "NEW" }) { project { id } } }', {}],
    [
      'createPerson',
      'mutation { createPerson(input: { name: "New", email: "new@roles.test" }) { person { id } } }',
      {},
    ],
    [
      'updatePerson',
      'mutation ($id: ID!) { updatePerson(input: { id: $id, name: "Renamed" }) { person { id } } }',
      { id: 'person' },
    ],
    [
      'createConversationTemplate',
      'mutation { createConversationTemplate(input: { name: "New", questions: ["Q?"] }) { conversationTemplate { id } } }',
      {},
    ],
    ['admins', '{ admins { totalCount } }', {}],
    ['createAdmin', 'mutation { createAdmin(input: { email: "x@roles.test", role: OWNER }) { token } }', {}],
    [
      'updateAdmin',
      'mutation ($id: ID!) { updateAdmin(input: { id: $id, role: OWNER }) { admin { role } } }',
      { id: 'self' },
    ],
    [
      'deactivateAdmin',
      'mutation ($id: ID!) { deactivateAdmin(input: { id: $id }) { admin { id } } }',
      { id: 'owner' },
    ],
  ] as const)('%s (organisation-wide) is FORBIDDEN', async (_field, query, vars) => {
    const owner = await server.db.prisma.user.findFirstOrThrow({
      where: { organizationId: acme.organizationId, email: 'owner@roles.test' },
    });
    const variables =
      'id' in vars
        ? {
            id:
              vars.id === 'person'
                ? globalId('Person', acme.personIds[0])
                : adminId(vars.id === 'self' ? projectAdmin.userId : owner.id),
          }
        : {};
    const before = await adminRows();
    const res = await server.graphql(projectAdmin.token, query, variables);
    expect(res.status).toBe(403);
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(await adminRows()).toEqual(before);
  });
});

describe('admin management by owners', () => {
  it('createAdmin returns a working token once; a project admin is limited at once', async () => {
    const res = await server.graphql(acme.adminToken, CREATE_ADMIN, {
      input: { email: 'North.Site@Roles.test', name: 'North', role: 'PROJECT_ADMIN', projectIds: [project(2)] },
    });
    const { admin, token, userErrors } = res.body.data.createAdmin;
    expect(userErrors).toEqual([]);
    expect(token).toMatch(/^cga_[0-9A-Za-z]{12}_[0-9A-Za-z]{49}$/);
    expect(admin).toMatchObject({
      email: 'north.site@roles.test',
      name: 'North',
      role: 'PROJECT_ADMIN',
      active: true,
      deactivatedAt: null,
      projects: { totalCount: 1, edges: [{ node: { id: project(2), code: 'P2' } }] },
    });
    const stored = await server.db.prisma.adminToken.findFirstOrThrow({ where: { tokenId: token.split('_')[1] } });
    expect(Buffer.from(stored.secretHash).toString('utf8')).not.toContain(token.split('_')[2]);

    const me = await server.graphql(token, '{ viewer { kind } projects { edges { node { id } } } }');
    expect(me.body.data).toEqual({ viewer: { kind: 'ADMIN' }, projects: { edges: [{ node: { id: project(2) } }] } });

    const list = await server.graphql(acme.adminToken, ADMINS, { first: 50 });
    expect(list.body.data.admins.edges.map((e: any) => e.node.email)).toContain('north.site@roles.test');
    expect(JSON.stringify(list.body)).not.toContain(token);
  });

  it.each([
    ['a PROJECT_ADMIN without projects', { role: 'PROJECT_ADMIN' }, ['input', 'projectIds'], 'PROJECT_REQUIRED'],
    [
      'a PROJECT_ADMIN with an empty list',
      { role: 'PROJECT_ADMIN', projectIds: [] },
      ['input', 'projectIds'],
      'PROJECT_REQUIRED',
    ],
    ['an ADMIN with projects', { role: 'ADMIN', projectIds: ['p0'] }, ['input', 'projectIds'], 'INVALID'],
    [
      "another organisation's project",
      { role: 'PROJECT_ADMIN', projectIds: ['other'] },
      ['input', 'projectIds'],
      'NOT_FOUND',
    ],
    ['a taken email (any case)', { role: 'ADMIN', email: 'Site@Roles.TEST' }, ['input', 'email'], 'TAKEN'],
    ['a name over 200 characters', { role: 'ADMIN', name: 'x'.repeat(201) }, ['input', 'name'], 'TOO_LONG'],
  ])('createAdmin answers %s with a userError and writes nothing', async (_case, input, field, code) => {
    const projectIds = (input as { projectIds?: string[] }).projectIds?.map((p) =>
      p === 'other' ? project(0, other) : project(0),
    );
    const before = await adminRows();
    const res = await server.graphql(acme.adminToken, CREATE_ADMIN, {
      input: { email: `fresh${++counter}@roles.test`, ...input, projectIds } as any,
    });
    expect(res.body.data.createAdmin).toMatchObject({ admin: null, token: null });
    expect(res.body.data.createAdmin.userErrors).toContainEqual({ field, code, message: expect.any(String) });
    expect(await adminRows()).toEqual(before);
  });

  it('createAdmin refuses an invalid email before running', async () => {
    const res = await server.graphql(acme.adminToken, CREATE_ADMIN, {
      input: { email: 'not-an-email', role: 'ADMIN' },
    });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  });

  it("updateAdmin changes role and projects, effective on the admin's next request", async () => {
    const created = await server.graphql(acme.adminToken, CREATE_ADMIN, {
      input: { email: 'mover@roles.test', role: 'ADMIN' },
    });
    const { admin, token } = created.body.data.createAdmin;
    const projectsOf = async () =>
      (await server.graphql(token, '{ projects { totalCount } }')).body.data.projects.totalCount;
    expect(await projectsOf()).toBe(3);

    const toProject = await server.graphql(acme.adminToken, UPDATE_ADMIN, {
      input: { id: admin.id, role: 'PROJECT_ADMIN', projectIds: [project(1)] },
    });
    expect(toProject.body.data.updateAdmin.userErrors).toEqual([]);
    expect(toProject.body.data.updateAdmin.admin).toMatchObject({ role: 'PROJECT_ADMIN', projects: { totalCount: 1 } });
    expect(await projectsOf()).toBe(1);

    const noProjects = await server.graphql(acme.adminToken, UPDATE_ADMIN, { input: { id: admin.id, projectIds: [] } });
    expect(noProjects.body.data.updateAdmin.userErrors).toEqual([
      { field: ['input', 'projectIds'], code: 'PROJECT_REQUIRED', message: expect.any(String) },
    ]);
    const adminWithProjects = await server.graphql(acme.adminToken, UPDATE_ADMIN, {
      input: { id: admin.id, role: 'ADMIN', projectIds: [project(0)] },
    });
    expect(adminWithProjects.body.data.updateAdmin.userErrors.map((e: any) => e.code)).toEqual(['INVALID']);
    expect(await projectsOf()).toBe(1);

    const back = await server.graphql(acme.adminToken, UPDATE_ADMIN, {
      input: { id: admin.id, role: 'ADMIN', name: 'Mover' },
    });
    expect(back.body.data.updateAdmin.admin).toMatchObject({
      role: 'ADMIN',
      name: 'Mover',
      projects: { totalCount: 0 },
    });
    expect(await projectsOf()).toBe(3);
  });

  it("deactivateAdmin: the admin's token fails on the next request; their keys keep working and name them", async () => {
    const created = await server.graphql(acme.adminToken, CREATE_ADMIN, {
      input: { email: 'leaver@roles.test', role: 'ADMIN' },
    });
    const { admin, token } = created.body.data.createAdmin;
    const key = await server.graphql(token, CREATE, { input: { name: 'Leaver key', projectIds: [project(0)] } });
    const { apiKey, token: keyToken } = key.body.data.createApiKey;
    expect((await server.graphql(token, VIEWER)).status).toBe(200);

    const res = await server.graphql(acme.adminToken, DEACTIVATE_ADMIN, { input: { id: admin.id } });
    expect(res.body.data.deactivateAdmin.userErrors).toEqual([]);
    expect(res.body.data.deactivateAdmin.admin).toMatchObject({ active: false, deactivatedAt: expect.any(String) });

    const refused = await server.graphql(token, VIEWER);
    expect(refused.status).toBe(401);
    expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);

    expect((await server.graphql(keyToken, VIEWER)).status).toBe(200);
    const read = await server.graphql(
      acme.adminToken,
      'query ($id: ID!) { node(id: $id) { ... on ApiKey { status createdBy { email active } events { edges { node { action actor { email } } } } } } }',
      { id: apiKey.id },
    );
    expect(read.body.data.node).toEqual({
      status: 'ACTIVE',
      createdBy: { email: 'leaver@roles.test', active: false },
      events: { edges: [{ node: { action: 'CREATED', actor: { email: 'leaver@roles.test' } } }] },
    });

    const again = await server.graphql(acme.adminToken, DEACTIVATE_ADMIN, { input: { id: admin.id } });
    expect(again.body.data.deactivateAdmin.userErrors).toEqual([]);
    expect(again.body.data.deactivateAdmin.admin.deactivatedAt).toBe(res.body.data.deactivateAdmin.admin.deactivatedAt);
  });

  it('admins (not project admins) may list admins; only owners may manage them', async () => {
    const list = await server.graphql(orgAdmin.token, ADMINS, {});
    expect(list.body.errors).toBeUndefined();
    expect(list.body.data.admins.totalCount).toBeGreaterThanOrEqual(3);

    const target = adminId(projectAdmin.userId);
    for (const token of [orgAdmin.token, keys.p0.token]) {
      const before = await adminRows();
      for (const [document, input] of [
        [CREATE_ADMIN, { email: 'sneaky@roles.test', role: 'OWNER' }],
        [UPDATE_ADMIN, { id: target, role: 'OWNER' }],
        [DEACTIVATE_ADMIN, { id: target }],
      ] as const) {
        const res = await server.graphql(token, document as any, { input });
        expect(errorCodes(res)).toEqual(['FORBIDDEN']);
      }
      expect(await adminRows()).toEqual(before);
    }
    const keyList = await server.graphql(keys.p0.token, ADMINS, {});
    expect(errorCodes(keyList)).toEqual(['FORBIDDEN']);
  });

  it("another organisation's owner gets NOT_FOUND", async () => {
    const target = adminId(projectAdmin.userId);
    const update = await server.graphql(other.adminToken, UPDATE_ADMIN, { input: { id: target, name: 'Mine' } });
    expect(errorCodes(update)).toEqual(['NOT_FOUND']);
    const deactivate = await server.graphql(other.adminToken, DEACTIVATE_ADMIN, { input: { id: target } });
    expect(errorCodes(deactivate)).toEqual(['NOT_FOUND']);
    const node = await server.graphql(other.adminToken, 'query ($id: ID!) { node(id: $id) { id } }', { id: target });
    expect(node.body.data.node).toBeNull();
    const list = await server.graphql(other.adminToken, ADMINS, {});
    expect(list.body.data.admins.edges.map((e: any) => e.node.email)).toEqual(['owner@otherco.test']);
    const stored = await server.db.prisma.user.findUniqueOrThrow({ where: { id: projectAdmin.userId } });
    expect(stored).toMatchObject({ name: null, deactivatedAt: null });
    expect((await server.graphql(projectAdmin.token, VIEWER)).status).toBe(200);
  });
});

describe('the admins list', () => {
  it('costs the same SQL for a page of 2 and of 50, projects included', async () => {
    const query = `query ($n: Int) { admins(first: $n) { totalCount edges { node { email role projects(first: $n) { totalCount edges { node { code } } } } } } }`;
    const run = async (n: number) => {
      server.db.statements.length = 0;
      const res = await server.graphql(acme.adminToken, query, { n });
      expect(res.body.errors).toBeUndefined();
      return { count: executedStatements(server.db.statements).length, edges: res.body.data.admins.edges.length };
    };
    const small = await run(2);
    const large = await run(50);
    expect(small.edges).toBe(2);
    expect(large.edges).toBeGreaterThan(4);
    expect(large.count).toBe(small.count);
  });
});

describe('the last active owner', () => {
  it('cannot be demoted or deactivated; another owner makes it possible', async () => {
    const solo = await organizationWith(server.db.prisma, 'Solo', { projects: 1, contractorsPerProject: 0 });
    const owner = await server.db.prisma.user.findFirstOrThrow({ where: { organizationId: solo.organizationId } });
    const ownerId = adminId(owner.id);

    const demote = await server.graphql(solo.adminToken, UPDATE_ADMIN, { input: { id: ownerId, role: 'ADMIN' } });
    expect(demote.body.data.updateAdmin).toMatchObject({
      admin: null,
      userErrors: [{ field: ['input', 'role'], code: 'LAST_OWNER', message: expect.any(String) }],
    });
    const deactivate = await server.graphql(solo.adminToken, DEACTIVATE_ADMIN, { input: { id: ownerId } });
    expect(deactivate.body.data.deactivateAdmin.userErrors).toEqual([
      { field: ['input', 'id'], code: 'LAST_OWNER', message: expect.any(String) },
    ]);
    expect(await server.db.prisma.user.findUniqueOrThrow({ where: { id: owner.id } })).toMatchObject({
      role: 'OWNER',
      deactivatedAt: null,
    });

    // A deactivated owner does not count.
    const ghost = await server.graphql(solo.adminToken, CREATE_ADMIN, {
      input: { email: 'ghost@solo.test', role: 'OWNER' },
    });
    const ghostId = ghost.body.data.createAdmin.admin.id;
    expect(
      (await server.graphql(solo.adminToken, DEACTIVATE_ADMIN, { input: { id: ghostId } })).body.data.deactivateAdmin
        .userErrors,
    ).toEqual([]);
    const stillLast = await server.graphql(solo.adminToken, UPDATE_ADMIN, { input: { id: ownerId, role: 'ADMIN' } });
    expect(stillLast.body.data.updateAdmin.userErrors.map((e: any) => e.code)).toEqual(['LAST_OWNER']);

    // With a second active owner the first may step down, and is then no longer an owner.
    const second = await server.graphql(solo.adminToken, CREATE_ADMIN, {
      input: { email: 'second@solo.test', role: 'OWNER' },
    });
    const { token: secondToken, admin: secondAdmin } = second.body.data.createAdmin;
    const stepDown = await server.graphql(solo.adminToken, UPDATE_ADMIN, { input: { id: ownerId, role: 'ADMIN' } });
    expect(stepDown.body.data.updateAdmin).toMatchObject({ admin: { role: 'ADMIN' }, userErrors: [] });
    const forbidden = await server.graphql(solo.adminToken, DEACTIVATE_ADMIN, { input: { id: secondAdmin.id } });
    expect(errorCodes(forbidden)).toEqual(['FORBIDDEN']);
    const selfLast = await server.graphql(secondToken, DEACTIVATE_ADMIN, { input: { id: secondAdmin.id } });
    expect(selfLast.body.data.deactivateAdmin.userErrors.map((e: any) => e.code)).toEqual(['LAST_OWNER']);
  });

  it('two owners deactivating each other at once leave exactly one active owner', async () => {
    const duo = await organizationWith(server.db.prisma, 'Duo', { projects: 1, contractorsPerProject: 0 });
    const first = await server.db.prisma.user.findFirstOrThrow({ where: { organizationId: duo.organizationId } });
    const created = await server.graphql(duo.adminToken, CREATE_ADMIN, {
      input: { email: 'b@duo.test', role: 'OWNER' },
    });
    const { token: secondToken, admin: secondAdmin } = created.body.data.createAdmin;
    const results = await Promise.all([
      server.graphql(duo.adminToken, DEACTIVATE_ADMIN, { input: { id: secondAdmin.id } }),
      server.graphql(secondToken, DEACTIVATE_ADMIN, { input: { id: adminId(first.id) } }),
    ]);
    for (const res of results) expect([200, 401]).toContain(res.status);
    const activeOwners = await server.db.prisma.user.count({
      where: { organizationId: duo.organizationId, role: 'OWNER', deactivatedAt: null },
    });
    expect(activeOwners).toBe(1);
  });
});

describe('create-admin (the CLI function)', () => {
  const cli = (input: Partial<Parameters<typeof createAdmin>[1]>) =>
    createAdmin(server.db.prisma, { organizationName: 'Roles', email: 'cli@roles.test', ...input });

  it.each([
    [
      'an unknown project',
      { role: 'PROJECT_ADMIN', projects: ['P0', 'NOPE'] },
      /^no project "NOPE" in organisation "Roles"$/,
    ],
    [
      "another organisation's project id",
      { role: 'PROJECT_ADMIN', projects: ['other'] },
      /^no project "[0-9a-f-]{36}"/,
    ],
    ['a PROJECT_ADMIN without projects', { role: 'PROJECT_ADMIN' }, /needs --projects/],
    ['projects for an OWNER', { role: 'OWNER', projects: ['P0'] }, /only for --role PROJECT_ADMIN/],
    [
      'a new organisation for a PROJECT_ADMIN',
      { organizationName: 'Nowhere', role: 'PROJECT_ADMIN', projects: ['P0'] },
      /no project "P0" in organisation "Nowhere"/,
    ],
    [
      'a role change for an existing admin',
      { email: 'site@roles.test', role: 'OWNER' },
      /already exists as PROJECT_ADMIN/,
    ],
  ] as const)('refuses %s with one readable line, writing nothing', async (_case, input, message) => {
    const before = [...(await adminRows()), await server.db.prisma.organization.count()];
    const projects = (input as { projects?: readonly string[] }).projects?.map((p) =>
      p === 'other' ? other.projectIds[0] : p,
    );
    await expect(cli({ ...input, projects } as any)).rejects.toThrow(message);
    expect([...(await adminRows()), await server.db.prisma.organization.count()]).toEqual(before);
  });

  it('issues another token for an existing admin, keeping role and projects; refuses a deactivated one', async () => {
    const again = await cli({ email: 'site@roles.test' });
    expect(again.userId).toBe(projectAdmin.userId);
    const me = await server.graphql(again.token, '{ viewer { admin { role } projects { totalCount } } }');
    expect(me.body.data.viewer).toEqual({ admin: { role: 'PROJECT_ADMIN' }, projects: { totalCount: 2 } });

    const leaver = await server.db.prisma.user.findFirstOrThrow({ where: { email: 'leaver@roles.test' } });
    expect(leaver.deactivatedAt).not.toBeNull();
    await expect(cli({ email: 'leaver@roles.test' })).rejects.toThrow(/is deactivated/);
  });
});
