import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes as codes, mutationDocument } from '../../../test/support/mutations.ts';
import {
  apiKeyFixture,
  globalId,
  organizationWith,
  type OrganizationScenario,
  projectAdminToken,
} from '../../../test/support/scenarios.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

/*
 * The deletions feed: what a sync needs to remove from its copy (goals, milestones, workers),
 * scoped like the records were, and deleteWorker.
 */

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
let keys: Record<'writer' | 'readOnly' | 'p1', string>;
let projectAdmin: string;
let clock = new Date('2026-06-01T12:00:00Z');
const WORKERS_PER_PROJECT = 3;

beforeAll(async () => {
  server = await startTestServer({ now: () => clock });
  const prisma = server.db.prisma;
  const shape = { projects: 2, contractorsPerProject: 1, workersPerContractor: WORKERS_PER_PROJECT };
  acme = await organizationWith(prisma, 'Deleteco', shape);
  other = await organizationWith(prisma, 'Keepco', shape);
  const [p0, p1] = acme.projectIds;
  keys = {
    writer: (await apiKeyFixture(prisma, acme.organizationId, { projectIds: [p0], allowWrites: true })).token,
    readOnly: (await apiKeyFixture(prisma, acme.organizationId, { projectIds: [p0] })).token,
    p1: (await apiKeyFixture(prisma, acme.organizationId, { projectIds: [p1] })).token,
  };
  projectAdmin = await projectAdminToken(prisma, 'Deleteco', [p1], 'site@deleteco.test');
});
afterAll(() => server?.close());

const DELETE_WORKER = mutationDocument('deleteWorker', 'deletedWorkerId');
const DELETE_GOAL = mutationDocument('deleteGoal', 'deletedGoalId');
const REMOVE_MILESTONE = mutationDocument('removeGoalMilestone', 'deletedMilestoneId');
const DELETIONS = `query ($since: DateTime, $types: [DeletedRecordType!], $first: Int, $after: String) {
  deletions(since: $since, types: $types, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { recordId type deletedAt } }
  }
}`;
const worker = (project: number, i: number, org = acme) => org.workerIds[project * WORKERS_PER_PROJECT + i];
const deletionsOf = async (token: string, variables: Record<string, unknown> = {}) => {
  const res = await server.graphql(token, DELETIONS, variables);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.deletions;
};
const recordIds = (connection: { edges: { node: { recordId: string } }[] }) =>
  connection.edges.map((edge) => edge.node.recordId);
const tick = () => (clock = new Date(clock.getTime() + 60_000));

describe('deleteWorker', () => {
  it('a writing key deletes a worker of its projects, with their qualifications; the deletion is recorded', async () => {
    tick();
    const id = worker(0, 0);
    const res = await server.graphql(keys.writer, DELETE_WORKER, { input: { id: globalId('Worker', id) } });
    expect(res.body.data.deleteWorker).toEqual({ deletedWorkerId: globalId('Worker', id), userErrors: [] });
    expect(await server.db.prisma.worker.count({ where: { id } })).toBe(0);
    expect(await server.db.prisma.qualification.count({ where: { workerId: id } })).toBe(0);
    const feed = await deletionsOf(keys.writer, { types: ['WORKER'] });
    expect(feed.edges).toContainEqual({
      node: { recordId: globalId('Worker', id), type: 'WORKER', deletedAt: clock.toISOString() },
    });
  });

  it('a read-only key is FORBIDDEN (403) and nothing is deleted', async () => {
    const id = worker(0, 1);
    const res = await server.graphql(keys.readOnly, DELETE_WORKER, { input: { id: globalId('Worker', id) } });
    expect(res.status).toBe(403);
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(await server.db.prisma.worker.count({ where: { id } })).toBe(1);
  });

  it.each([
    ['a worker outside the key’s projects', () => worker(1, 0)],
    ['another organisation’s worker', () => worker(0, 0, other)],
  ])('%s is NOT_FOUND and stays', async (_case, id) => {
    const deletionsBefore = await server.db.prisma.deletion.count();
    const res = await server.graphql(keys.writer, DELETE_WORKER, { input: { id: globalId('Worker', id()) } });
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect(await server.db.prisma.worker.count({ where: { id: id() } })).toBe(1);
    expect(await server.db.prisma.deletion.count()).toBe(deletionsBefore);
  });
});

describe('deletions', () => {
  let goalOfP1: string;
  let milestoneOfP0: string;

  beforeAll(async () => {
    tick();
    goalOfP1 = globalId('Goal', acme.goalIds[1]);
    const deleted = await server.graphql(acme.adminToken, DELETE_GOAL, { input: { id: goalOfP1 } });
    expect(deleted.body.data.deleteGoal.userErrors).toEqual([]);
    tick();
    const milestone = await server.db.prisma.milestone.findFirstOrThrow({ where: { goalId: acme.goalIds[0] } });
    milestoneOfP0 = globalId('Milestone', milestone.id);
    const removed = await server.graphql(keys.writer, REMOVE_MILESTONE, { input: { id: milestoneOfP0 } });
    expect(removed.body.data.removeGoalMilestone.userErrors).toEqual([]);
  });

  it('an admin reads every deletion of the organisation, oldest first', async () => {
    const feed = await deletionsOf(acme.adminToken);
    expect(recordIds(feed)).toEqual([globalId('Worker', worker(0, 0)), goalOfP1, milestoneOfP0]);
    expect(feed.edges.map((edge: { node: { type: string } }) => edge.node.type)).toEqual([
      'WORKER',
      'GOAL',
      'MILESTONE',
    ]);
  });

  it('a key reads only the deletions in its projects', async () => {
    expect(recordIds(await deletionsOf(keys.readOnly))).toEqual([globalId('Worker', worker(0, 0)), milestoneOfP0]);
    expect(recordIds(await deletionsOf(keys.p1))).toEqual([goalOfP1]);
  });

  it('a project admin reads the deletions in their projects', async () => {
    expect(recordIds(await deletionsOf(projectAdmin))).toEqual([goalOfP1]);
  });

  it("another organisation's admin reads none of them", async () => {
    expect(await deletionsOf(other.adminToken)).toMatchObject({ totalCount: 0, edges: [] });
  });

  it('since and types narrow the feed', async () => {
    const last = new Date(clock.getTime());
    expect(recordIds(await deletionsOf(acme.adminToken, { since: last.toISOString() }))).toEqual([milestoneOfP0]);
    expect(recordIds(await deletionsOf(acme.adminToken, { types: ['GOAL', 'WORKER'] }))).toEqual([
      globalId('Worker', worker(0, 0)),
      goalOfP1,
    ]);
  });

  it('pages with cursors, resuming after the last one read', async () => {
    const first = await deletionsOf(acme.adminToken, { first: 2 });
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await deletionsOf(acme.adminToken, { first: 2, after: first.pageInfo.endCursor });
    expect(recordIds(rest)).toEqual([milestoneOfP0]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it('the deleted goal is gone from node and lists', async () => {
    const res = await server.graphql(acme.adminToken, 'query ($id: ID!) { node(id: $id) { id } }', { id: goalOfP1 });
    expect(res.body.data.node).toBeNull();
  });
});
