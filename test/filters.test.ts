import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globalId, organizationWith, type OrganizationScenario } from './support/scenarios.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let org: OrganizationScenario;

beforeAll(async () => {
  server = await startTestServer();
  org = await organizationWith(server.db.prisma, 'Filtered', {
    projects: 2,
    contractorsPerProject: 3,
    workersPerContractor: 2,
  });
  const prisma = server.db.prisma;
  await prisma.goal.update({ where: { id: org.goalIds[0] }, data: { dueOn: new Date('2026-12-01T00:00:00Z') } });
  await prisma.goal.update({ where: { id: org.goalIds[1] }, data: { dueOn: new Date('2027-03-01T00:00:00Z') } });
  await prisma.conversation.update({ where: { id: org.conversationIds[1] }, data: { status: 'COMPLETED' } });
  await prisma.recognition.update({
    where: { id: org.recognitionIds[0] },
    data: { createdAt: new Date('2026-01-10T00:00:00Z') },
  });
  await prisma.recognition.update({
    where: { id: org.recognitionIds[1] },
    data: { createdAt: new Date('2026-06-10T00:00:00Z') },
  });
  await prisma.person.update({ where: { id: org.personIds[0] }, data: { department: 'Safety' } });
  await prisma.worker.update({ where: { id: org.workerIds[0] }, data: { trade: 'Electrician' } });
});
afterAll(() => server?.close());

const gid = globalId;
async function ids(query: string, variables: Record<string, unknown> = {}) {
  const res = await server.graphql(org.adminToken, query, variables);
  expect(res.body.errors).toBeUndefined();
  const connection = Object.values(res.body.data)[0] as { edges: { node: { id: string } }[] };
  return connection.edges.map((e) => e.node.id);
}

describe('root connection filters (each with a match and a miss)', () => {
  it('contractors(projectId:, orderBy:)', async () => {
    const inProject = await ids('query ($p: ID) { contractors(projectId: $p) { edges { node { id } } } }', {
      p: gid('Project', org.projectIds[1]),
    });
    expect(inProject.sort()).toEqual(
      org.contractorIds
        .slice(3)
        .map((id) => gid('Contractor', id))
        .sort(),
    );
    const byNameDesc = await ids(
      '{ contractors(orderBy: { field: NAME, direction: DESC }) { edges { node { id } } } }',
    );
    const byName = await ids('{ contractors(orderBy: { field: NAME }) { edges { node { id } } } }');
    expect(byNameDesc).toEqual([...byName].reverse());
  });

  it('paging with a non-default order visits every row once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const res: any = await server.graphql(
        org.adminToken,
        `query ($after: String) { contractors(first: 2, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {
           edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      seen.push(...res.body.data.contractors.edges.map((e: any) => e.node.id));
      if (!res.body.data.contractors.pageInfo.hasNextPage) break;
      after = res.body.data.contractors.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    expect(seen).toEqual(
      await ids('{ contractors(orderBy: { field: CREATED_AT, direction: DESC }) { edges { node { id } } } }'),
    );
  });

  it('workers(contractorId:, search:)', async () => {
    const ofContractor = await ids('query ($c: ID) { workers(contractorId: $c) { edges { node { id } } } }', {
      c: gid('Contractor', org.contractorIds[0]),
    });
    expect(ofContractor.sort()).toEqual(
      org.workerIds
        .slice(0, 2)
        .map((id) => gid('Worker', id))
        .sort(),
    );
    expect(await ids('{ workers(search: "electric") { edges { node { id } } } }')).toEqual([
      gid('Worker', org.workerIds[0]),
    ]);
    expect(await ids('{ workers(search: "plumber") { edges { node { id } } } }')).toEqual([]);
  });

  it('goals(projectId:, ownerId:, status:, dueBefore:)', async () => {
    expect(
      await ids('query ($o: ID) { goals(ownerId: $o) { edges { node { id } } } }', {
        o: gid('Person', org.personIds[0]),
      }),
    ).toEqual([gid('Goal', org.goalIds[0])]);
    expect(await ids('{ goals(dueBefore: "2027-01-01") { edges { node { id } } } }')).toEqual([
      gid('Goal', org.goalIds[0]),
    ]);
    expect(await ids('{ goals(dueBefore: "2026-01-01") { edges { node { id } } } }')).toEqual([]);
    expect(await ids('{ goals(status: AT_RISK) { edges { node { id } } } }')).toEqual([gid('Goal', org.goalIds[1])]);
    expect(
      await ids('query ($p: ID) { goals(projectId: $p, status: AT_RISK) { edges { node { id } } } }', {
        p: gid('Project', org.projectIds[0]),
      }),
    ).toEqual([]);
  });

  it('conversations(projectId:, templateId:, status:)', async () => {
    expect(await ids('{ conversations(status: COMPLETED) { edges { node { id } } } }')).toEqual([
      gid('Conversation', org.conversationIds[1]),
    ]);
    expect(await ids('{ conversations(status: IN_PROGRESS) { edges { node { id } } } }')).toEqual([]);
    const byTemplate = await ids('query ($t: ID) { conversations(templateId: $t) { edges { node { id } } } }', {
      t: gid('ConversationTemplate', org.templateIds[0]),
    });
    expect(byTemplate).toHaveLength(2);
    expect(
      await ids('query ($p: ID) { conversations(projectId: $p) { edges { node { id } } } }', {
        p: gid('Project', org.projectIds[0]),
      }),
    ).toEqual([gid('Conversation', org.conversationIds[0])]);
  });

  it('recognitions(projectId:, hashtag:, since:, until:)', async () => {
    expect(await ids('{ recognitions(since: "2026-03-01T00:00:00Z") { edges { node { id } } } }')).toEqual([
      gid('Recognition', org.recognitionIds[1]),
    ]);
    expect(await ids('{ recognitions(until: "2026-03-01T00:00:00Z") { edges { node { id } } } }')).toEqual([
      gid('Recognition', org.recognitionIds[0]),
    ]);
    expect(await ids('{ recognitions(since: "2026-07-01T00:00:00Z") { edges { node { id } } } }')).toEqual([]);
    expect(await ids('{ recognitions(hashtag: "TeamWork") { edges { node { id } } } }')).toEqual([
      gid('Recognition', org.recognitionIds[1]),
    ]);
    expect(
      await ids('query ($p: ID) { recognitions(projectId: $p, hashtag: "teamwork") { edges { node { id } } } }', {
        p: gid('Project', org.projectIds[0]),
      }),
    ).toEqual([]);
  });

  it('people(search:, department:)', async () => {
    expect(await ids('{ people(department: "Safety") { edges { node { id } } } }')).toEqual([
      gid('Person', org.personIds[0]),
    ]);
    expect(await ids('{ people(department: "safety") { edges { node { id } } } }')).toEqual([]);
    expect(await ids('{ people(search: "owner", department: "Safety") { edges { node { id } } } }')).toEqual([
      gid('Person', org.personIds[0]),
    ]);
  });
});

describe('relation connections honour the same filters', () => {
  it('Project.contractors(status:), Contractor.workers(search:), Project.goals(status:), Person.goals(projectId:)', async () => {
    const res = await server.graphql(
      org.adminToken,
      `query ($p: ID!, $c: ID!, $person: ID!, $other: ID) {
        project: node(id: $p) { ... on Project { contractors(status: APPROVED) { totalCount } all: contractors { totalCount }
          goals(status: AT_RISK) { totalCount } } }
        contractor: node(id: $c) { ... on Contractor { workers(search: "electric") { totalCount } } }
        person: node(id: $person) { ... on Person { goals(projectId: $other) { totalCount } mine: goals { totalCount } } } }`,
      {
        p: gid('Project', org.projectIds[0]),
        c: gid('Contractor', org.contractorIds[0]),
        person: gid('Person', org.personIds[0]),
        other: gid('Project', org.projectIds[1]),
      },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.project).toEqual({
      contractors: { totalCount: 1 },
      all: { totalCount: 3 },
      goals: { totalCount: 0 },
    });
    expect(res.body.data.contractor.workers.totalCount).toBe(1);
    expect(res.body.data.person).toEqual({ goals: { totalCount: 0 }, mine: { totalCount: 1 } });
  });
});
