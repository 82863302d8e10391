import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, mutationDocument, payloadOf, rawId } from '../../../test/support/mutations.ts';
import {
  apiKeyFixture,
  globalId,
  organizationWith,
  type OrganizationScenario,
} from '../../../test/support/scenarios.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { schema } from '../../schema.ts';
import { KEY_WRITES, RECORDS_ITSELF, unclassifiedMutations } from './key-writes.ts';

/*
 * Issue 20, part 1: the domain writes of API keys in the organisation's audit log, one event
 * per changed object, in the transaction of the write.
 */

let server: TestServer;
let acme: OrganizationScenario;
let writer: { id: string; token: string };
let twoProjects: { id: string; token: string };
let readOnly: string;
let peopleWriter: { id: string; token: string };
const clock = new Date('2026-06-01T12:00:00Z');

beforeAll(async () => {
  server = await startTestServer({ now: () => clock });
  const prisma = server.db.prisma;
  acme = await organizationWith(prisma, 'Keywrites', {
    projects: 2,
    contractorsPerProject: 1,
    workersPerContractor: 1,
  });
  const p0 = [acme.projectIds[0]];
  writer = await apiKeyFixture(prisma, acme.organizationId, { projectIds: p0, allowWrites: true });
  twoProjects = await apiKeyFixture(prisma, acme.organizationId, { projectIds: acme.projectIds, allowWrites: true });
  readOnly = (await apiKeyFixture(prisma, acme.organizationId, { projectIds: p0 })).token;
  peopleWriter = await apiKeyFixture(prisma, acme.organizationId, {
    projectIds: p0,
    allowWrites: true,
    canWritePeople: true,
  });
});
afterAll(() => server?.close());

const CREATE_GOAL = mutationDocument('createGoal', 'goal { id }');
const UPDATE_GOAL = mutationDocument('updateGoal', 'goal { id progress }');
const DELETE_GOAL = mutationDocument('deleteGoal', 'deletedGoalId');
const UPSERT_GOALS = mutationDocument('upsertGoals', 'goals { id }');
const SET_APPROVAL = mutationDocument('setContractorApprovalStatus', 'contractor { id }');
const ADD_TO_PROJECT = mutationDocument('addContractorToProject', 'contractor { id }');
const CREATE_WORKER = mutationDocument('createWorker', 'worker { id }');
const DELETE_WORKER = mutationDocument('deleteWorker', 'deletedWorkerId');
const CREATE_PERSON = mutationDocument('createPerson', 'person { id }');
const ADD_COMMENT = mutationDocument('addGoalComment', 'comment { id }');

const AUDIT = `query ($targetId: ID, $actorId: ID, $action: String) {
  auditEvents(targetId: $targetId, actorId: $actorId, action: $action, first: 100) {
    totalCount
    edges { node { action targetType targetId changes requestId actor { __typename ... on ApiKeyActor { keyId } } } }
  }
}`;
type Event = { action: string; targetType: string; targetId: string; changes: any; requestId: string; actor: any };
const eventsOf = async (variables: Record<string, unknown>): Promise<Event[]> => {
  const res = await server.graphql(acme.adminToken, AUDIT, variables);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.auditEvents.edges.map((edge: { node: Event }) => edge.node);
};
const eventCount = () => server.db.prisma.auditEvent.count({ where: { organizationId: acme.organizationId } });
const newGoal = (title: string, project = 0) => ({
  projectId: globalId('Project', acme.projectIds[project]),
  ownerId: globalId('Person', acme.personIds[0]),
  title,
});
async function createGoal(token: string, title: string): Promise<string> {
  return payloadOf(await server.graphql(token, CREATE_GOAL, { input: newGoal(title) }), 'createGoal').goal.id;
}

describe('every mutation of the schema is decided', () => {
  it('is a recorded domain write, or writes its own events', () => {
    expect(unclassifiedMutations(schema)).toEqual([]);
  });

  it('names only mutations the schema has', () => {
    const names = Object.keys(schema.getMutationType()!.getFields());
    for (const name of [...Object.keys(KEY_WRITES), ...RECORDS_ITSELF]) expect(names).toContain(name);
  });
});

describe("a key's domain writes", () => {
  it('records a creation: the key, the goal, its project, its fields and the request id', async () => {
    const res = await server.graphql(
      writer.token,
      CREATE_GOAL,
      { input: newGoal('Audited goal') },
      {
        'X-Request-Id': 'key-create-goal',
      },
    );
    const goalId = payloadOf(res, 'createGoal').goal.id;
    const [event] = await eventsOf({ targetId: goalId });
    expect(event).toMatchObject({ action: 'goal.created', targetType: 'Goal', targetId: goalId });
    expect(event.requestId).toBe('key-create-goal');
    expect(event.actor.__typename).toBe('ApiKeyActor');
    expect(event.changes.title).toEqual({ before: null, after: 'Audited goal' });
    expect(event.changes.projectId).toEqual({ before: null, after: acme.projectIds[0] });
    for (const noise of ['id', 'organizationId', 'createdAt', 'updatedAt'])
      expect(event.changes).not.toHaveProperty(noise);
    const row = await server.db.prisma.auditEvent.findFirstOrThrow({ where: { targetId: rawId(goalId) } });
    expect(row).toMatchObject({ actorApiKeyId: writer.id, actorUserId: null, projectIds: [acme.projectIds[0]] });
  });

  it('records an update with only the fields that changed, and a deletion', async () => {
    const goalId = await createGoal(writer.token, 'Progressing');
    payloadOf(await server.graphql(writer.token, UPDATE_GOAL, { input: { id: goalId, progress: 40 } }), 'updateGoal');
    payloadOf(await server.graphql(writer.token, DELETE_GOAL, { input: { id: goalId } }), 'deleteGoal');
    const [deleted, updated] = await eventsOf({ targetId: goalId });
    expect(updated.action).toBe('goal.updated');
    expect(updated.changes).toEqual({ progress: { before: 0, after: 40 } });
    expect(deleted.action).toBe('goal.deleted');
    expect(deleted.changes.title).toEqual({ before: 'Progressing', after: null });
  });

  it('an update that changes nothing records nothing', async () => {
    const goalId = await createGoal(writer.token, 'Still');
    const before = await eventCount();
    payloadOf(await server.graphql(writer.token, UPDATE_GOAL, { input: { id: goalId, progress: 0 } }), 'updateGoal');
    expect(await eventCount()).toBe(before);
  });

  it('a userErrors answer leaves no event and no change', async () => {
    const goalId = await createGoal(writer.token, 'Bounded');
    const before = await eventCount();
    const res = await server.graphql(writer.token, UPDATE_GOAL, { input: { id: goalId, progress: 500 } });
    expect(payloadOf(res, 'updateGoal').userErrors.map((e: { code: string }) => e.code)).toEqual(['OUT_OF_RANGE']);
    const blank = await server.graphql(writer.token, CREATE_GOAL, { input: newGoal(' ') });
    expect(payloadOf(blank, 'createGoal').userErrors.length).toBeGreaterThan(0);
    expect(await eventCount()).toBe(before);
  });

  it("a read-only key's refused write, and a write outside the key's projects, leave no event", async () => {
    const before = await eventCount();
    const refused = await server.graphql(readOnly, CREATE_GOAL, { input: newGoal('Nope') });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    const outside = await server.graphql(writer.token, UPDATE_GOAL, {
      input: { id: globalId('Goal', acme.goalIds[1]), progress: 5 },
    });
    expect(errorCodes(outside)).toEqual(['NOT_FOUND']);
    expect(await eventCount()).toBe(before);
  });

  it('names the contractor verbs, with the projects before and after', async () => {
    const contractorId = globalId('Contractor', acme.contractorIds[0]);
    const projectId = globalId('Project', acme.projectIds[1]);
    payloadOf(
      await server.graphql(twoProjects.token, SET_APPROVAL, { input: { id: contractorId, approvalStatus: 'DENIED' } }),
      'setContractorApprovalStatus',
    );
    payloadOf(
      await server.graphql(twoProjects.token, ADD_TO_PROJECT, { input: { contractorId, projectId } }),
      'addContractorToProject',
    );
    const [added, approval] = await eventsOf({ targetId: contractorId });
    expect(approval.action).toBe('contractor.approval_status_set');
    expect(approval.changes).toEqual({ approvalStatus: { before: expect.any(String), after: 'DENIED' } });
    expect(added.action).toBe('contractor.added_to_project');
    expect(added.changes).toEqual({ projectIds: { before: [acme.projectIds[0]], after: [...acme.projectIds].sort() } });
    const row = await server.db.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'contractor.added_to_project' },
    });
    expect(row.projectIds).toEqual([...acme.projectIds].sort());
  });

  it('records workers, comments and people (a person belongs to no project)', async () => {
    const contractorId = globalId('Contractor', acme.contractorIds[0]);
    const created = await server.graphql(writer.token, CREATE_WORKER, {
      input: { contractorId, firstName: 'Ada', lastName: 'Audit' },
    });
    const workerId = payloadOf(created, 'createWorker').worker.id;
    payloadOf(await server.graphql(writer.token, DELETE_WORKER, { input: { id: workerId } }), 'deleteWorker');
    expect((await eventsOf({ targetId: workerId })).map((e) => e.action)).toEqual(['worker.deleted', 'worker.created']);
    const goalId = await createGoal(writer.token, 'Commented');
    const comment = await server.graphql(writer.token, ADD_COMMENT, { input: { goalId, body: 'On track' } });
    const commentId = payloadOf(comment, 'addGoalComment').comment.id;
    const [commented] = await eventsOf({ targetId: commentId });
    expect(commented).toMatchObject({ action: 'goal_comment.created', targetType: 'GoalComment' });
    expect(commented.changes.body).toEqual({ before: null, after: 'On track' });
    const person = await server.graphql(peopleWriter.token, CREATE_PERSON, {
      input: { name: 'Audited Person', email: 'audited.person@keywrites.test' },
    });
    const personId = payloadOf(person, 'createPerson').person.id;
    const [personCreated] = await eventsOf({ targetId: personId });
    expect(personCreated.action).toBe('person.created');
    const row = await server.db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'person.created' } });
    expect(row).toMatchObject({ projectIds: [], actorApiKeyId: peopleWriter.id });
  });

  it('a bulk upsert records each item as created or updated; a refused item leaves no event at all', async () => {
    const item = (externalId: string, title: string) => ({ externalId, ...newGoal(title) });
    payloadOf(
      await server.graphql(writer.token, UPSERT_GOALS, { input: { goals: [item('bulk-1', 'One')] } }),
      'upsertGoals',
    );
    const res = await server.graphql(writer.token, UPSERT_GOALS, {
      input: { goals: [item('bulk-1', 'One, renamed'), item('bulk-2', 'Two')] },
    });
    const [first, second] = payloadOf(res, 'upsertGoals').goals.map((goal: { id: string }) => goal.id);
    expect((await eventsOf({ targetId: first })).map((e) => [e.action, e.changes.title])).toEqual([
      ['goal.updated', { before: 'One', after: 'One, renamed' }],
      ['goal.created', { before: null, after: 'One' }],
    ]);
    expect((await eventsOf({ targetId: second })).map((e) => e.action)).toEqual(['goal.created']);
    const before = await eventCount();
    const refused = await server.graphql(writer.token, UPSERT_GOALS, {
      input: { goals: [item('bulk-3', 'Three'), item('bulk-4', ' ')] },
    });
    expect(payloadOf(refused, 'upsertGoals').userErrors.length).toBeGreaterThan(0);
    expect(await eventCount()).toBe(before);
  });

  it("an admin's domain write is not recorded (the issue asks for keys')", async () => {
    const before = await eventCount();
    await createGoal(acme.adminToken, 'By an admin');
    expect(await eventCount()).toBe(before);
  });

  it('filters by the key as actor', async () => {
    const events = await eventsOf({ actorId: globalId('ApiKey', twoProjects.id) });
    expect(events.map((e) => e.action)).toEqual(['contractor.added_to_project', 'contractor.approval_status_set']);
  });
});
