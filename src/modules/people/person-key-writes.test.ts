import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes as codes, mutationDocument } from '../../../test/support/mutations.ts';
import {
  apiKeyFixture,
  globalId,
  lonePerson,
  organizationWith,
  type OrganizationScenario,
  projectAdminToken,
} from '../../../test/support/scenarios.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

/*
 * canWritePeople: the third key flag. A key holds it only with allowWrites, only owners and
 * admins grant it, and with it the key creates, updates and reads the whole directory.
 */

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
let keys: Record<'hr' | 'writer' | 'readOnly', { id: string; token: string }>;
let projectAdmin: string;
let loner: string;

beforeAll(async () => {
  server = await startTestServer();
  const prisma = server.db.prisma;
  acme = await organizationWith(prisma, 'Peopleco', { projects: 2, contractorsPerProject: 1, workersPerContractor: 1 });
  other = await organizationWith(prisma, 'Elsewhere', {
    projects: 1,
    contractorsPerProject: 1,
    workersPerContractor: 1,
  });
  const p0 = [acme.projectIds[0]];
  keys = {
    hr: await apiKeyFixture(prisma, acme.organizationId, { projectIds: p0, allowWrites: true, canWritePeople: true }),
    writer: await apiKeyFixture(prisma, acme.organizationId, { projectIds: p0, allowWrites: true }),
    readOnly: await apiKeyFixture(prisma, acme.organizationId, { projectIds: p0 }),
  };
  projectAdmin = await projectAdminToken(prisma, 'Peopleco', [acme.projectIds[0]], 'site@peopleco.test');
  loner = await lonePerson(prisma, acme);
});
afterAll(() => server?.close());

const CREATE_PERSON = mutationDocument('createPerson', 'person { id name email }');
const UPDATE_PERSON = mutationDocument('updatePerson', 'person { id title }');
const CREATE_KEY = mutationDocument(
  'createApiKey',
  'apiKey { id canWritePeople allowWrites events { edges { node { changes } } } }',
);
const UPDATE_KEY = mutationDocument('updateApiKey', 'apiKey { id canWritePeople allowWrites }');
let serial = 0;
const newPerson = () => ({ name: `Hired ${++serial}`, email: `hired.${serial}@peopleco.test` });
const personCount = () => server.db.prisma.person.count();
const apiKeyCount = () => server.db.prisma.apiKey.count();

describe('a key with canWritePeople', () => {
  it('creates a person of the directory and reads them back by node', async () => {
    const res = await server.graphql(keys.hr.token, CREATE_PERSON, { input: newPerson() });
    expect(res.status).toBe(200);
    const { person, userErrors } = res.body.data.createPerson;
    expect(userErrors).toEqual([]);
    const read = await server.graphql(keys.hr.token, 'query ($id: ID!) { node(id: $id) { id } }', { id: person.id });
    expect(read.body.data.node).toEqual({ id: person.id });
  });

  it('updates a person linked to nothing of its projects (the directory is organisation-wide)', async () => {
    const res = await server.graphql(keys.hr.token, UPDATE_PERSON, {
      input: { id: globalId('Person', loner), title: 'Payroll clerk' },
    });
    expect(res.body.data.updatePerson).toEqual({
      person: { id: globalId('Person', loner), title: 'Payroll clerk' },
      userErrors: [],
    });
  });

  it('lists every person of its organisation, and none of another', async () => {
    const res = await server.graphql(keys.hr.token, '{ people(first: 1) { totalCount } }');
    const inAcme = await server.db.prisma.person.count({ where: { organizationId: acme.organizationId } });
    expect(res.body.data.people.totalCount).toBe(inAcme);
  });

  it("cannot update another organisation's person: NOT_FOUND, nothing changed", async () => {
    const before = await server.db.prisma.person.findUniqueOrThrow({ where: { id: other.personIds[0] } });
    const res = await server.graphql(keys.hr.token, UPDATE_PERSON, {
      input: { id: globalId('Person', other.personIds[0]), title: 'Hijacked' },
    });
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect(await server.db.prisma.person.findUniqueOrThrow({ where: { id: other.personIds[0] } })).toEqual(before);
  });

  it('viewer says so', async () => {
    const res = await server.graphql(keys.hr.token, '{ viewer { canWritePeople allowWrites } }');
    expect(res.body.data.viewer).toEqual({ canWritePeople: true, allowWrites: true });
  });
});

describe('keys without canWritePeople', () => {
  it.each(['writer', 'readOnly'] as const)(
    'the %s key gets FORBIDDEN (403) for createPerson; nothing written',
    async (name) => {
      const before = await personCount();
      const res = await server.graphql(keys[name].token, CREATE_PERSON, { input: newPerson() });
      expect(res.status).toBe(403);
      expect(codes(res)).toEqual(['FORBIDDEN']);
      expect(await personCount()).toBe(before);
    },
  );

  it('a writing key without the flag cannot update a person it can see', async () => {
    const res = await server.graphql(keys.writer.token, UPDATE_PERSON, {
      input: { id: globalId('Person', acme.personIds[0]), title: 'Changed' },
    });
    expect(codes(res)).toEqual(['FORBIDDEN']);
  });

  it('still sees only the people linked to its projects', async () => {
    const res = await server.graphql(keys.writer.token, 'query ($id: ID!) { node(id: $id) { id } }', {
      id: globalId('Person', loner),
    });
    expect(res.body.data.node).toBeNull();
  });

  it('a project admin cannot write people either', async () => {
    const res = await server.graphql(projectAdmin, CREATE_PERSON, { input: newPerson() });
    expect(codes(res)).toEqual(['FORBIDDEN']);
  });
});

describe('granting canWritePeople', () => {
  const input = (extra: Record<string, unknown>) => ({
    name: `people key ${++serial}`,
    projectIds: [globalId('Project', acme.projectIds[0])],
    ...extra,
  });

  it('an admin creates a key with it; the audit trail records it', async () => {
    const res = await server.graphql(acme.adminToken, CREATE_KEY, {
      input: input({ allowWrites: true, canWritePeople: true }),
    });
    const { apiKey, userErrors } = res.body.data.createApiKey;
    expect(userErrors).toEqual([]);
    expect(apiKey).toMatchObject({ canWritePeople: true, allowWrites: true });
    expect(apiKey.events.edges[0].node.changes.canWritePeople).toEqual({ before: null, after: true });
  });

  it('without allowWrites is a userError (INVALID) and no key is made', async () => {
    const before = await apiKeyCount();
    const res = await server.graphql(acme.adminToken, CREATE_KEY, { input: input({ canWritePeople: true }) });
    expect(res.body.data.createApiKey.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'canWritePeople'], code: 'INVALID' }),
    ]);
    expect(await apiKeyCount()).toBe(before);
  });

  it('a project admin may not grant it (NOT_PERMITTED), though they may create keys in their projects', async () => {
    const before = await apiKeyCount();
    const refused = await server.graphql(projectAdmin, CREATE_KEY, {
      input: input({ allowWrites: true, canWritePeople: true }),
    });
    expect(refused.body.data.createApiKey.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'canWritePeople'], code: 'NOT_PERMITTED' }),
    ]);
    expect(await apiKeyCount()).toBe(before);
    const allowed = await server.graphql(projectAdmin, CREATE_KEY, { input: input({ allowWrites: true }) });
    expect(allowed.body.data.createApiKey.userErrors).toEqual([]);
  });

  it('turning allowWrites off alone is refused; with canWritePeople off too it works, and the next request obeys', async () => {
    const key = await apiKeyFixture(server.db.prisma, acme.organizationId, {
      projectIds: [acme.projectIds[0]],
      allowWrites: true,
      canWritePeople: true,
    });
    const id = globalId('ApiKey', key.id);
    const refused = await server.graphql(acme.adminToken, UPDATE_KEY, { input: { id, allowWrites: false } });
    expect(refused.body.data.updateApiKey.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'canWritePeople'], code: 'INVALID' }),
    ]);
    expect(await server.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).toMatchObject({
      allowWrites: true,
      canWritePeople: true,
    });
    expect((await server.graphql(key.token, CREATE_PERSON, { input: newPerson() })).status).toBe(200);

    const off = await server.graphql(acme.adminToken, UPDATE_KEY, { input: { id, canWritePeople: false } });
    expect(off.body.data.updateApiKey).toEqual({
      apiKey: { id, canWritePeople: false, allowWrites: true },
      userErrors: [],
    });
    expect(codes(await server.graphql(key.token, CREATE_PERSON, { input: newPerson() }))).toEqual(['FORBIDDEN']);
  });

  it("another organisation's admin cannot see or change the key", async () => {
    const res = await server.graphql(other.adminToken, UPDATE_KEY, {
      input: { id: globalId('ApiKey', keys.hr.id), canWritePeople: false },
    });
    expect(
      codes(res).concat(res.body.data?.updateApiKey?.userErrors?.map((e: { code: string }) => e.code) ?? []),
    ).toContain('NOT_FOUND');
    expect((await server.db.prisma.apiKey.findUniqueOrThrow({ where: { id: keys.hr.id } })).canWritePeople).toBe(true);
  });
});
