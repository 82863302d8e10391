import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOnlyMutationKit, type AdminOnlyMutationName } from './support/admin-only-mutations.ts';
import { createMutationKit, type CreateMutationName } from './support/create-mutations.ts';
import { lonePerson, writeScenario, type OrganizationScenario } from './support/scenarios.ts';
import type { TestServer } from './support/server.ts';

/*
 * Who may call which mutation, across domains: what a read-only key, a key that allows writes
 * and another organisation's admin get from the create mutations and from the admin-only
 * updateProject, updatePerson and addConversationResponse. The mutations' own rules are tested
 * beside their modules (src/modules/<domain>/*.test.ts).
 */

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
let keys: Record<'readOnly' | 'writer', string>;
/** A person of Acme linked to nothing: no key can see them yet. */
let loner: string;
const clock = new Date('2026-06-01T12:00:00Z');
const rows = {
  /** The question of the scenario's check-in template (used by the scenario's conversations). */
  checkInQuestion: '',
};

beforeAll(async () => {
  ({ server, acme, other, keys } = await writeScenario({ now: () => clock, acme: { contractorsPerProject: 2 } }));
  loner = await lonePerson(server.db.prisma, acme);
  rows.checkInQuestion = (
    await server.db.prisma.conversationQuestion.findFirstOrThrow({ where: { templateId: acme.templateIds[0] } })
  ).id;
});
afterAll(() => server?.close());

const creates = createMutationKit(
  () => server,
  () => acme,
);
const { MUTATIONS, unique, created, expectNothingWritten, expectUserErrors, resolveChange, readNode } = creates;
const { id, project, person, contractor, template } = creates;

const adminOnly = adminOnlyMutationKit(
  () => server,
  () => acme,
);
type MutationName = AdminOnlyMutationName;
const { succeeded, expectUnchanged } = adminOnly;

/** A create mutation (nothing written: no row count changed) or an admin-only one (no row changed). */
function mutate(token: string, name: CreateMutationName | MutationName, input: Record<string, unknown>) {
  return name in MUTATIONS
    ? creates.mutate(token, name as CreateMutationName, input)
    : adminOnly.mutate(token, name as MutationName, input);
}

describe('API keys writing', () => {
  it.each(['createGoal', 'createContractor', 'createWorker'] as const)(
    'a read-only key calling %s is FORBIDDEN with HTTP 403 and nothing is written',
    async (name) => {
      const res = await expectNothingWritten(() => mutate(keys.readOnly, name, MUTATIONS[name].input()));
      expect(res.status).toBe(403);
      expect(res.body.data).toBeNull();
      expect(res.body.errors.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
    },
  );

  it.each([
    'createRecognition',
    'createConversation',
    'createConversationTemplate',
    'createPerson',
    'addQualification',
    'createProject',
  ] as const)(
    'a key that allows writes calling admin-only %s is FORBIDDEN with HTTP 403 and nothing is written',
    async (name) => {
      const res = await expectNothingWritten(() => mutate(keys.writer, name, MUTATIONS[name].input()));
      expect(res.status).toBe(403);
      expect(res.body.data).toBeNull();
      expect(res.body.errors.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
    },
  );

  it('a writing key creates a contractor in its project and then sees it', async () => {
    const contractor = await created(keys.writer, 'createContractor', {
      name: unique('Key-made'),
      projectIds: [project(0)],
      tags: ['via-key'],
    });
    const read = await readNode(keys.writer, contractor.id, '... on Contractor { tags }');
    expect(read.tags).toEqual(['via-key']);
  });

  it('a writing key adds a worker to a contractor of its project', async () => {
    const worker = await created(keys.writer, 'createWorker', {
      contractorId: contractor(1),
      firstName: 'Key',
      lastName: 'Made',
    });
    expect(await readNode(keys.writer, worker.id, '... on Worker { lastName }')).toMatchObject({ lastName: 'Made' });
  });

  it('a writing key creates a goal owned by an organisation member it could not see before; the owner becomes visible', async () => {
    expect(await readNode(keys.writer, id('Person', loner), '')).toBeNull();
    const goal = await created(
      keys.writer,
      'createGoal',
      { projectId: project(0), title: unique('Key goal'), ownerId: id('Person', loner) },
      'id owner { name }',
    );
    expect(goal.owner).toEqual({ name: 'Lone Wolf' });
    expect(await readNode(keys.writer, id('Person', loner), '... on Person { name }')).toEqual({
      id: id('Person', loner),
      name: 'Lone Wolf',
    });
  });

  it.each([
    ['createContractor', 'in a project it lacks', 'projectIds', () => ({ projectIds: [project(1)] })],
    [
      'createContractor',
      'in its project and one it lacks',
      'projectIds',
      () => ({ projectIds: [project(0), project(1)] }),
    ],
    ['createGoal', 'in a project it lacks', 'projectId', () => ({ projectId: project(1) })],
    ['createWorker', "for another project's contractor", 'contractorId', () => ({ contractorId: contractor(2) })],
    ['createGoal', "owned by another organisation's person", 'ownerId', () => ({ ownerId: person(0, other) })],
  ] as const)(
    'a writing key calling %s %s gets NOT_FOUND on %s; nothing is written',
    async (name, _case, field, change) => {
      await expectUserErrors(keys.writer, name, { ...MUTATIONS[name].input(), ...resolveChange(change) }, [
        [['input', field], 'NOT_FOUND'],
      ]);
    },
  );
});

describe("another organisation's admin referencing Acme's ids", () => {
  it.each([
    ['createContractor', 'projectIds', () => ({})],
    ['createWorker', 'contractorId', () => ({})],
    ['addQualification', 'workerId', () => ({})],
    ['createPerson', 'managerId', () => ({ managerId: person(0) })],
    ['createGoal', 'projectId', () => ({ ownerId: person(0, other) })],
    ['createGoal', 'ownerId', () => ({ projectId: project(0, other) })],
    ['createRecognition', 'projectId', () => ({ giverId: person(0, other), receiverIds: [person(1, other)] })],
    ['createRecognition', 'giverId', () => ({ projectId: project(0, other), receiverIds: [person(1, other)] })],
    ['createRecognition', 'receiverIds', () => ({ projectId: project(0, other), giverId: person(0, other) })],
    ['createConversation', 'templateId', () => ({ projectId: project(0, other), participantIds: [person(0, other)] })],
    ['createConversation', 'participantIds', () => ({ projectId: project(0, other), templateId: template(other) })],
  ] as const)('%s gets NOT_FOUND on %s and nothing is written', async (name, field, change) => {
    await expectUserErrors(other.adminToken, name, { ...MUTATIONS[name].input(), ...resolveChange(change) }, [
      [['input', field], 'NOT_FOUND'],
    ]);
  });

  it('createGoal naming both a foreign project and a foreign owner gets both userErrors, in input order', async () => {
    await expectUserErrors(other.adminToken, 'createGoal', MUTATIONS.createGoal.input(), [
      [['input', 'projectId'], 'NOT_FOUND'],
      [['input', 'ownerId'], 'NOT_FOUND'],
    ]);
  });
});

/** A valid input of each mutation against Acme's fixture. */
const VALID_INPUT: Record<MutationName, () => Record<string, unknown>> = {
  updateProject: () => ({ id: project(0), name: 'Hijacked' }),
  updatePerson: () => ({ id: person(0), name: 'Hijacked', managerId: null }),
  addConversationResponse: () => ({
    conversationId: id('Conversation', acme.conversationIds[0]),
    questionId: rows.checkInQuestion,
    respondentId: person(0),
    answer: 'Hijacked',
  }),
};

describe('who may call them', () => {
  it.each(Object.keys(VALID_INPUT) as MutationName[])(
    'a key that allows writes calling %s is FORBIDDEN with HTTP 403 and nothing changes',
    async (name) => {
      for (const token of [keys.writer, keys.readOnly]) {
        const res = await expectUnchanged(() => mutate(token, name, VALID_INPUT[name]()));
        expect(res.status).toBe(403);
        expect(res.body.data).toBeNull();
        expect(res.body.errors.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
      }
    },
  );

  it.each(Object.keys(VALID_INPUT) as MutationName[])(
    "another organisation's admin calling %s on Acme's object gets NOT_FOUND and nothing changes",
    async (name) => {
      const res = await expectUnchanged(() => mutate(other.adminToken, name, VALID_INPUT[name]()));
      expect(res.status).toBe(200);
      expect(res.body.data).toBeNull();
      expect(res.body.errors.map((e) => [e.extensions.code, e.path])).toEqual([['NOT_FOUND', [name]]]);
    },
  );

  it.each(Object.keys(VALID_INPUT) as MutationName[])('the valid input of %s works for the admin', async (name) => {
    await succeeded(acme.adminToken, name, VALID_INPUT[name]());
  });

  it('an id that names nothing is NOT_FOUND as well', async () => {
    const res = await expectUnchanged(() =>
      mutate(acme.adminToken, 'updateProject', { id: id('Project', randomUUID()), name: 'Ghost' }),
    );
    expect(res.body.errors.map((e) => e.extensions.code)).toEqual(['NOT_FOUND']);
  });
});
