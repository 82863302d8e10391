import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutationHelpers } from '../../../test/support/mutations.ts';
import { globalId, scenarioIds, writeScenario, type WriteScenario } from '../../../test/support/scenarios.ts';
import { rowCounts } from '../../../test/support/snapshots.ts';

/*
 * Goal.externalId: createGoal (the one-statement insert and the one with milestones),
 * updateGoal, goalByExternalId, upsertGoal and the bulk upsertGoals. Through HTTP; rows and
 * history are compared with Prisma directly (a replay leaves every column and the history as they were).
 */

let s: WriteScenario;
let clock = new Date('2026-06-01T12:00:00Z');

beforeAll(async () => {
  s = await writeScenario({ now: () => clock });
});
afterAll(() => s?.server.close());

const { project, person } = scenarioIds(() => s.acme);

/** Every goal, milestone and history row: what the mutations here could touch. */
const rows = async () => {
  const prisma = s.server.db.prisma;
  const byId = { orderBy: { id: 'asc' as const } };
  return JSON.stringify([
    await rowCounts(prisma),
    await prisma.goal.findMany(byId),
    await prisma.milestone.findMany(byId),
    await prisma.goalChange.findMany(byId),
  ]);
};

const { succeeded, expectUserErrors, expectRefused } = mutationHelpers({
  server: () => s.server,
  selections: {
    createGoal: 'goal { id externalId }',
    updateGoal: 'goal { id externalId }',
    upsertGoal: 'goal { id }',
    upsertGoals: 'goals { id }',
  },
  snapshot: rows,
});

const goal = (title: string, extra: Record<string, unknown> = {}) => ({
  projectId: project(0),
  ownerId: person(0),
  title,
  ...extra,
});

describe('externalId in createGoal and updateGoal', () => {
  it('is set on both create paths, kept when omitted, cleared by null; a duplicate is TAKEN', async () => {
    const plain = await succeeded(s.keys.writer, 'createGoal', goal('Plain', { externalId: ' okr-1 ' }));
    expect(plain.goal.externalId).toBe('okr-1');
    const withMilestones = await succeeded(
      s.keys.writer,
      'createGoal',
      goal('Steps', { externalId: 'okr-2', milestones: [{ title: 'One' }] }),
    );
    expect(withMilestones.goal.externalId).toBe('okr-2');
    // Taken: the one-statement insert (ON CONFLICT) and the nested one.
    await expectUserErrors(s.keys.writer, 'createGoal', goal('Again', { externalId: 'okr-1' }), [
      [['input', 'externalId'], 'TAKEN'],
    ]);
    await expectUserErrors(
      s.keys.writer,
      'createGoal',
      goal('Again', { externalId: 'okr-2', milestones: [{ title: 'One' }] }),
      [[['input', 'externalId'], 'TAKEN']],
    );
    // A wrong project still says so first; a blank externalId is BLANK.
    await expectUserErrors(
      s.keys.writer,
      'createGoal',
      goal('Elsewhere', { projectId: project(1), externalId: 'okr-1' }),
      [[['input', 'projectId'], 'NOT_FOUND']],
    );
    await expectUserErrors(s.keys.writer, 'createGoal', goal('Blank', { externalId: '' }), [
      [['input', 'externalId'], 'BLANK'],
    ]);
    await expectUserErrors(s.keys.writer, 'updateGoal', { id: plain.goal.id, externalId: 'okr-2' }, [
      [['input', 'externalId'], 'TAKEN'],
    ]);
    expect(
      (await succeeded(s.keys.writer, 'updateGoal', { id: plain.goal.id, title: 'Plain 2' })).goal.externalId,
    ).toBe('okr-1');
    expect(
      (await succeeded(s.keys.writer, 'updateGoal', { id: plain.goal.id, externalId: null })).goal.externalId,
    ).toBeNull();
    await succeeded(s.other.adminToken, 'createGoal', {
      projectId: globalId('Project', s.other.projectIds[0]),
      ownerId: globalId('Person', s.other.personIds[0]),
      title: 'Other okr',
      externalId: 'okr-2',
    });
  });
});

describe('goalByExternalId', () => {
  it('finds the goal in scope; null when unknown, in another organisation or outside a key', async () => {
    const prisma = s.server.db.prisma;
    await prisma.goal.update({ where: { id: s.acme.goalIds[0] }, data: { externalId: 'look-g0' } });
    await prisma.goal.update({ where: { id: s.acme.goalIds[1] }, data: { externalId: 'look-g1' } });
    const read = async (token: string, e: string) =>
      (await s.server.graphql(token, 'query ($e: String!) { goalByExternalId(externalId: $e) { id title } }', { e }))
        .body.data.goalByExternalId;
    expect(await read(s.acme.adminToken, 'look-g1')).toEqual({
      id: globalId('Goal', s.acme.goalIds[1]),
      title: 'Acme goal 1',
    });
    expect(await read(s.keys.readOnly, 'look-g0')).toEqual({
      id: globalId('Goal', s.acme.goalIds[0]),
      title: 'Acme goal 0',
    });
    expect(await read(s.keys.readOnly, 'look-g1')).toBeNull();
    expect(await read(s.other.adminToken, 'look-g0')).toBeNull();
    expect(await read(s.acme.adminToken, 'look-none')).toBeNull();
  });
});

describe('upsertGoal', () => {
  const input = () =>
    goal('Ship it', {
      externalId: 'okr-100',
      description: 'Deliver',
      progress: 10,
      startsOn: '2026-07-01',
      milestones: [{ title: 'Plan' }],
    });

  it('creates, a replay changes nothing (no updatedAt, no history), an update records only what differs', async () => {
    const first = await succeeded(
      s.keys.writer,
      'upsertGoal',
      input(),
      'goal { id progress milestones { title } } created',
    );
    expect(first).toMatchObject({ created: true, goal: { progress: 10, milestones: [{ title: 'Plan' }] } });
    const before = await rows();
    clock = new Date('2026-06-02T12:00:00Z');
    expect(await succeeded(s.keys.writer, 'upsertGoal', input(), 'goal { id } created')).toEqual({
      goal: { id: first.goal.id },
      created: false,
      userErrors: [],
    });
    expect(await rows()).toEqual(before);

    const changed = await succeeded(
      s.keys.writer,
      'upsertGoal',
      { ...input(), progress: 50, milestones: [] },
      'goal { progress milestones { title } history(first: 5) { edges { node { kind } } } } created',
    );
    expect(changed).toMatchObject({ created: false, goal: { progress: 50, milestones: [{ title: 'Plan' }] } });
    const [latest] = await s.server.db.prisma.goalChange.findMany({
      where: { goal: { externalId: 'okr-100' } },
      orderBy: { id: 'desc' },
      take: 1,
    });
    expect(Object.keys(latest.changes as object)).toEqual(['progress']);
  });

  it('keeps the rules of createGoal and updateGoal for keys', async () => {
    await expectUserErrors(s.keys.writer, 'upsertGoal', { ...input(), externalId: 'okr-101', projectId: project(1) }, [
      [['input', 'projectId'], 'NOT_FOUND'],
    ]);
    // Moving the key's goal to a project outside the key: NOT_FOUND, as in updateGoal.
    await expectUserErrors(s.keys.writer, 'upsertGoal', { ...input(), projectId: project(1) }, [
      [['input', 'projectId'], 'NOT_FOUND'],
    ]);
    await s.server.db.prisma.goal.update({ where: { id: s.acme.goalIds[1] }, data: { externalId: 'okr-p1' } });
    await expectUserErrors(s.keys.writer, 'upsertGoal', { ...input(), externalId: 'okr-p1' }, [
      [['input', 'externalId'], 'TAKEN'],
    ]);
    await expectUserErrors(s.keys.writer, 'upsertGoal', { ...input(), title: ' ', progress: 120 }, [
      [['input', 'title'], 'BLANK'],
      [['input', 'progress'], 'OUT_OF_RANGE'],
    ]);
    await expectRefused(s.keys.readOnly, 'upsertGoal', { ...input(), externalId: 'okr-102' }, 'FORBIDDEN');
  });
});

describe('upsertGoals', () => {
  const item = (n: number, extra: Record<string, unknown> = {}) => ({
    externalId: `bulk-${n}`,
    ...goal(`Bulk ${n}`, extra),
  });

  it('refuses more than 100 goals, writing nothing; a read-only key is FORBIDDEN', async () => {
    await expectUserErrors(s.keys.writer, 'upsertGoals', { goals: Array.from({ length: 101 }, (_, n) => item(n)) }, [
      [['input', 'goals'], 'TOO_LONG'],
    ]);
    await expectRefused(s.keys.readOnly, 'upsertGoals', { goals: [item(1)] }, 'FORBIDDEN');
  });

  it('one bad goal among good ones: nothing is written, every bad one reported at its index', async () => {
    await expectUserErrors(
      s.keys.writer,
      'upsertGoals',
      {
        goals: [
          item(1),
          item(2),
          item(3, { title: '' }),
          item(4, { projectId: project(1) }),
          item(2, { title: 'Twice' }),
          item(5, { startsOn: '2026-08-01', dueOn: '2026-07-01' }),
        ],
      },
      [
        [['input', 'goals', '2', 'title'], 'BLANK'],
        [['input', 'goals', '3', 'projectId'], 'NOT_FOUND'],
        [['input', 'goals', '4', 'externalId'], 'TAKEN'],
        [['input', 'goals', '5', 'dueOn'], 'DATES_OUT_OF_ORDER'],
      ],
    );
  });

  it('100 goals in one request; a replay of the batch changes nothing; a changed item updates only that goal', async () => {
    const batch = Array.from({ length: 100 }, (_, n) => item(n, n % 2 ? { milestones: [{ title: 'M' }] } : {}));
    const first = await succeeded(s.keys.writer, 'upsertGoals', { goals: batch }, 'goals { id externalId }');
    expect(first.goals.map((g: { externalId: string }) => g.externalId)).toEqual(batch.map((g) => g.externalId));
    const before = await rows();
    clock = new Date('2026-06-03T12:00:00Z');
    await succeeded(s.keys.writer, 'upsertGoals', { goals: batch });
    expect(await rows()).toEqual(before);
    batch[7] = item(7, { title: 'Bulk 7, renamed' });
    const again = await succeeded(s.keys.writer, 'upsertGoals', { goals: batch }, 'goals { id title }');
    expect(again.goals[7]).toEqual({ id: first.goals[7].id, title: 'Bulk 7, renamed' });
    expect(
      await s.server.db.prisma.goalChange.count({
        where: { goal: { externalId: { startsWith: 'bulk-' } }, kind: 'UPDATED' },
      }),
    ).toBe(1);
  });
});
