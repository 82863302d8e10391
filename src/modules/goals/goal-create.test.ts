import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMutationKit } from '../../../test/support/create-mutations.ts';
import { writeScenario, type OrganizationScenario } from '../../../test/support/scenarios.ts';
import type { TestServer } from '../../../test/support/server.ts';

/*
 * createGoal: new goals with their milestones.
 * Through HTTP; the fixture and the "nothing written" row counts use Prisma directly.
 */

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
const clock = new Date('2026-06-01T12:00:00Z');

beforeAll(async () => {
  ({ server, acme, other } = await writeScenario({ now: () => clock, acme: { contractorsPerProject: 2 } }));
});
afterAll(() => server?.close());

const { MUTATIONS, created, expectUserErrors, resolveChange, readNode, project, person } = createMutationKit(
  () => server,
  () => acme,
);

describe('createGoal', () => {
  it('creates a goal with ordered milestones; node reads it back', async () => {
    const goal = await created(
      acme.adminToken,
      'createGoal',
      {
        projectId: project(1),
        title: ' Zero incidents ',
        ownerId: person(2),
        description: 'No lost-time incidents this quarter.',
        status: 'ON_TRACK',
        progress: 40,
        startsOn: '2026-07-01',
        dueOn: '2026-09-30',
        milestones: [
          { title: 'Audit', dueOn: '2026-07-15' },
          { title: 'Training' },
          { title: 'Review', dueOn: '2026-09-30' },
        ],
      },
      'id title',
    );
    expect(goal.title).toBe('Zero incidents');
    const read = await readNode(
      acme.adminToken,
      goal.id,
      `... on Goal { description status progress startsOn dueOn owner { id } project { id }
                     milestones { title dueOn completed } }`,
    );
    expect(read).toEqual({
      id: goal.id,
      description: 'No lost-time incidents this quarter.',
      status: 'ON_TRACK',
      progress: 40,
      startsOn: '2026-07-01',
      dueOn: '2026-09-30',
      owner: { id: person(2) },
      project: { id: project(1) },
      milestones: [
        { title: 'Audit', dueOn: '2026-07-15', completed: false },
        { title: 'Training', dueOn: null, completed: false },
        { title: 'Review', dueOn: '2026-09-30', completed: false },
      ],
    });
  });

  it('defaults: NOT_STARTED, progress 0, no milestones', async () => {
    const goal = await created(
      acme.adminToken,
      'createGoal',
      MUTATIONS.createGoal.input(),
      'status progress milestones { id }',
    );
    expect(goal).toEqual({ status: 'NOT_STARTED', progress: 0, milestones: [] });
  });

  it.each([
    ['a blank title', { title: '' }, [[['input', 'title'], 'BLANK']]],
    ['a title over 200 characters', { title: 'g'.repeat(201) }, [[['input', 'title'], 'TOO_LONG']]],
    ['progress above 100', { progress: 101 }, [[['input', 'progress'], 'OUT_OF_RANGE']]],
    ['negative progress', { progress: -5 }, [[['input', 'progress'], 'OUT_OF_RANGE']]],
    [
      'a due date before the start',
      { startsOn: '2026-07-02', dueOn: '2026-07-01' },
      [[['input', 'dueOn'], 'DATES_OUT_OF_ORDER']],
    ],
    [
      'a blank milestone title',
      { milestones: [{ title: 'ok' }, { title: ' ' }] },
      [[['input', 'milestones', '1', 'title'], 'BLANK']],
    ],
    [
      'a milestone due before the goal starts',
      { startsOn: '2026-07-01', milestones: [{ title: 'early', dueOn: '2026-06-30' }] },
      [[['input', 'milestones', '0', 'dueOn'], 'DATES_OUT_OF_ORDER']],
    ],
    [
      "another organisation's project",
      () => ({ projectId: project(0, other) }),
      [[['input', 'projectId'], 'NOT_FOUND']],
    ],
    ["another organisation's owner", () => ({ ownerId: person(0, other) }), [[['input', 'ownerId'], 'NOT_FOUND']]],
  ] as const)('answers %s with userErrors; neither goal nor milestones written', async (_case, change, expected) => {
    await expectUserErrors(
      acme.adminToken,
      'createGoal',
      { ...MUTATIONS.createGoal.input(), milestones: [{ title: 'm' }], ...resolveChange(change) },
      expected as unknown as [string[], string][],
    );
  });
});
