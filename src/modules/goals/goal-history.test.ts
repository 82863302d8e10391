import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutationHelpers, rawId } from '../../../test/support/mutations.ts';
import {
  apiKeyFixture,
  globalId,
  scenarioIds,
  writeScenario,
  type OrganizationScenario,
} from '../../../test/support/scenarios.ts';
import type { TestServer } from '../../../test/support/server.ts';

/*
 * Goal history: every createGoal, updateGoal and milestone mutation records one GoalChange in
 * its transaction (who, which request, each field before and after); `Goal.history` lists
 * them newest first to whoever sees the goal. Through HTTP; row counts use Prisma directly.
 */

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
let keys: Record<'readOnly' | 'writer', string>;
/** A key that allows writes on Acme's project 1 only: project 0's goals are outside it. */
let elsewhere: string;
let clock = new Date('2026-06-01T12:00:00Z');

beforeAll(async () => {
  ({ server, acme, other, keys } = await writeScenario({ now: () => clock }));
  elsewhere = (
    await apiKeyFixture(server.db.prisma, acme.organizationId, { projectIds: [acme.projectIds[1]], allowWrites: true })
  ).token;
});
afterAll(() => server?.close());

const { project, person } = scenarioIds(() => acme);
let serial = 0;
const unique = (prefix: string) => `${prefix} ${++serial}`;

const MUTATIONS = {
  createGoal: 'goal { id milestones { id } }',
  updateGoal: 'goal { id }',
  addGoalMilestone: 'milestone { id }',
  updateGoalMilestone: 'milestone { id }',
  removeGoalMilestone: 'deletedMilestoneId',
} as const;

const { mutate, succeeded, expectUserErrors } = mutationHelpers({
  server: () => server,
  selections: MUTATIONS,
  snapshot: async () => {
    const p = server.db.prisma;
    const [goals, milestones, changes] = await Promise.all([
      p.goal.findMany({ orderBy: { id: 'asc' } }),
      p.milestone.findMany({ orderBy: { id: 'asc' } }),
      p.goalChange.findMany({ orderBy: { id: 'asc' } }),
    ]);
    return { goals, milestones, changes };
  },
});

const ACTOR = `__typename ... on Person { id name } ... on ApiKeyActor { name keyId } ... on AdminActor { name }`;
const HISTORY = `history(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { kind milestoneId changes { field before after } actor { ${ACTOR} } requestId createdAt } } }`;

async function history(goalId: string, token = acme.adminToken, page: { first?: number; after?: string } = {}) {
  const res = await server.graphql(
    token,
    `query ($id: ID!, $first: Int, $after: String) { node(id: $id) { ... on Goal { ${HISTORY} } } }`,
    { id: goalId, ...page },
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data.node?.history ?? null;
}

/** The entries of a goal's history, newest first: kind and `{ field: [before, after] }`. */
async function entries(goalId: string, token = acme.adminToken) {
  const list = await history(goalId, token);
  return list.edges.map(({ node }: { node: any }) => ({
    kind: node.kind,
    changes: Object.fromEntries(node.changes.map((c: any) => [c.field, [c.before, c.after]])),
  }));
}

async function newGoal(token = acme.adminToken, input: Record<string, unknown> = {}) {
  const payload = await succeeded(token, 'createGoal', {
    projectId: project(0),
    ownerId: person(0),
    title: unique('Goal'),
    startsOn: '2026-07-01',
    dueOn: '2026-09-30',
    ...input,
  });
  return { id: payload.goal.id as string, milestoneIds: payload.goal.milestones.map((m: any) => m.id) as string[] };
}

const changeCount = () => server.db.prisma.goalChange.count();

describe('history of each mutation', () => {
  it('createGoal (one statement) records CREATED with every field set, by the admin, with the request id', async () => {
    const res = await mutate(acme.adminToken, 'createGoal', {
      projectId: project(0),
      ownerId: person(0),
      title: 'Zero incidents',
      dueOn: '2026-09-30',
    });
    const goalId = res.body.data.createGoal.goal.id;
    const list = await history(goalId);
    expect(list.totalCount).toBe(1);
    const [{ node }] = list.edges;
    expect(node).toEqual({
      kind: 'CREATED',
      milestoneId: null,
      changes: [
        { field: 'title', before: null, after: 'Zero incidents' },
        { field: 'status', before: null, after: 'NOT_STARTED' },
        { field: 'progress', before: null, after: 0 },
        { field: 'dueOn', before: null, after: '2026-09-30' },
        { field: 'ownerId', before: null, after: person(0) },
        { field: 'projectId', before: null, after: project(0) },
      ],
      // Acme's owner has no name and no directory person: an AdminActor, never their email.
      actor: { __typename: 'AdminActor', name: 'An administrator' },
      requestId: res.headers.get('x-request-id'),
      createdAt: expect.any(String),
    });
  });

  it('createGoal with milestones records CREATED with the milestones, by the key', async () => {
    const { id: goalId } = await newGoal(keys.writer, {
      milestones: [{ title: 'Audit', dueOn: '2026-07-15' }, { title: 'Review' }],
    });
    const list = await history(goalId, keys.writer);
    expect(list.edges).toHaveLength(1);
    const [{ node }] = list.edges;
    expect(node.kind).toBe('CREATED');
    expect(node.changes.find((c: any) => c.field === 'milestones')).toEqual({
      field: 'milestones',
      before: null,
      after: [
        { title: 'Audit', dueOn: '2026-07-15' },
        { title: 'Review', dueOn: null },
      ],
    });
    expect(node.actor).toEqual({
      __typename: 'ApiKeyActor',
      name: expect.stringMatching(/^fixture key /),
      keyId: keys.writer.split('_')[1],
    });
  });

  it('updateGoal records only the fields that changed, before and after; days as YYYY-MM-DD, people as global ids', async () => {
    const { id: goalId } = await newGoal(acme.adminToken, { description: 'Old' });
    await succeeded(acme.adminToken, 'updateGoal', {
      id: goalId,
      title: 'Renamed',
      description: null,
      progress: 40,
      status: 'ON_TRACK',
      dueOn: '2026-10-31',
      startsOn: '2026-07-01', // the stored value: not a change
      ownerId: person(1),
    });
    const [updated, created] = await entries(goalId);
    expect(created.kind).toBe('CREATED');
    expect(updated).toEqual({
      kind: 'UPDATED',
      changes: {
        title: [expect.stringMatching(/^Goal /), 'Renamed'],
        description: ['Old', null],
        status: ['NOT_STARTED', 'ON_TRACK'],
        progress: [0, 40],
        dueOn: ['2026-09-30', '2026-10-31'],
        ownerId: [person(0), person(1)],
      },
    });
  });

  it('an updateGoal that changes nothing records nothing', async () => {
    const { id: goalId } = await newGoal();
    const before = await changeCount();
    await succeeded(acme.adminToken, 'updateGoal', { id: goalId, startsOn: '2026-07-01', progress: 0 });
    await succeeded(acme.adminToken, 'updateGoal', { id: goalId });
    expect(await changeCount()).toBe(before);
    expect((await history(goalId)).totalCount).toBe(1);
  });

  it('milestone mutations record MILESTONE_ADDED, _UPDATED and _REMOVED with the milestone id', async () => {
    const { id: goalId } = await newGoal(keys.writer);
    const { milestone } = await succeeded(keys.writer, 'addGoalMilestone', {
      goalId,
      title: 'Audit',
      dueOn: '2026-07-15',
    });
    clock = new Date('2026-07-10T08:30:00Z');
    await succeeded(keys.writer, 'updateGoalMilestone', { id: milestone.id, title: 'Site audit', completed: true });
    // Completing it again changes nothing: nothing recorded.
    await succeeded(keys.writer, 'updateGoalMilestone', { id: milestone.id, completed: true });
    await succeeded(keys.writer, 'removeGoalMilestone', { id: milestone.id });
    const list = await history(goalId, keys.writer);
    expect(list.edges.map((e: any) => [e.node.kind, e.node.milestoneId])).toEqual([
      ['MILESTONE_REMOVED', milestone.id],
      ['MILESTONE_UPDATED', milestone.id],
      ['MILESTONE_ADDED', milestone.id],
      ['CREATED', null],
    ]);
    expect((await entries(goalId, keys.writer)).slice(0, 3).map((e: any) => e.changes)).toEqual([
      {
        title: ['Site audit', null],
        dueOn: ['2026-07-15', null],
        completedAt: ['2026-07-10T08:30:00.000Z', null],
      },
      { title: ['Audit', 'Site audit'], completedAt: [null, '2026-07-10T08:30:00.000Z'] },
      { title: [null, 'Audit'], dueOn: [null, '2026-07-15'] },
    ]);
  });

  it('pages newest first with cursors', async () => {
    const { id: goalId } = await newGoal();
    for (const progress of [10, 20, 30]) await succeeded(acme.adminToken, 'updateGoal', { id: goalId, progress });
    const first = await history(goalId, acme.adminToken, { first: 2 });
    expect(first.totalCount).toBe(4);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await history(goalId, acme.adminToken, { first: 2, after: first.pageInfo.endCursor });
    expect(second.pageInfo.hasNextPage).toBe(false);
    const progress = [...first.edges, ...second.edges].map(
      (e: any) => e.node.changes.find((c: any) => c.field === 'progress')?.after,
    );
    expect(progress).toEqual([30, 20, 10, 0]);
  });
});

describe('nothing is recorded when a mutation fails', () => {
  it('createGoal with a reference not found (the one-statement path and the nested one)', async () => {
    const outside = globalId('Project', other.projectIds[0]);
    for (const milestones of [undefined, [{ title: 'Audit' }]]) {
      await expectUserErrors(
        acme.adminToken,
        'createGoal',
        { projectId: outside, ownerId: person(0), title: 'Nope', milestones },
        [[['input', 'projectId'], 'NOT_FOUND']],
      );
    }
  });

  it('an updateGoal whose later check fails rolls back its history row with the update', async () => {
    const { id: goalId } = await newGoal(acme.adminToken, {
      milestones: [{ title: 'Early', dueOn: '2026-07-05' }],
    });
    await expectUserErrors(acme.adminToken, 'updateGoal', { id: goalId, title: 'Moved', startsOn: '2026-07-10' }, [
      [['input', 'startsOn'], 'DATES_OUT_OF_ORDER'],
    ]);
    expect((await history(goalId)).totalCount).toBe(1);
  });

  it('a milestone due before the goal starts', async () => {
    const { id: goalId } = await newGoal();
    await expectUserErrors(acme.adminToken, 'addGoalMilestone', { goalId, title: 'Early', dueOn: '2026-06-01' }, [
      [['input', 'dueOn'], 'DATES_OUT_OF_ORDER'],
    ]);
  });

  it('a read-only key and a key outside the project write nothing', async () => {
    const { id: goalId } = await newGoal();
    const before = await changeCount();
    const readOnly = await mutate(keys.readOnly, 'updateGoal', { id: goalId, title: 'No' });
    expect(readOnly.body.errors.map((e: any) => e.extensions.code)).toEqual(['FORBIDDEN']);
    const outside = await mutate(elsewhere, 'updateGoal', { id: goalId, title: 'No' });
    expect(outside.body.errors.map((e: any) => e.extensions.code)).toEqual(['NOT_FOUND']);
    expect(await changeCount()).toBe(before);
  });
});

describe('actors and who may read history', () => {
  it("a key sees an AdminActor's name but not the admin, and an ApiKeyActor's name but not the key; an admin sees both", async () => {
    const { id: goalId } = await newGoal();
    await succeeded(keys.writer, 'updateGoal', { id: goalId, progress: 5 });
    const query = `query ($id: ID!) { node(id: $id) { ... on Goal { history { edges { node { kind actor {
      __typename ... on AdminActor { name admin { email } } ... on ApiKeyActor { name apiKey { id name } } } } } } } } }`;
    const asKey = await server.graphql(keys.writer, query, { id: goalId });
    expect(asKey.status).toBe(200);
    const keyEdges = asKey.body.data.node.history.edges;
    expect(keyEdges.map((e: any) => e.node.actor)).toEqual([
      { __typename: 'ApiKeyActor', name: expect.stringMatching(/^fixture key /), apiKey: null },
      { __typename: 'AdminActor', name: 'An administrator', admin: null },
    ]);
    // Errors come in the order their resolvers settle, which the database decides: compare them as a set.
    const errors = asKey.body.errors.map((e: any) => [e.extensions.code, e.path.slice(-2).join('.')]);
    expect(errors).toHaveLength(2);
    expect(errors).toEqual(
      expect.arrayContaining([
        ['FORBIDDEN', 'actor.apiKey'],
        ['FORBIDDEN', 'actor.admin'],
      ]),
    );
    const asAdmin = await server.graphql(acme.adminToken, query, { id: goalId });
    expect(asAdmin.body.errors).toBeUndefined();
    const [byKey, byAdmin] = asAdmin.body.data.node.history.edges.map((e: any) => e.node.actor);
    expect(byKey.apiKey).toEqual({ id: expect.any(String), name: byKey.name });
    expect(byAdmin.admin).toEqual({ email: 'owner@acme.test' });
  });

  it('an admin with a name is shown by name, never by email', async () => {
    const { id: goalId } = await newGoal();
    const owner = await server.db.prisma.user.findFirstOrThrow({ where: { email: 'owner@acme.test' } });
    await server.db.prisma.user.update({ where: { id: owner.id }, data: { name: 'Ada Admin' } });
    try {
      const [created] = (await history(goalId, keys.writer)).edges;
      expect(created.node.actor).toEqual({ __typename: 'AdminActor', name: 'Ada Admin' });
    } finally {
      await server.db.prisma.user.update({ where: { id: owner.id }, data: { name: null } });
    }
  });

  it('a key outside the project and another organisation read no history (the goal is absent)', async () => {
    const { id: goalId } = await newGoal();
    expect(await history(goalId, elsewhere)).toBeNull();
    expect(await history(goalId, other.adminToken)).toBeNull();
    expect((await history(goalId, keys.readOnly)).totalCount).toBe(1);
  });

  it('history rows are in the same organisation as their goal', async () => {
    const { id: goalId } = await newGoal();
    const rows = await server.db.prisma.goalChange.findMany({ where: { goalId: rawId(goalId) } });
    expect(rows.map((r) => r.organizationId)).toEqual([acme.organizationId]);
  });
});
