import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globalId, organizationWith, type OrganizationScenario } from './support/scenarios.ts';
import { startTestServer, type GraphQLResponse, type TestServer } from './support/server.ts';

/*
 * Reading the organisation through the API: every connection, nested relations, cursor
 * paging, and nothing of another organisation.
 */

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;

beforeAll(async () => {
  server = await startTestServer();
  acme = await organizationWith(server.db.prisma, 'Acme', {
    projects: 2,
    contractorsPerProject: 6,
    workersPerContractor: 2,
  });
  other = await organizationWith(server.db.prisma, 'Other', {
    projects: 1,
    contractorsPerProject: 2,
    workersPerContractor: 1,
  });
});
afterAll(() => server?.close());

const connectionCounts = `{
  projects { totalCount edges { node { id } } }
  contractors { totalCount edges { node { id } } }
  workers { totalCount edges { node { id } } }
  people { totalCount edges { node { id } } }
  goals { totalCount edges { node { id } } }
  conversations { totalCount edges { node { id } } }
  conversationTemplates { totalCount edges { node { id } } }
  recognitions { totalCount edges { node { id } } }
}`;

describe('admin reads', () => {
  it('sees every connection of its own organisation with totals', async () => {
    const res = await server.graphql(acme.adminToken, connectionCounts);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    const d = res.body.data;
    expect(d.projects.totalCount).toBe(2);
    expect(d.contractors.totalCount).toBe(12);
    expect(d.contractors.edges).toHaveLength(12);
    expect(d.workers.totalCount).toBe(24);
    expect(d.workers.edges).toHaveLength(20); // default page size
    expect(d.people.totalCount).toBe(4);
    expect(d.goals.totalCount).toBe(2);
    expect(d.conversations.totalCount).toBe(2);
    expect(d.conversationTemplates.totalCount).toBe(1);
    expect(d.recognitions.totalCount).toBe(2);
  });

  it('reads nested relations, plain lists and sensitive fields', async () => {
    const res = await server.graphql(
      acme.adminToken,
      `{ projects(first: 1) { edges { node { name
          contractors(first: 2) { totalCount edges { node { name projects { totalCount } workers(first: 1) { edges { node {
            firstName contractor { name } qualifications { name licenseNumber } } } } } } }
          goals { edges { node { title owner { name } milestones { title completed } comments { totalCount edges { node { body author { ... on Person { name } } } } } } } }
          conversations { edges { node { participants { name manager { name } } template { questions { text } } } } }
          recognitions { edges { node { message hashtags giver { name } receivers { name } } } }
      } } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    const project = res.body.data.projects.edges[0].node;
    expect(project.contractors.totalCount).toBe(6);
    const worker = project.contractors.edges[0].node.workers.edges[0].node;
    expect(worker.qualifications).toEqual([{ name: 'OSHA 30', licenseNumber: expect.stringMatching(/^L-/) }]);
    expect(project.goals.edges[0].node.milestones).toEqual([{ title: 'First', completed: false }]);
    expect(project.goals.edges[0].node.comments.totalCount).toBe(1);
    const participants = project.conversations.edges[0].node.participants;
    expect(participants.map((p: { manager: unknown }) => p.manager)).toContainEqual({
      name: expect.stringMatching(/owner/),
    });
    expect(project.recognitions.edges[0].node.receivers).toHaveLength(1);
  });

  it("follows a person's goals, conversations and recognitions", async () => {
    const res = await server.graphql(
      acme.adminToken,
      `{ people(search: "owner 0") { edges { node { name goals { totalCount } conversations { totalCount }
          recognitionsGiven { totalCount } recognitionsReceived { totalCount } reports { edges { node { name } } } } } }
         conversationTemplates { edges { node { conversations { totalCount } } } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.people.edges).toEqual([
      {
        node: {
          name: 'Acme owner 0',
          goals: { totalCount: 1 },
          conversations: { totalCount: 1 },
          recognitionsGiven: { totalCount: 1 },
          recognitionsReceived: { totalCount: 0 },
          reports: { edges: [{ node: { name: 'Acme peer 0' } }] },
        },
      },
    ]);
    expect(res.body.data.conversationTemplates.edges[0].node.conversations.totalCount).toBe(2);
  });

  it('filters contractors by status, search and tag', async () => {
    const q = `query ($status: ApprovalStatus, $search: String, $tag: String) {
      contractors(status: $status, search: $search, tag: $tag, first: 50) { totalCount edges { node { approvalStatus city tags } } } }`;
    const approved = await server.graphql(acme.adminToken, q, { status: 'APPROVED' });
    expect(approved.body.data.contractors.totalCount).toBe(6);
    expect(approved.body.data.contractors.edges.every((e: any) => e.node.approvalStatus === 'APPROVED')).toBe(true);
    const portland = await server.graphql(acme.adminToken, q, { search: 'portLAND' });
    expect(portland.body.data.contractors.totalCount).toBe(6);
    const union = await server.graphql(acme.adminToken, q, { tag: 'union' });
    expect(union.body.data.contractors.totalCount).toBe(4);
    const none = await server.graphql(acme.adminToken, q, { tag: 'nonexistent' });
    expect(none.body.data.contractors.totalCount).toBe(0);
  });

  it('filters goals, recognitions and people', async () => {
    const res = await server.graphql(
      acme.adminToken,
      `query ($p: ID) { atRisk: goals(status: AT_RISK) { totalCount }
        inProject: goals(projectId: $p) { edges { node { project { id } } } }
        safety: recognitions(hashtag: "#safety") { totalCount }
        people(search: "PEER") { totalCount } }`,
      { p: globalId('Project', acme.projectIds[0]) },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.atRisk.totalCount).toBe(1);
    expect(res.body.data.inProject.edges).toEqual([
      { node: { project: { id: globalId('Project', acme.projectIds[0]) } } },
    ]);
    expect(res.body.data.safety.totalCount).toBe(1);
    expect(res.body.data.people.totalCount).toBe(2);
  });
});

describe('cursor paging', () => {
  const page = `query ($first: Int, $after: String, $last: Int, $before: String) {
    contractors(first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

  it('visits every row exactly once forwards and backwards', async () => {
    const forward: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const res: GraphQLResponse = await server.graphql(acme.adminToken, page, { first: 5, after });
      const c: any = res.body.data.contractors;
      forward.push(...c.edges.map((e: any) => e.node.id));
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    expect(forward).toHaveLength(12);
    expect(new Set(forward).size).toBe(12);

    const backward: string[] = [];
    let before: string | null = null;
    for (let i = 0; i < 10; i++) {
      const res: GraphQLResponse = await server.graphql(acme.adminToken, page, { last: 5, before });
      const c: any = res.body.data.contractors;
      backward.unshift(...c.edges.map((e: any) => e.node.id));
      if (!c.pageInfo.hasPreviousPage) break;
      before = c.pageInfo.startCursor;
    }
    expect(backward).toEqual(forward);
  });

  it.each([
    ['first', 101],
    ['last', 101],
    ['first', -1],
  ])('rejects %s: %i with BAD_USER_INPUT instead of clamping', async (arg, value) => {
    const res = await server.graphql(acme.adminToken, `{ contractors(${arg}: ${value}) { edges { node { id } } } }`);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors![0].message).toMatch(new RegExp(arg));
  });

  it('also guards relation connections', async () => {
    const res = await server.graphql(
      acme.adminToken,
      '{ projects { edges { node { contractors(first: 500) { totalCount } } } } }',
    );
    expect(res.body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('tenancy', () => {
  it("another organisation's admin sees none of Acme's rows", async () => {
    const res = await server.graphql(other.adminToken, connectionCounts);
    const d = res.body.data;
    expect(d.projects.totalCount).toBe(1);
    expect(d.contractors.totalCount).toBe(2);
    const allIds = Object.values(d).flatMap((c: any) => c.edges.map((e: any) => e.node.id));
    const acmeIds = [acme.projectIds, acme.contractorIds, acme.workerIds, acme.personIds, acme.goalIds].flat();
    for (const id of acmeIds) expect(allIds.join()).not.toContain(id);
  });

  it('resolves node(id) of another organisation to null', async () => {
    const ids = [
      globalId('Project', acme.projectIds[0]),
      globalId('Contractor', acme.contractorIds[0]),
      globalId('Worker', acme.workerIds[0]),
      globalId('Person', acme.personIds[0]),
      globalId('Goal', acme.goalIds[0]),
      globalId('Conversation', acme.conversationIds[0]),
      globalId('ConversationTemplate', acme.templateIds[0]),
      globalId('Recognition', acme.recognitionIds[0]),
    ];
    const mine = await server.graphql(acme.adminToken, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids });
    expect(mine.body.data.nodes.map((n: any) => n?.id)).toEqual(ids);
    const theirs = await server.graphql(other.adminToken, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids });
    expect(theirs.body.data.nodes).toEqual(ids.map(() => null));
    const single = await server.graphql(other.adminToken, 'query ($id: ID!) { node(id: $id) { id } }', { id: ids[1] });
    expect(single.body.data.node).toBeNull();
  });

  it.each([
    ['not base64', '%%%'],
    ['not a uuid', globalId('Project', 'abc')],
    ['no type', Buffer.from('just-text').toString('base64url')],
  ])('answers a malformed global id (%s) with BAD_USER_INPUT', async (_case, id) => {
    const res = await server.graphql(acme.adminToken, 'query ($id: ID!) { node(id: $id) { id } }', { id });
    expect(res.body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('answers an id of an unknown type or of the wrong type as not found or a coded error', async () => {
    const unknownType = globalId('Spaceship', acme.projectIds[0]);
    const res = await server.graphql(acme.adminToken, 'query ($id: ID!) { node(id: $id) { id } }', { id: unknownType });
    expect(res.status).toBeLessThan(500);
    if (res.body.errors) expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    else expect(res.body.data.node).toBeNull();
    const wrongType = globalId('Contractor', acme.projectIds[0]);
    const res2 = await server.graphql(acme.adminToken, 'query ($id: ID) { goals(projectId: $id) { totalCount } }', {
      id: wrongType,
    });
    expect(res2.body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
  });
});
