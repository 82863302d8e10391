import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyFixture, globalId, organizationWith, type OrganizationScenario } from './support/scenarios.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let acme: OrganizationScenario;
let sharedContractorId: string;
let keys: Record<'readOnly' | 'writer' | 'qualified', string>;

beforeAll(async () => {
  server = await startTestServer();
  acme = await organizationWith(server.db.prisma, 'Scoped', {
    projects: 2,
    contractorsPerProject: 2,
    workersPerContractor: 1,
  });
  const prisma = server.db.prisma;
  // One contractor works on both projects: a key of project 0 sees it, but not project 1 through it.
  const shared = await prisma.contractor.update({
    where: { id: acme.contractorIds[0] },
    data: { projects: { connect: { id: acme.projectIds[1] } } },
  });
  sharedContractorId = shared.id;
  const p0 = [acme.projectIds[0]];
  keys = {
    readOnly: (await apiKeyFixture(prisma, acme.organizationId, { projectIds: p0 })).token,
    writer: (await apiKeyFixture(prisma, acme.organizationId, { projectIds: p0, allowWrites: true })).token,
    qualified: (await apiKeyFixture(prisma, acme.organizationId, { projectIds: p0, canReadQualificationData: true }))
      .token,
  };
});
afterAll(() => server?.close());

const ids = (connection: { edges: { node: { id: string } }[] }) => connection.edges.map((e) => e.node.id).sort();
const gids = (type: string, list: string[]) => list.map((id) => globalId(type, id)).sort();

describe('project scope of a key', () => {
  it('lists only rows linked to its projects', async () => {
    const res = await server.graphql(
      keys.readOnly,
      `{ projects { edges { node { id } } } contractors { edges { node { id } } } workers { edges { node { id } } }
         goals { edges { node { id } } } conversations { edges { node { id } } } recognitions { edges { node { id } } }
         people { edges { node { id } } } conversationTemplates { totalCount } }`,
    );
    expect(res.status).toBe(200);
    const d = res.body.data;
    expect(ids(d.projects)).toEqual(gids('Project', [acme.projectIds[0]]));
    expect(ids(d.contractors)).toEqual(gids('Contractor', acme.contractorIds.slice(0, 2)));
    expect(ids(d.workers)).toEqual(gids('Worker', acme.workerIds.slice(0, 2)));
    expect(ids(d.goals)).toEqual(gids('Goal', [acme.goalIds[0]]));
    expect(ids(d.conversations)).toEqual(gids('Conversation', [acme.conversationIds[0]]));
    expect(ids(d.recognitions)).toEqual(gids('Recognition', [acme.recognitionIds[0]]));
    expect(ids(d.people)).toEqual(gids('Person', acme.personIds.slice(0, 2)));
    expect(d.conversationTemplates.totalCount).toBe(1);
  });

  it("resolves another project's rows to null, never FORBIDDEN", async () => {
    const outside = [
      globalId('Project', acme.projectIds[1]),
      globalId('Contractor', acme.contractorIds[2]),
      globalId('Worker', acme.workerIds[2]),
      globalId('Goal', acme.goalIds[1]),
      globalId('Conversation', acme.conversationIds[1]),
      globalId('Recognition', acme.recognitionIds[1]),
      globalId('Person', acme.personIds[2]),
    ];
    const res = await server.graphql(keys.readOnly, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
      ids: outside,
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.nodes).toEqual(outside.map(() => null));
  });

  it("does not reach another project through a shared contractor's relations", async () => {
    const res = await server.graphql(
      keys.readOnly,
      'query ($id: ID!) { node(id: $id) { ... on Contractor { projects { totalCount edges { node { id } } } } } }',
      { id: globalId('Contractor', sharedContractorId) },
    );
    expect(res.body.data.node.projects.totalCount).toBe(1);
    expect(ids(res.body.data.node.projects)).toEqual(gids('Project', [acme.projectIds[0]]));
    const admin = await server.graphql(
      acme.adminToken,
      'query ($id: ID!) { node(id: $id) { ... on Contractor { projects { totalCount } } } }',
      { id: globalId('Contractor', sharedContractorId) },
    );
    expect(admin.body.data.node.projects.totalCount).toBe(2);
  });

  it("lists under a project or person it sees only what it may see: the project's contractors and workers, reports in reach", async () => {
    const res = await server.graphql(
      keys.readOnly,
      `query ($person: ID!) { projects { edges { node { contractors { totalCount edges { node { id
          workers { totalCount edges { node { id } } } } } } } } }
        person: node(id: $person) { ... on Person { reports { totalCount edges { node { id } } } } } }`,
      { person: globalId('Person', acme.personIds[0]) },
    );
    expect(res.body.errors).toBeUndefined();
    const [project] = res.body.data.projects.edges.map((e: any) => e.node);
    expect(ids(project.contractors)).toEqual(gids('Contractor', acme.contractorIds.slice(0, 2)));
    const workers = project.contractors.edges.flatMap((e: any) => e.node.workers.edges.map((w: any) => w.node.id));
    expect(workers.sort()).toEqual(gids('Worker', acme.workerIds.slice(0, 2)));
    // A report with nothing on the key's projects is outside its reach (auth/scope.ts, person).
    const prisma = server.db.prisma;
    await prisma.person.create({
      data: {
        organizationId: acme.organizationId,
        name: 'Far report',
        email: 'far@scoped.test',
        managerId: acme.personIds[0],
      },
    });
    const reports = await server.graphql(
      keys.readOnly,
      'query ($id: ID!) { node(id: $id) { ... on Person { reports { totalCount edges { node { id } } } } } }',
      { id: globalId('Person', acme.personIds[0]) },
    );
    expect(reports.body.data.node.reports.totalCount).toBe(1);
    expect(ids(reports.body.data.node.reports)).toEqual(gids('Person', [acme.personIds[1]]));
    const admin = await server.graphql(
      acme.adminToken,
      'query ($id: ID!) { node(id: $id) { ... on Person { reports { totalCount } } } }',
      { id: globalId('Person', acme.personIds[0]) },
    );
    expect(admin.body.data.node.reports.totalCount).toBe(2);
  });

  it("hides a person's manager and relations outside the key's reach", async () => {
    const prisma = server.db.prisma;
    const boss = await prisma.person.create({
      data: { organizationId: acme.organizationId, name: 'Unlinked boss', email: 'boss@scoped.test' },
    });
    await prisma.person.update({ where: { id: acme.personIds[0] }, data: { managerId: boss.id } });
    const res = await server.graphql(
      keys.readOnly,
      'query ($id: ID!) { node(id: $id) { ... on Person { manager { name } } } }',
      {
        id: globalId('Person', acme.personIds[0]),
      },
    );
    expect(res.body.data.node.manager).toBeNull();
    const admin = await server.graphql(
      acme.adminToken,
      'query ($id: ID!) { node(id: $id) { ... on Person { manager { name } } } }',
      {
        id: globalId('Person', acme.personIds[0]),
      },
    );
    expect(admin.body.data.node.manager).toEqual({ name: 'Unlinked boss' });
  });
});

describe('filters naming what a key may not see', () => {
  /** The body without its request ids: what a client could compare. */
  const comparable = (body: unknown) => JSON.parse(JSON.stringify(body), (k, v) => (k === 'requestId' ? undefined : v));
  const filters: [string, string, () => string][] = [
    [
      'contractors(projectId:)',
      '{ contractors(projectId: $id) { totalCount edges { node { id } } } }',
      () => globalId('Project', acme.projectIds[1]),
    ],
    [
      'workers(contractorId:)',
      '{ workers(contractorId: $id) { totalCount edges { node { id } } } }',
      () => globalId('Contractor', acme.contractorIds[2]),
    ],
    [
      'goals(projectId:)',
      '{ goals(projectId: $id) { totalCount edges { node { id } } } }',
      () => globalId('Project', acme.projectIds[1]),
    ],
    [
      'goals(ownerId:)',
      '{ goals(ownerId: $id) { totalCount edges { node { id } } } }',
      () => globalId('Person', acme.personIds[2]),
    ],
    [
      'conversations(projectId:)',
      '{ conversations(projectId: $id) { totalCount edges { node { id } } } }',
      () => globalId('Project', acme.projectIds[1]),
    ],
    [
      'recognitions(projectId:)',
      '{ recognitions(projectId: $id) { totalCount edges { node { id } } } }',
      () => globalId('Project', acme.projectIds[1]),
    ],
    [
      'Person.goals(projectId:)',
      `{ people { edges { node { goals(projectId: $id) { totalCount } } } } }`,
      () => globalId('Project', acme.projectIds[1]),
    ],
    [
      'Person.conversations(projectId:)',
      `{ people { edges { node { conversations(projectId: $id) { totalCount } } } } }`,
      () => globalId('Project', acme.projectIds[1]),
    ],
    [
      'Person.recognitionsGiven(projectId:)',
      `{ people { edges { node { recognitionsGiven(projectId: $id) { totalCount } } } } }`,
      () => globalId('Project', acme.projectIds[1]),
    ],
  ];

  it.each(filters)(
    '%s with another project’s id answers as an id that does not exist',
    async (_, selection, hidden) => {
      const query = `query ($id: ID) ${selection}`;
      const id = hidden();
      const type = Buffer.from(id, 'base64url').toString().split(':')[0];
      const outside = await server.graphql(keys.readOnly, query, { id });
      const absent = await server.graphql(keys.readOnly, query, { id: globalId(type, randomUUID()) });
      expect(outside.status).toBe(absent.status);
      expect(comparable(outside.body)).toEqual(comparable(absent.body));
      // The admin, who sees the whole organisation, finds something under the same id: the test can fail.
      const admin = await server.graphql(acme.adminToken, query, { id });
      expect(JSON.stringify(admin.body.data)).toMatch(/"totalCount":[1-9]/);
    },
  );
});

describe('qualification data', () => {
  const query = `{ workers(first: 1) { edges { node { firstName qualifications { name issuer licenseNumber } } } } }`;

  it('without canReadQualificationData: qualifications is null with FORBIDDEN at its path, the rest intact', async () => {
    const res = await server.graphql(
      keys.readOnly,
      `{ workers(first: 1) { edges { node { firstName qualifications { name } } } } }`,
    );
    expect(res.status).toBe(200);
    const worker = res.body.data.workers.edges[0].node;
    expect(worker.firstName).toBe('W0');
    expect(worker.qualifications).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0].path).toEqual(['workers', 'edges', 0, 'node', 'qualifications']);
    expect(res.body.errors![0].extensions.code).toBe('FORBIDDEN');
  });

  it('with the flag: non-sensitive fields readable, licenseNumber null with FORBIDDEN', async () => {
    const res = await server.graphql(keys.qualified, query);
    expect(res.status).toBe(200);
    const [qualification] = res.body.data.workers.edges[0].node.qualifications;
    expect(qualification).toEqual({ name: 'OSHA 30', issuer: 'OSHA', licenseNumber: null });
    expect(res.body.errors!.map((e) => [e.extensions.code, e.path!.at(-1)])).toEqual([['FORBIDDEN', 'licenseNumber']]);
  });

  it('without the flag, node() on an in-scope qualification is null, as an id out of scope', async () => {
    const [inScope] = await server.db.prisma.qualification.findMany({ where: { workerId: acme.workerIds[0] } });
    const query = 'query ($ids: [ID!]!) { nodes(ids: $ids) { __typename ... on Qualification { name } } }';
    const ids = [globalId('Qualification', inScope.id), globalId('Qualification', randomUUID())];
    const res = await server.graphql(keys.readOnly, query, { ids });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.nodes).toEqual([null, null]);
    const single = await server.graphql(keys.readOnly, 'query ($id: ID!) { node(id: $id) { __typename } }', {
      id: ids[0],
    });
    expect(single.body.errors).toBeUndefined();
    expect(single.body.data).toEqual({ node: null });
    const flagged = await server.graphql(keys.qualified, query, { ids });
    expect(flagged.body.data.nodes).toEqual([{ __typename: 'Qualification', name: 'OSHA 30' }, null]);
  });

  it('an admin reads everything, including licenseNumber', async () => {
    const res = await server.graphql(acme.adminToken, query);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.workers.edges[0].node.qualifications[0].licenseNumber).toMatch(/^L-/);
  });
});

describe('writes', () => {
  it('a read-only key is FORBIDDEN on any mutation (HTTP 403) and nothing changes', async () => {
    const before = await server.db.prisma.project.count();
    const res = await server.graphql(
      keys.readOnly,
      'mutation { createProject(input: { name: "X", code: "X" }) { project { id } } }',
    );
    expect(res.status).toBe(403);
    expect(res.body.data).toBeNull();
    expect(res.body.errors![0].extensions.code).toBe('FORBIDDEN');
    expect(await server.db.prisma.project.count()).toBe(before);
  });

  it('a writing key still cannot call admin-only mutations', async () => {
    const res = await server.graphql(
      keys.writer,
      'mutation { createProject(input: { name: "X", code: "X2" }) { project { id } } }',
    );
    expect(res.status).toBe(403);
    expect(res.body.errors![0].extensions.code).toBe('FORBIDDEN');
  });
});
