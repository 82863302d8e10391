import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateGoalDocument,
  GoalDocument,
  GoalsDocument,
  UpdateGoalDocument,
  type CreateGoalInput,
  type UpdateGoalInput,
} from '../../../test/client/generated/graphql.ts';
import { mutationHelpers, rawId } from '../../../test/support/mutations.ts';
import {
  globalId,
  lonePerson,
  scenarioIds,
  writeScenario,
  type OrganizationScenario,
} from '../../../test/support/scenarios.ts';
import type { TestServer } from '../../../test/support/server.ts';

/*
 * Writes to existing goals: updateGoal, deleteGoal, addGoalComment and the milestone
 * mutations, and who may call them. Through HTTP; the fixture and the "nothing written"
 * snapshots use Prisma directly.
 */

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
let keys: Record<'readOnly' | 'writer', string>;
/** A person of Acme linked to nothing: no key can see them. */
let loner: string;
/** The test clock (milestone completion times); tests move it forward. */
let clock = new Date('2026-06-01T12:00:00Z');

beforeAll(async () => {
  ({ server, acme, other, keys } = await writeScenario({ now: () => clock }));
  loner = await lonePerson(server.db.prisma, acme);
});
afterAll(() => server?.close());

const id = globalId;
const { project, person } = scenarioIds(() => acme);
let serial = 0;
const unique = (prefix: string) => `${prefix} ${++serial}`;

/** Each goal mutation and the selection of its payload (besides userErrors). */
const MUTATIONS = {
  updateGoal: 'goal { id title }',
  deleteGoal: 'deletedGoalId',
  addGoalComment:
    'goal { id } comment { id body author { __typename ... on Person { id name } ... on ApiKeyActor { name keyId } ... on AdminActor { name } } }',
  addGoalMilestone: 'goal { id } milestone { id title dueOn completed }',
  updateGoalMilestone: 'goal { id } milestone { id title dueOn completed completedAt }',
  removeGoalMilestone: 'goal { id milestones { id } } deletedMilestoneId',
} as const;
type MutationName = keyof typeof MUTATIONS;

/** Every goal, milestone and comment row of every organisation, as stored. */
async function snapshot() {
  const p = server.db.prisma;
  const [goals, milestones, comments] = await Promise.all([
    p.goal.findMany({ orderBy: { id: 'asc' } }),
    p.milestone.findMany({ orderBy: { id: 'asc' } }),
    p.goalComment.findMany({ orderBy: { id: 'asc' } }),
  ]);
  return { goals, milestones, comments };
}

/** "Nothing written": no goal, milestone or comment was written, changed or deleted. */
const { mutate, succeeded, expectNothingWritten, expectUserErrors, expectRefused } = mutationHelpers({
  server: () => server,
  selections: MUTATIONS,
  snapshot,
});

/** A goal made through the API (typed CreateGoal document) by Acme's admin; ids are global. */
async function newGoal(input: Partial<CreateGoalInput> = {}) {
  const res = await server.graphql(acme.adminToken, CreateGoalDocument, {
    input: {
      projectId: project(0),
      title: unique('Goal'),
      ownerId: person(0),
      startsOn: '2026-07-01',
      dueOn: '2026-09-30',
      milestones: [{ title: 'Audit', dueOn: '2026-07-15' }, { title: 'Review' }],
      ...input,
    },
  });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.createGoal.userErrors).toEqual([]);
  const goal = res.body.data.createGoal.goal;
  return { id: goal.id, milestoneIds: goal.milestones.map((m) => m.id), goal };
}

/** A goal as the typed Goal query reads it back (null when not visible). */
async function readGoal(globalID: string, token = acme.adminToken) {
  const res = await server.graphql(token, GoalDocument, { id: globalID });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.node as (typeof res.body.data.node & { __typename?: 'Goal' }) | null;
}

function updateGoal(token: string, input: UpdateGoalInput) {
  return server.graphql(token, UpdateGoalDocument, { input });
}

describe('updateGoal', () => {
  it('changes every field it names; the Goal query and goals(…) filters read the change back', async () => {
    const { id: goalId } = await newGoal();
    const res = await updateGoal(acme.adminToken, {
      id: goalId,
      title: '  Zero incidents  ',
      description: 'No lost-time incidents.',
      status: 'AT_RISK',
      progress: 65,
      startsOn: '2026-07-10',
      dueOn: '2026-10-31',
      ownerId: person(3),
      projectId: project(1),
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.updateGoal.userErrors).toEqual([]);
    const expected = {
      id: goalId,
      title: 'Zero incidents',
      description: 'No lost-time incidents.',
      status: 'AT_RISK',
      progress: 65,
      startsOn: '2026-07-10',
      dueOn: '2026-10-31',
      owner: { id: person(3) },
      project: { id: project(1) },
    };
    expect(res.body.data.updateGoal.goal).toMatchObject(expected);
    expect(await readGoal(goalId)).toMatchObject(expected);

    const filtered = await server.graphql(acme.adminToken, GoalsDocument, {
      projectId: project(1),
      ownerId: person(3),
      status: 'AT_RISK',
      dueBefore: '2026-10-31',
    });
    expect(filtered.body.data.goals.edges.map((e) => e.node.id)).toEqual([goalId]);
    const before = await server.graphql(acme.adminToken, GoalsDocument, {
      projectId: project(1),
      dueBefore: '2026-10-30',
    });
    expect(before.body.data.goals.edges.map((e) => e.node.id)).not.toContain(goalId);
    const oldProject = await server.graphql(acme.adminToken, GoalsDocument, { projectId: project(0), first: 100 });
    expect(oldProject.body.data.goals.edges.map((e) => e.node.id)).not.toContain(goalId);
  });

  it('omitted fields stay as they are', async () => {
    const { id: goalId } = await newGoal({ description: 'Keep me', status: 'ON_TRACK', progress: 10 });
    const before = await readGoal(goalId);
    const res = await updateGoal(acme.adminToken, { id: goalId, progress: 20 });
    expect(res.body.data.updateGoal.userErrors).toEqual([]);
    const after = await readGoal(goalId);
    expect({ ...after, updatedAt: null }).toEqual({ ...before, progress: 20, updatedAt: null });
  });

  it('null clears description, startsOn and dueOn', async () => {
    const { id: goalId } = await newGoal({ description: 'Temporary' });
    const res = await updateGoal(acme.adminToken, { id: goalId, description: null, startsOn: null, dueOn: null });
    expect(res.body.data.updateGoal.userErrors).toEqual([]);
    expect(await readGoal(goalId)).toMatchObject({ description: null, startsOn: null, dueOn: null });
  });

  it('a blank description is stored as null', async () => {
    const { id: goalId } = await newGoal({ description: 'Something' });
    await updateGoal(acme.adminToken, { id: goalId, description: '   ' });
    expect((await readGoal(goalId))?.description).toBeNull();
  });

  it('status and progress are independent: COMPLETED keeps the progress, 100% keeps the status', async () => {
    const { id: goalId } = await newGoal({ progress: 80, status: 'ON_TRACK' });
    await updateGoal(acme.adminToken, { id: goalId, status: 'COMPLETED' });
    expect(await readGoal(goalId)).toMatchObject({ status: 'COMPLETED', progress: 80 });
    await updateGoal(acme.adminToken, { id: goalId, status: 'ON_TRACK' });
    await updateGoal(acme.adminToken, { id: goalId, progress: 100 });
    expect(await readGoal(goalId)).toMatchObject({ status: 'ON_TRACK', progress: 100 });
  });

  it('progress 0 and 100 are both allowed', async () => {
    const { id: goalId } = await newGoal();
    for (const progress of [100, 0]) {
      const res = await updateGoal(acme.adminToken, { id: goalId, progress });
      expect(res.body.data.updateGoal.goal.progress).toBe(progress);
    }
  });

  it('the owner may be any person of the organisation, even one no key sees yet', async () => {
    const { id: goalId } = await newGoal();
    const res = await updateGoal(keys.writer, { id: goalId, ownerId: id('Person', loner) });
    expect(res.body.data.updateGoal.userErrors).toEqual([]);
    expect(res.body.data.updateGoal.goal.owner).toEqual({ id: id('Person', loner), name: 'Lone Wolf' });
  });

  /** Stored: startsOn 2026-07-01, dueOn 2026-09-30, milestone "Audit" due 2026-07-15. */
  it.each([
    ['a null title', { title: null }, [[['input', 'title'], 'BLANK']]],
    ['a blank title', { title: '   ' }, [[['input', 'title'], 'BLANK']]],
    ['a title over 200 characters', { title: 't'.repeat(201) }, [[['input', 'title'], 'TOO_LONG']]],
    ['a description over 5000 characters', { description: 'd'.repeat(5001) }, [[['input', 'description'], 'TOO_LONG']]],
    ['progress above 100', { progress: 101 }, [[['input', 'progress'], 'OUT_OF_RANGE']]],
    ['negative progress', { progress: -1 }, [[['input', 'progress'], 'OUT_OF_RANGE']]],
    ['a null progress', { progress: null }, [[['input', 'progress'], 'BLANK']]],
    ['a null status', { status: null }, [[['input', 'status'], 'BLANK']]],
    ['a null owner', { ownerId: null }, [[['input', 'ownerId'], 'BLANK']]],
    ['a null project', { projectId: null }, [[['input', 'projectId'], 'BLANK']]],
    [
      'dueOn before startsOn, both given',
      { startsOn: '2026-08-02', dueOn: '2026-08-01' },
      [[['input', 'dueOn'], 'DATES_OUT_OF_ORDER']],
    ],
    ['dueOn before the stored startsOn', { dueOn: '2026-06-30' }, [[['input', 'dueOn'], 'DATES_OUT_OF_ORDER']]],
    ['startsOn after the stored dueOn', { startsOn: '2026-10-01' }, [[['input', 'startsOn'], 'DATES_OUT_OF_ORDER']]],
    ["another organisation's owner", () => ({ ownerId: person(0, other) }), [[['input', 'ownerId'], 'NOT_FOUND']]],
    [
      "another organisation's project",
      () => ({ projectId: project(0, other) }),
      [[['input', 'projectId'], 'NOT_FOUND']],
    ],
    [
      "another organisation's project and owner",
      () => ({ projectId: project(0, other), ownerId: person(0, other) }),
      [
        [['input', 'projectId'], 'NOT_FOUND'],
        [['input', 'ownerId'], 'NOT_FOUND'],
      ],
    ],
    [
      'several problems at once',
      { title: '', progress: 500, startsOn: '2026-08-02', dueOn: '2026-08-01' },
      [
        [['input', 'title'], 'BLANK'],
        [['input', 'progress'], 'OUT_OF_RANGE'],
        [['input', 'dueOn'], 'DATES_OUT_OF_ORDER'],
      ],
    ],
  ] as const)('answers %s with userErrors and changes nothing', async (_case, change, expected) => {
    const { id: goalId } = await newGoal();
    const input = { id: goalId, title: unique('Changed'), ...(typeof change === 'function' ? change() : change) };
    await expectUserErrors(acme.adminToken, 'updateGoal', input, expected as unknown as [string[], string][]);
  });

  it('a malformed id, or the id of another type, is BAD_USER_INPUT and changes nothing', async () => {
    for (const bad of ['nope', project(0)]) {
      const res = await expectNothingWritten(() => mutate(acme.adminToken, 'updateGoal', { id: bad, progress: 1 }));
      expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(res.status).not.toBe(500);
    }
  });
});

describe('rollback', () => {
  it('an update whose later step fails (startsOn after a milestone) rolls back the write it already made', async () => {
    const { id: goalId } = await newGoal();
    const before = await readGoal(goalId);
    server.db.statements.length = 0;
    await expectUserErrors(
      acme.adminToken,
      'updateGoal',
      { id: goalId, title: 'Half-written', progress: 99, startsOn: '2026-07-20' },
      [[['input', 'startsOn'], 'DATES_OUT_OF_ORDER']],
    );
    // The UPDATE of the goal row was sent inside the transaction, then undone.
    expect(server.db.statements.some((sql) => /^UPDATE "public"\."Goal"/.test(sql))).toBe(true);
    expect(await readGoal(goalId)).toEqual(before);
  });

  it('startsOn on or before every milestone is accepted', async () => {
    const { id: goalId } = await newGoal();
    const res = await updateGoal(acme.adminToken, { id: goalId, startsOn: '2026-07-15' });
    expect(res.body.data.updateGoal.userErrors).toEqual([]);
  });

  it('deleteGoal racing comments, milestones and updates: each either lands before the delete (and goes with it) or is NOT_FOUND', async () => {
    for (let round = 0; round < 3; round++) {
      const { id: goalId } = await newGoal();
      const results = await Promise.all([
        mutate(acme.adminToken, 'addGoalComment', { goalId, body: 'racing' }),
        mutate(keys.writer, 'addGoalMilestone', { goalId, title: 'racing' }),
        mutate(acme.adminToken, 'deleteGoal', { id: goalId }),
        mutate(keys.writer, 'updateGoal', { id: goalId, progress: 50 }),
        mutate(acme.adminToken, 'addGoalComment', { goalId, body: 'racing too' }),
      ]);
      for (const res of results) {
        expect(res.status).toBe(200);
        const codes = (res.body.errors ?? []).map((e) => e.extensions.code);
        expect(codes.length === 0 || (codes.length === 1 && codes[0] === 'NOT_FOUND')).toBe(true);
      }
      expect(results[2].body.data.deleteGoal).toEqual({ deletedGoalId: goalId, userErrors: [] });
      const goal = rawId(goalId);
      const p = server.db.prisma;
      expect(await p.goal.count({ where: { id: goal } })).toBe(0);
      expect(await p.milestone.count({ where: { goalId: goal } })).toBe(0);
      expect(await p.goalComment.count({ where: { goalId: goal } })).toBe(0);
    }
  });

  it('two deletes of one goal: one deletes it, the other is NOT_FOUND', async () => {
    const { id: goalId } = await newGoal();
    const results = await Promise.all([0, 1].map(() => mutate(acme.adminToken, 'deleteGoal', { id: goalId })));
    const codes = results.map((res) => res.body.errors?.[0]?.extensions.code ?? 'OK').sort();
    expect(codes).toEqual(['NOT_FOUND', 'OK']);
  });

  it('concurrent additions give each milestone its own position, after the existing ones', async () => {
    const { id: goalId } = await newGoal();
    const titles = ['m1', 'm2', 'm3', 'm4'];
    await Promise.all(titles.map((title) => succeeded(acme.adminToken, 'addGoalMilestone', { goalId, title })));
    const rows = await server.db.prisma.milestone.findMany({
      where: { goalId: rawId(goalId) },
      orderBy: { position: 'asc' },
    });
    expect(rows.map((m) => m.position)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rows.slice(0, 2).map((m) => m.title)).toEqual(['Audit', 'Review']);
    expect(
      rows
        .slice(2)
        .map((m) => m.title)
        .sort(),
    ).toEqual(titles);
  });
});

describe('deleteGoal', () => {
  it('deletes the goal with its milestones and comments; nothing else', async () => {
    const { id: goalId } = await newGoal();
    await succeeded(acme.adminToken, 'addGoalComment', { goalId, body: 'Soon gone' });
    const goal = rawId(goalId);
    const p = server.db.prisma;
    const othersBefore = await snapshot();
    const payload = await succeeded(acme.adminToken, 'deleteGoal', { id: goalId });
    expect(payload.deletedGoalId).toBe(goalId);
    expect(await readGoal(goalId)).toBeNull();
    expect(await p.milestone.count({ where: { goalId: goal } })).toBe(0);
    expect(await p.goalComment.count({ where: { goalId: goal } })).toBe(0);
    const after = await snapshot();
    expect(after).toEqual({
      goals: othersBefore.goals.filter((g) => g.id !== goal),
      milestones: othersBefore.milestones.filter((m) => m.goalId !== goal),
      comments: othersBefore.comments.filter((c) => c.goalId !== goal),
    });
    const list = await server.graphql(acme.adminToken, GoalsDocument, { first: 100 });
    expect(list.body.data.goals.edges.map((e) => e.node.id)).not.toContain(goalId);
  });

  it('deleting it again is NOT_FOUND', async () => {
    const { id: goalId } = await newGoal();
    await succeeded(acme.adminToken, 'deleteGoal', { id: goalId });
    await expectRefused(acme.adminToken, 'deleteGoal', { id: goalId }, 'NOT_FOUND');
  });
});

describe('addGoalComment', () => {
  it('a key comments as itself (ApiKeyActor, never a person); the goal lists the comment', async () => {
    const { id: goalId } = await newGoal();
    const payload = await succeeded(keys.writer, 'addGoalComment', { goalId, body: '  Crane booked.  ' });
    expect(payload.goal).toEqual({ id: goalId });
    const keyId = keys.writer.split('_')[1];
    const author = { name: expect.stringMatching(/^fixture key /), keyId };
    expect(payload.comment).toMatchObject({ body: 'Crane booked.', author: { __typename: 'ApiKeyActor', ...author } });
    const read = await readGoal(goalId, keys.writer);
    expect(read?.comments.edges.map((e) => e.node)).toEqual([
      { id: payload.comment.id, body: 'Crane booked.', author, createdAt: expect.any(String) },
    ]);
  });

  it("an admin's comment is authored by the directory person with the admin's email, if there is one", async () => {
    const { id: goalId } = await newGoal();
    // Without a directory person, the admin themself (their name, else "An administrator"; never their email).
    const anonymous = await succeeded(acme.adminToken, 'addGoalComment', { goalId, body: 'Before' });
    expect(anonymous.comment.author).toEqual({ __typename: 'AdminActor', name: 'An administrator' });
    // The admin of the scenario is owner@acme.test; the directory spells it differently.
    const me = await server.db.prisma.person.create({
      data: { organizationId: acme.organizationId, name: 'Acme Owner', email: 'Owner@Acme.test' },
    });
    const authored = await succeeded(acme.adminToken, 'addGoalComment', { goalId, body: 'After' });
    expect(authored.comment.author).toEqual({ __typename: 'Person', id: id('Person', me.id), name: 'Acme Owner' });
    // Other Co.'s admin has the address owner@other.test: Acme's directory does not name them.
    await server.db.prisma.person.create({
      data: { organizationId: acme.organizationId, name: 'Not them', email: 'owner@other.test' },
    });
    const { id: otherGoal } = await (async () => {
      const res = await server.graphql(other.adminToken, CreateGoalDocument, {
        input: { projectId: project(0, other), title: 'Theirs', ownerId: person(0, other) },
      });
      return res.body.data.createGoal.goal;
    })();
    const theirs = await succeeded(other.adminToken, 'addGoalComment', { goalId: otherGoal, body: 'Ours' });
    expect(theirs.comment.author).toEqual({ __typename: 'AdminActor', name: 'An administrator' });
  });

  it('a body of exactly 5000 characters is fine', async () => {
    const { id: goalId } = await newGoal();
    const payload = await succeeded(acme.adminToken, 'addGoalComment', { goalId, body: 'b'.repeat(5000) });
    expect(payload.comment.body).toHaveLength(5000);
  });

  it.each([
    ['an empty body', '', 'BLANK'],
    ['a blank body', ' \n ', 'BLANK'],
    ['a body over 5000 characters', 'b'.repeat(5001), 'TOO_LONG'],
  ])('answers %s with a userError and writes nothing', async (_case, body, code) => {
    const { id: goalId } = await newGoal();
    await expectUserErrors(acme.adminToken, 'addGoalComment', { goalId, body }, [[['input', 'body'], code]]);
  });
});

describe('milestones', () => {
  it('addGoalMilestone appends after the existing milestones; the goal reads them in order', async () => {
    const { id: goalId } = await newGoal();
    const payload = await succeeded(acme.adminToken, 'addGoalMilestone', {
      goalId,
      title: ' Handover ',
      dueOn: '2026-09-30',
    });
    expect(payload.milestone).toMatchObject({ title: 'Handover', dueOn: '2026-09-30', completed: false });
    const read = await readGoal(goalId);
    expect(read?.milestones.map((m) => m.title)).toEqual(['Audit', 'Review', 'Handover']);
    expect(read?.milestones[2].id).toBe(payload.milestone.id);
  });

  it('a milestone is a node: node(id:) finds it for whoever sees its goal', async () => {
    const { milestoneIds } = await newGoal({ projectId: project(1) });
    const query = `query ($id: ID!) { node(id: $id) { id ... on Milestone { title } } }`;
    const admin = await server.graphql(acme.adminToken, query, { id: milestoneIds[0] });
    expect(admin.body.data.node).toEqual({ id: milestoneIds[0], title: 'Audit' });
    const key = await server.graphql(keys.writer, query, { id: milestoneIds[0] });
    expect(key.body.data.node).toBeNull();
  });

  it('updateGoalMilestone renames, re-dates and clears; omitted fields stay', async () => {
    const { id: goalId, milestoneIds } = await newGoal();
    const payload = await succeeded(acme.adminToken, 'updateGoalMilestone', {
      id: milestoneIds[1],
      title: 'Final review',
      dueOn: '2026-09-15',
    });
    expect(payload.goal).toEqual({ id: goalId });
    expect(payload.milestone).toMatchObject({ title: 'Final review', dueOn: '2026-09-15', completed: false });
    await succeeded(acme.adminToken, 'updateGoalMilestone', { id: milestoneIds[0], dueOn: null });
    const read = await readGoal(goalId);
    expect(read?.milestones.map((m) => [m.title, m.dueOn])).toEqual([
      ['Audit', null],
      ['Final review', '2026-09-15'],
    ]);
  });

  it('completed: true records the time (and keeps it when repeated); false reopens', async () => {
    const { id: goalId, milestoneIds } = await newGoal();
    const done = await succeeded(keys.writer, 'updateGoalMilestone', { id: milestoneIds[0], completed: true });
    expect(done.milestone).toMatchObject({ completed: true, completedAt: clock.toISOString() });
    const firstCompletion = clock.toISOString();
    clock = new Date(clock.getTime() + 3_600_000);
    const again = await succeeded(keys.writer, 'updateGoalMilestone', { id: milestoneIds[0], completed: true });
    expect(again.milestone.completedAt).toBe(firstCompletion);
    const reopened = await succeeded(keys.writer, 'updateGoalMilestone', { id: milestoneIds[0], completed: false });
    expect(reopened.milestone).toMatchObject({ completed: false, completedAt: null });
    const completedNow = await succeeded(keys.writer, 'updateGoalMilestone', { id: milestoneIds[0], completed: true });
    expect(completedNow.milestone.completedAt).toBe(clock.toISOString());
    expect((await readGoal(goalId))?.milestones[0]).toMatchObject({
      completed: true,
      completedAt: clock.toISOString(),
    });
  });

  it('removeGoalMilestone removes one; the others keep their order; removing it again is NOT_FOUND', async () => {
    const { id: goalId, milestoneIds } = await newGoal({
      milestones: [{ title: 'a' }, { title: 'b' }, { title: 'c' }],
    });
    const payload = await succeeded(acme.adminToken, 'removeGoalMilestone', { id: milestoneIds[1] });
    expect(payload.deletedMilestoneId).toBe(milestoneIds[1]);
    expect(payload.goal).toEqual({ id: goalId, milestones: [{ id: milestoneIds[0] }, { id: milestoneIds[2] }] });
    await expectRefused(acme.adminToken, 'removeGoalMilestone', { id: milestoneIds[1] }, 'NOT_FOUND');
    await expectRefused(acme.adminToken, 'updateGoalMilestone', { id: milestoneIds[1], title: 'x' }, 'NOT_FOUND');
  });

  it(`a goal holds at most 50 milestones`, async () => {
    const milestones = Array.from({ length: 50 }, (_, i) => ({ title: `m${i}` }));
    const { id: goalId } = await newGoal({ milestones });
    await expectUserErrors(acme.adminToken, 'addGoalMilestone', { goalId, title: 'one too many' }, [
      [['input', 'goalId'], 'TOO_LONG'],
    ]);
  });

  /** The goal starts 2026-07-01. */
  it.each([
    ['a blank title', { title: ' ' }, [[['input', 'title'], 'BLANK']]],
    ['a title over 200 characters', { title: 'm'.repeat(201) }, [[['input', 'title'], 'TOO_LONG']]],
    ['a due day before the goal starts', { dueOn: '2026-06-30' }, [[['input', 'dueOn'], 'DATES_OUT_OF_ORDER']]],
  ] as const)('addGoalMilestone answers %s with a userError and writes nothing', async (_case, change, expected) => {
    const { id: goalId } = await newGoal();
    await expectUserErrors(
      acme.adminToken,
      'addGoalMilestone',
      { goalId, title: 'ok', ...change },
      expected as unknown as [string[], string][],
    );
  });

  it.each([
    ['a null title', { title: null }, [[['input', 'title'], 'BLANK']]],
    ['a blank title', { title: '' }, [[['input', 'title'], 'BLANK']]],
    ['a title over 200 characters', { title: 'm'.repeat(201) }, [[['input', 'title'], 'TOO_LONG']]],
    ['a null completed', { completed: null }, [[['input', 'completed'], 'BLANK']]],
    ['a due day before the goal starts', { dueOn: '2026-06-30' }, [[['input', 'dueOn'], 'DATES_OUT_OF_ORDER']]],
  ] as const)(
    'updateGoalMilestone answers %s with a userError and changes nothing',
    async (_case, change, expected) => {
      const { milestoneIds } = await newGoal();
      await expectUserErrors(
        acme.adminToken,
        'updateGoalMilestone',
        { id: milestoneIds[0], completed: true, ...change },
        expected as unknown as [string[], string][],
      );
    },
  );

  it('a goal id where a milestone id belongs is BAD_USER_INPUT', async () => {
    const { id: goalId } = await newGoal();
    const res = await expectNothingWritten(() => mutate(acme.adminToken, 'removeGoalMilestone', { id: goalId }));
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

/** A valid input of each mutation against a goal (global id) and one of its milestones. */
const inputs = (goalId: string, milestoneId: string): [MutationName, Record<string, unknown>][] => [
  ['updateGoal', { id: goalId, title: 'Taken over', progress: 1 }],
  ['deleteGoal', { id: goalId }],
  ['addGoalComment', { goalId, body: 'Hello' }],
  ['addGoalMilestone', { goalId, title: 'Sneaky' }],
  ['updateGoalMilestone', { id: milestoneId, completed: true }],
  ['removeGoalMilestone', { id: milestoneId }],
];

describe('who may write', () => {
  it('a writing key updates, comments on and completes milestones of a goal of its project, and deletes it', async () => {
    const { id: goalId, milestoneIds } = await newGoal();
    const res = await updateGoal(keys.writer, { id: goalId, progress: 30, status: 'ON_TRACK' });
    expect(res.body.data.updateGoal).toMatchObject({ goal: { progress: 30, status: 'ON_TRACK' }, userErrors: [] });
    await succeeded(keys.writer, 'addGoalComment', { goalId, body: 'On it' });
    await succeeded(keys.writer, 'addGoalMilestone', { goalId, title: 'Key-made' });
    await succeeded(keys.writer, 'updateGoalMilestone', { id: milestoneIds[0], completed: true });
    await succeeded(keys.writer, 'removeGoalMilestone', { id: milestoneIds[1] });
    expect(await readGoal(goalId, keys.writer)).toMatchObject({
      progress: 30,
      milestones: [{ title: 'Audit', completed: true }, { title: 'Key-made' }],
      comments: { totalCount: 1 },
    });
    await succeeded(keys.writer, 'deleteGoal', { id: goalId });
    expect(await readGoal(goalId)).toBeNull();
  });

  it('a writing key cannot move its goal into a project it lacks (NOT_FOUND on projectId); nothing changes', async () => {
    const { id: goalId } = await newGoal();
    await expectUserErrors(keys.writer, 'updateGoal', { id: goalId, projectId: project(1) }, [
      [['input', 'projectId'], 'NOT_FOUND'],
    ]);
  });

  it('an admin may move a goal between any projects of the organisation', async () => {
    const { id: goalId } = await newGoal();
    const res = await updateGoal(acme.adminToken, { id: goalId, projectId: project(1) });
    expect(res.body.data.updateGoal.goal.project).toEqual({ id: project(1), code: 'P1' });
    // …after which a key of project 0 no longer sees it.
    await expectRefused(keys.writer, 'updateGoal', { id: goalId, progress: 5 }, 'NOT_FOUND');
  });

  it.each([
    'updateGoal',
    'deleteGoal',
    'addGoalComment',
    'addGoalMilestone',
    'updateGoalMilestone',
    'removeGoalMilestone',
  ] as const)('a writing key calling %s on a goal of another project gets NOT_FOUND; nothing changes', async (name) => {
    const { id: goalId, milestoneIds } = await newGoal({ projectId: project(1) });
    const input = inputs(goalId, milestoneIds[0]).find(([n]) => n === name)![1];
    await expectRefused(keys.writer, name, input, 'NOT_FOUND');
  });

  it.each([
    'updateGoal',
    'deleteGoal',
    'addGoalComment',
    'addGoalMilestone',
    'updateGoalMilestone',
    'removeGoalMilestone',
  ] as const)(
    'a read-only key calling %s on a goal of its own project is FORBIDDEN (HTTP 403); nothing changes',
    async (name) => {
      const { id: goalId, milestoneIds } = await newGoal();
      const input = inputs(goalId, milestoneIds[0]).find(([n]) => n === name)![1];
      await expectRefused(keys.readOnly, name, input, 'FORBIDDEN');
    },
  );

  it.each([
    'updateGoal',
    'deleteGoal',
    'addGoalComment',
    'addGoalMilestone',
    'updateGoalMilestone',
    'removeGoalMilestone',
  ] as const)(
    "another organisation's admin calling %s on Acme's goal gets NOT_FOUND; nothing changes",
    async (name) => {
      const { id: goalId, milestoneIds } = await newGoal();
      const input = inputs(goalId, milestoneIds[0]).find(([n]) => n === name)![1];
      await expectRefused(other.adminToken, name, input, 'NOT_FOUND');
    },
  );

  it('NOT_FOUND comes before input checks, so an invalid input does not reveal that the goal exists', async () => {
    const { id: goalId } = await newGoal({ projectId: project(1) });
    await expectRefused(keys.writer, 'updateGoal', { id: goalId, title: '', progress: 500 }, 'NOT_FOUND');
    await expectRefused(other.adminToken, 'addGoalComment', { goalId, body: '' }, 'NOT_FOUND');
  });
});
