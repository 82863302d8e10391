import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyFixture, globalId, organizationWith, type OrganizationScenario } from './support/scenarios.ts';
import { startTestServer, type GraphQLResponse, type TestServer } from './support/server.ts';

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
let keys: Record<'readOnly' | 'writer', string>;
/** A person of Acme linked to nothing: no key can see them yet. */
let loner: string;
const clock = new Date('2026-06-01T12:00:00Z');

beforeAll(async () => {
  server = await startTestServer({ now: () => clock });
  const prisma = server.db.prisma;
  acme = await organizationWith(prisma, 'Acme', { projects: 2, contractorsPerProject: 2, workersPerContractor: 1 });
  other = await organizationWith(prisma, 'Other', { projects: 1, contractorsPerProject: 1, workersPerContractor: 1 });
  const p0 = [acme.projectIds[0]];
  keys = {
    readOnly: (await apiKeyFixture(prisma, acme.organizationId, { projectIds: p0 })).token,
    writer: (await apiKeyFixture(prisma, acme.organizationId, { projectIds: p0, allowWrites: true })).token,
  };
  loner = (
    await prisma.person.create({
      data: { organizationId: acme.organizationId, name: 'Lone Wolf', email: 'loner@acme.test' },
    })
  ).id;
});
afterAll(() => server?.close());

const id = (type: string, uuid: string) => globalId(type, uuid);
const project = (i: number, org = acme) => id('Project', org.projectIds[i]);
const person = (i: number, org = acme) => id('Person', org.personIds[i]);
/** Contractors 0–1 are on project 0, 2–3 on project 1 (scenario layout). */
const contractor = (i: number, org = acme) => id('Contractor', org.contractorIds[i]);
const worker = (i: number, org = acme) => id('Worker', org.workerIds[i]);
const template = (org = acme) => id('ConversationTemplate', org.templateIds[0]);
let serial = 0;
const unique = (prefix: string) => `${prefix} ${++serial}`;

/** Each mutation: the payload field, and a valid input against Acme's fixture. */
const MUTATIONS = {
  createContractor: {
    payload: 'contractor',
    input: () => ({ name: unique('Contractor'), projectIds: [project(0)] }),
  },
  createWorker: {
    payload: 'worker',
    input: () => ({ contractorId: contractor(0), firstName: 'Ada', lastName: unique('Worker') }),
  },
  addQualification: {
    payload: 'qualification',
    input: () => ({ workerId: worker(0), name: 'First aid', issuer: 'Red Cross', licenseNumber: unique('FA') }),
  },
  createPerson: {
    payload: 'person',
    input: () => ({ name: unique('Person'), email: `${unique('p').replace(' ', '')}@acme.test` }),
  },
  createGoal: {
    payload: 'goal',
    input: () => ({ projectId: project(0), title: unique('Goal'), ownerId: person(0) }),
  },
  createRecognition: {
    payload: 'recognition',
    input: () => ({ projectId: project(0), giverId: person(0), receiverIds: [person(1)], message: 'Great work' }),
  },
  createConversationTemplate: {
    payload: 'conversationTemplate',
    input: () => ({ name: unique('Template'), questions: ['How are you?'] }),
  },
  createConversation: {
    payload: 'conversation',
    input: () => ({ projectId: project(0), templateId: template(), participantIds: [person(0), person(1)] }),
  },
  createProject: {
    payload: 'project',
    input: () => ({ name: unique('Project'), code: unique('C').replace(' ', '') }),
  },
} as const;
type MutationName = keyof typeof MUTATIONS;

interface UserError {
  field: string[] | null;
  code: string;
  message: string;
}

function mutate(
  token: string,
  name: MutationName,
  input: Record<string, unknown>,
  selection = 'id',
): Promise<GraphQLResponse> {
  const inputType = `${name[0].toUpperCase()}${name.slice(1)}Input`;
  return server.graphql(
    token,
    `mutation ($input: ${inputType}!) {
       ${name}(input: $input) { ${MUTATIONS[name].payload} { ${selection} } userErrors { field code message } }
     }`,
    { input },
  );
}

/** The payload of a mutation that answered HTTP 200 without GraphQL errors. */
function payloadOf(res: GraphQLResponse, name: MutationName): { userErrors: UserError[] } & Record<string, any> {
  expect(res.body.errors).toBeUndefined();
  expect(res.status).toBe(200);
  return res.body.data[name];
}

async function created(token: string, name: MutationName, input: Record<string, unknown>, selection = 'id') {
  const payload = payloadOf(await mutate(token, name, input, selection), name);
  expect(payload.userErrors).toEqual([]);
  expect(payload[MUTATIONS[name].payload]).not.toBeNull();
  return payload[MUTATIONS[name].payload];
}

/** Row counts of every domain table, across all organisations. */
async function rowCounts() {
  const p = server.db.prisma;
  const [projects, contractors, links, workers, qualifications, people, goals, milestones] = await Promise.all([
    p.project.count(),
    p.contractor.count(),
    p.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "_ContractorProjects"`,
    p.worker.count(),
    p.qualification.count(),
    p.person.count(),
    p.goal.count(),
    p.milestone.count(),
  ]);
  const [templates, questions, conversations, recognitions] = await Promise.all([
    p.conversationTemplate.count(),
    p.conversationQuestion.count(),
    p.conversation.count(),
    p.recognition.count(),
  ]);
  return {
    projects,
    contractors,
    contractorProjects: links[0].n,
    workers,
    qualifications,
    people,
    goals,
    milestones,
    templates,
    questions,
    conversations,
    recognitions,
  };
}

/** Runs `act` and asserts that no row was written anywhere. */
async function expectNothingWritten<T>(act: () => Promise<T>): Promise<T> {
  const before = await rowCounts();
  const result = await act();
  expect(await rowCounts()).toEqual(before);
  return result;
}

/** Expects exactly these userErrors ([field path, code]) and that nothing was written. */
async function expectUserErrors(
  token: string,
  name: MutationName,
  input: Record<string, unknown>,
  expected: [string[], string][],
) {
  const res = await expectNothingWritten(() => mutate(token, name, input));
  const payload = payloadOf(res, name);
  expect(payload[MUTATIONS[name].payload]).toBeNull();
  expect(payload.userErrors.map((e) => [e.field, e.code])).toEqual(expected);
  for (const error of payload.userErrors) expect(error.message).toMatch(/\w/);
}

/** it.each tables are built before the fixture exists, so rows naming fixture ids are thunks. */
type Change = Record<string, unknown> | (() => Record<string, unknown>);
const resolveChange = (change: Change) => (typeof change === 'function' ? change() : change);

async function readNode(token: string, globalID: string, fields: string) {
  const res = await server.graphql(token, `query ($id: ID!) { node(id: $id) { id ${fields} } }`, { id: globalID });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.node;
}

describe('createContractor', () => {
  it('creates a contractor on its projects with normalised tags; node and contractors(tag:) find it', async () => {
    const name = unique('Harbor Electric');
    const input = {
      name: `  ${name}  `,
      projectIds: [project(0), project(1)],
      address: '1 Quay St',
      city: 'Portland',
      state: 'OR',
      zip: '97201',
      tags: [' green ', 'union', 'green'],
      autoApprove: true,
      approvalStatus: 'PENDING',
      contractorComplianceScore: 0,
      employeeComplianceScore: 100,
    };
    const contractor = await created(
      acme.adminToken,
      'createContractor',
      input,
      'id name tags approvalStatus autoApprove contractorComplianceScore employeeComplianceScore city',
    );
    expect(contractor).toMatchObject({
      name,
      tags: ['green', 'union'],
      approvalStatus: 'PENDING',
      autoApprove: true,
      contractorComplianceScore: 0,
      employeeComplianceScore: 100,
      city: 'Portland',
    });
    const row = await server.db.prisma.contractor.findUniqueOrThrow({
      where: { id: Buffer.from(contractor.id, 'base64url').toString().split(':')[1] },
    });
    expect(row.organizationId).toBe(acme.organizationId);

    const read = await readNode(
      acme.adminToken,
      contractor.id,
      '... on Contractor { name address zip projects { totalCount edges { node { id } } } }',
    );
    expect(read.name).toBe(name);
    expect(read.address).toBe('1 Quay St');
    expect(read.projects.totalCount).toBe(2);
    expect(read.projects.edges.map((e: { node: { id: string } }) => e.node.id).sort()).toEqual(
      [project(0), project(1)].sort(),
    );

    const byTag = await server.graphql(acme.adminToken, '{ contractors(tag: "green") { edges { node { id } } } }');
    expect(byTag.body.data.contractors.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([contractor.id]);
  });

  it('defaults: approvalStatus NEW, autoApprove false, no tags, optional fields null', async () => {
    const contractor = await created(
      acme.adminToken,
      'createContractor',
      { name: unique('Plain'), projectIds: [project(1)], city: '   ' },
      'approvalStatus autoApprove tags city contractorComplianceScore',
    );
    expect(contractor).toEqual({
      approvalStatus: 'NEW',
      autoApprove: false,
      tags: [],
      city: null,
      contractorComplianceScore: null,
    });
  });

  it.each([
    ['a blank name', { name: '  ' }, [[['input', 'name'], 'BLANK']]],
    ['a name over 200 characters', { name: 'x'.repeat(201) }, [[['input', 'name'], 'TOO_LONG']]],
    ['no project', { projectIds: [] }, [[['input', 'projectIds'], 'PROJECT_REQUIRED']]],
    [
      'a score above 100',
      { contractorComplianceScore: 101 },
      [[['input', 'contractorComplianceScore'], 'OUT_OF_RANGE']],
    ],
    ['a negative score', { employeeComplianceScore: -1 }, [[['input', 'employeeComplianceScore'], 'OUT_OF_RANGE']]],
    ['a blank tag', { tags: ['ok', ' '] }, [[['input', 'tags', '1'], 'BLANK']]],
    ['a zip too long', { zip: '9'.repeat(21) }, [[['input', 'zip'], 'TOO_LONG']]],
    [
      'several problems at once',
      { name: '', projectIds: [], contractorComplianceScore: 500 },
      [
        [['input', 'name'], 'BLANK'],
        [['input', 'projectIds'], 'PROJECT_REQUIRED'],
        [['input', 'contractorComplianceScore'], 'OUT_OF_RANGE'],
      ],
    ],
  ] as const)('answers %s with userErrors and writes nothing', async (_case, change, expected) => {
    await expectUserErrors(
      acme.adminToken,
      'createContractor',
      { ...MUTATIONS.createContractor.input(), ...resolveChange(change) },
      expected as unknown as [string[], string][],
    );
  });

  it("another organisation's project is NOT_FOUND, even next to a valid one; nothing is half-written", async () => {
    for (const projectIds of [[project(0, other)], [project(0), project(0, other)]]) {
      await expectUserErrors(acme.adminToken, 'createContractor', { name: unique('Mixed'), projectIds }, [
        [['input', 'projectIds'], 'NOT_FOUND'],
      ]);
    }
  });

  it('an id of the wrong type is a BAD_USER_INPUT error, not a server error', async () => {
    const res = await expectNothingWritten(() =>
      mutate(acme.adminToken, 'createContractor', { name: unique('Typed'), projectIds: [contractor(0)] }),
    );
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.status).not.toBe(500);
  });
});

describe('createWorker', () => {
  it('adds a worker to a contractor; node reads it back with its contractor', async () => {
    const lastName = unique('Lovelace');
    const worker = await created(
      acme.adminToken,
      'createWorker',
      {
        contractorId: contractor(2),
        firstName: ' Ada ',
        lastName,
        email: 'Ada@Example.COM',
        phone: '+1 503 555 0100',
        trade: 'Electrician',
      },
      'id firstName email',
    );
    expect(worker).toMatchObject({ firstName: 'Ada', email: 'ada@example.com' });
    const read = await readNode(acme.adminToken, worker.id, '... on Worker { lastName phone trade contractor { id } }');
    expect(read).toMatchObject({ lastName, phone: '+1 503 555 0100', trade: 'Electrician' });
    expect(read.contractor.id).toBe(contractor(2));
    const contractorWorkers = await readNode(
      acme.adminToken,
      contractor(2),
      '... on Contractor { workers { totalCount } }',
    );
    expect(contractorWorkers.workers.totalCount).toBe(2);
  });

  it.each([
    ['a blank first name', { firstName: '' }, [[['input', 'firstName'], 'BLANK']]],
    ['a last name over 100 characters', { lastName: 'x'.repeat(101) }, [[['input', 'lastName'], 'TOO_LONG']]],
    ['a phone over 40 characters', { phone: '1'.repeat(41) }, [[['input', 'phone'], 'TOO_LONG']]],
    [
      "another organisation's contractor",
      () => ({ contractorId: contractor(0, other) }),
      [[['input', 'contractorId'], 'NOT_FOUND']],
    ],
  ] as const)('answers %s with userErrors and writes nothing', async (_case, change, expected) => {
    await expectUserErrors(
      acme.adminToken,
      'createWorker',
      { ...MUTATIONS.createWorker.input(), ...resolveChange(change) },
      expected as unknown as [string[], string][],
    );
  });

  it('a malformed email is a BAD_USER_INPUT error and writes nothing', async () => {
    const res = await expectNothingWritten(() =>
      mutate(acme.adminToken, 'createWorker', { ...MUTATIONS.createWorker.input(), email: 'not-an-email' }),
    );
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('addQualification', () => {
  it('adds a qualification; an admin reads it back, licenseNumber included', async () => {
    const licenseNumber = unique('LIC');
    const qualification = await created(
      acme.adminToken,
      'addQualification',
      {
        workerId: worker(1),
        name: 'Forklift',
        issuer: 'OSHA',
        licenseNumber,
        issuedOn: '2025-01-01',
        expiresOn: '2028-01-01',
      },
      'id name status issuedOn expiresOn',
    );
    expect(qualification).toMatchObject({
      name: 'Forklift',
      status: 'VALID',
      issuedOn: '2025-01-01',
      expiresOn: '2028-01-01',
    });
    const read = await readNode(acme.adminToken, worker(1), '... on Worker { qualifications { id licenseNumber } }');
    expect(read.qualifications).toContainEqual({ id: qualification.id, licenseNumber });
  });

  it.each([
    ['2026-05-31', 'EXPIRED'],
    ['2026-06-20', 'EXPIRING'],
    ['2026-08-01', 'VALID'],
  ])('without a status, expiresOn %s (today 2026-06-01) gives %s', async (expiresOn, status) => {
    const q = await created(
      acme.adminToken,
      'addQualification',
      { ...MUTATIONS.addQualification.input(), expiresOn },
      'status',
    );
    expect(q.status).toBe(status);
  });

  it('an explicit status wins over the derived one', async () => {
    const q = await created(
      acme.adminToken,
      'addQualification',
      { ...MUTATIONS.addQualification.input(), expiresOn: '2020-01-01', status: 'REVOKED' },
      'status',
    );
    expect(q.status).toBe('REVOKED');
  });

  it.each([
    ['a blank license number', { licenseNumber: ' ' }, [[['input', 'licenseNumber'], 'BLANK']]],
    ['a blank issuer', { issuer: '' }, [[['input', 'issuer'], 'BLANK']]],
    ['a name over 200 characters', { name: 'n'.repeat(201) }, [[['input', 'name'], 'TOO_LONG']]],
    [
      'an expiry before issue',
      { issuedOn: '2026-01-02', expiresOn: '2026-01-01' },
      [[['input', 'expiresOn'], 'DATES_OUT_OF_ORDER']],
    ],
    ["another organisation's worker", () => ({ workerId: worker(0, other) }), [[['input', 'workerId'], 'NOT_FOUND']]],
  ] as const)('answers %s with userErrors and writes nothing', async (_case, change, expected) => {
    await expectUserErrors(
      acme.adminToken,
      'addQualification',
      { ...MUTATIONS.addQualification.input(), ...resolveChange(change) },
      expected as unknown as [string[], string][],
    );
  });
});

describe('createPerson', () => {
  it('adds a person with a manager; email stored lower-case; node reads it back', async () => {
    const grace = await created(
      acme.adminToken,
      'createPerson',
      {
        name: 'Grace Hopper',
        email: 'Grace.Hopper@Acme.test',
        employeeId: 'E-1001',
        title: 'Site lead',
        department: 'Operations',
        managerId: person(0),
      },
      'id email',
    );
    expect(grace.email).toBe('grace.hopper@acme.test');
    const read = await readNode(
      acme.adminToken,
      grace.id,
      '... on Person { name employeeId title department manager { id } }',
    );
    expect(read).toMatchObject({
      name: 'Grace Hopper',
      employeeId: 'E-1001',
      title: 'Site lead',
      department: 'Operations',
      manager: { id: person(0) },
    });
  });

  it('a taken email (in any case) and a taken employee id are both TAKEN; nothing is written', async () => {
    await created(acme.adminToken, 'createPerson', { name: 'First', email: 'dup@acme.test', employeeId: 'E-DUP' });
    await expectUserErrors(acme.adminToken, 'createPerson', { name: 'Second', email: 'DUP@acme.test' }, [
      [['input', 'email'], 'TAKEN'],
    ]);
    await expectUserErrors(
      acme.adminToken,
      'createPerson',
      { name: 'Second', email: 'fresh@acme.test', employeeId: 'E-DUP' },
      [[['input', 'employeeId'], 'TAKEN']],
    );
    await expectUserErrors(
      acme.adminToken,
      'createPerson',
      { name: 'Second', email: 'dup@acme.test', employeeId: 'E-DUP' },
      [
        [['input', 'email'], 'TAKEN'],
        [['input', 'employeeId'], 'TAKEN'],
      ],
    );
  });

  it('the same email is free in another organisation', async () => {
    await created(other.adminToken, 'createPerson', { name: 'Twin', email: 'dup2@acme.test' });
    await created(acme.adminToken, 'createPerson', { name: 'Twin', email: 'dup2@acme.test' });
  });

  it('two requests racing for one email: one person, one TAKEN', async () => {
    const input = { name: 'Racer', email: 'race@acme.test' };
    const results = await Promise.all([0, 1, 2].map(() => mutate(acme.adminToken, 'createPerson', input)));
    const payloads = results.map((res) => payloadOf(res, 'createPerson'));
    expect(payloads.filter((p) => p.person !== null)).toHaveLength(1);
    expect(payloads.flatMap((p) => p.userErrors.map((e) => [e.field, e.code]))).toEqual([
      [['input', 'email'], 'TAKEN'],
      [['input', 'email'], 'TAKEN'],
    ]);
    expect(await server.db.prisma.person.count({ where: { email: 'race@acme.test' } })).toBe(1);
  });

  it.each([
    ['a blank name', { name: ' ' }, [[['input', 'name'], 'BLANK']]],
    ['a title over 200 characters', { title: 't'.repeat(201) }, [[['input', 'title'], 'TOO_LONG']]],
    [
      "another organisation's manager",
      () => ({ managerId: person(0, other) }),
      [[['input', 'managerId'], 'NOT_FOUND']],
    ],
  ] as const)('answers %s with userErrors and writes nothing', async (_case, change, expected) => {
    await expectUserErrors(
      acme.adminToken,
      'createPerson',
      { ...MUTATIONS.createPerson.input(), ...resolveChange(change) },
      expected as unknown as [string[], string][],
    );
  });

  it('a malformed email is a BAD_USER_INPUT error and writes nothing', async () => {
    const res = await expectNothingWritten(() =>
      mutate(acme.adminToken, 'createPerson', { name: 'Nobody', email: 'nobody-at-acme' }),
    );
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

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

describe('createRecognition', () => {
  it('records praise with normalised hashtags; node and recognitions(hashtag:) read it back', async () => {
    const recognition = await created(
      acme.adminToken,
      'createRecognition',
      {
        projectId: project(0),
        giverId: person(0),
        receiverIds: [person(1), person(3), person(1)],
        message: ' Spotless site handover ',
        hashtags: ['#Housekeeping', 'housekeeping', ' #HandOver ', 'crew_2026'],
      },
      'id message hashtags',
    );
    expect(recognition).toMatchObject({
      message: 'Spotless site handover',
      hashtags: ['housekeeping', 'handover', 'crew_2026'],
    });
    const read = await readNode(
      acme.adminToken,
      recognition.id,
      '... on Recognition { giver { id } receivers { id } project { id } }',
    );
    expect(read.giver).toEqual({ id: person(0) });
    expect(read.receivers.map((r: { id: string }) => r.id).sort()).toEqual([person(1), person(3)].sort());
    expect(read.project).toEqual({ id: project(0) });
    const byTag = await server.graphql(
      acme.adminToken,
      '{ recognitions(hashtag: "handover") { edges { node { id } } } }',
    );
    expect(byTag.body.data.recognitions.edges).toEqual([{ node: { id: recognition.id } }]);
  });

  it.each([
    ['a blank message', { message: '  ' }, [[['input', 'message'], 'BLANK']]],
    ['a message over 2000 characters', { message: 'm'.repeat(2001) }, [[['input', 'message'], 'TOO_LONG']]],
    ['no receiver', { receiverIds: [] }, [[['input', 'receiverIds'], 'BLANK']]],
    ['the giver among the receivers', () => ({ receiverIds: [person(0)] }), [[['input', 'receiverIds'], 'INVALID']]],
    ['a hashtag that is only "#"', { hashtags: ['ok', '#'] }, [[['input', 'hashtags', '1'], 'BLANK']]],
    ['a hashtag with a space', { hashtags: ['#two words'] }, [[['input', 'hashtags', '0'], 'INVALID']]],
    [
      "another organisation's receiver",
      () => ({ receiverIds: [person(1), person(0, other)] }),
      [[['input', 'receiverIds'], 'NOT_FOUND']],
    ],
    ["another organisation's giver", () => ({ giverId: person(0, other) }), [[['input', 'giverId'], 'NOT_FOUND']]],
    [
      "another organisation's project",
      () => ({ projectId: project(0, other) }),
      [[['input', 'projectId'], 'NOT_FOUND']],
    ],
  ] as const)('answers %s with userErrors and writes nothing', async (_case, change, expected) => {
    await expectUserErrors(
      acme.adminToken,
      'createRecognition',
      { ...MUTATIONS.createRecognition.input(), ...resolveChange(change) },
      expected as unknown as [string[], string][],
    );
  });
});

describe('createConversationTemplate', () => {
  it('creates a template with its questions in order; node reads it back', async () => {
    const template = await created(
      acme.adminToken,
      'createConversationTemplate',
      { name: ' Weekly check-in ', questions: ['What went well?', ' What is blocked? ', 'Next steps?'] },
      'id name',
    );
    expect(template.name).toBe('Weekly check-in');
    const read = await readNode(
      acme.adminToken,
      template.id,
      '... on ConversationTemplate { questions { position text } }',
    );
    expect(read.questions).toEqual([
      { position: 0, text: 'What went well?' },
      { position: 1, text: 'What is blocked?' },
      { position: 2, text: 'Next steps?' },
    ]);
  });

  it('a name already used in the organisation is TAKEN and no question is written', async () => {
    await expectUserErrors(
      acme.adminToken,
      'createConversationTemplate',
      { name: 'Acme check-in', questions: ['A?', 'B?'] },
      [[['input', 'name'], 'TAKEN']],
    );
  });

  it('the name is free in another organisation', async () => {
    await created(other.adminToken, 'createConversationTemplate', { name: 'Acme check-in', questions: ['A?'] });
  });

  it.each([
    ['a blank name', { name: '' }, [[['input', 'name'], 'BLANK']]],
    ['no question', { questions: [] }, [[['input', 'questions'], 'BLANK']]],
    ['a blank question', { questions: ['Fine?', '   '] }, [[['input', 'questions', '1'], 'BLANK']]],
    ['a question over 1000 characters', { questions: ['q'.repeat(1001)] }, [[['input', 'questions', '0'], 'TOO_LONG']]],
  ] as const)('answers %s with userErrors and writes nothing', async (_case, change, expected) => {
    await expectUserErrors(
      acme.adminToken,
      'createConversationTemplate',
      { ...MUTATIONS.createConversationTemplate.input(), ...resolveChange(change) },
      expected as unknown as [string[], string][],
    );
  });
});

describe('createConversation', () => {
  it('creates a conversation; node reads back template, project and participants', async () => {
    const conversation = await created(
      acme.adminToken,
      'createConversation',
      {
        projectId: project(1),
        templateId: template(),
        participantIds: [person(2), person(3), person(2)],
        status: 'IN_PROGRESS',
        scheduledFor: '2026-06-02T09:30:00.000Z',
      },
      'id status scheduledFor',
    );
    expect(conversation).toMatchObject({ status: 'IN_PROGRESS', scheduledFor: '2026-06-02T09:30:00.000Z' });
    const read = await readNode(
      acme.adminToken,
      conversation.id,
      '... on Conversation { template { id } project { id } participants { id } responses { id } }',
    );
    expect(read.template).toEqual({ id: template() });
    expect(read.project).toEqual({ id: project(1) });
    expect(read.participants.map((p: { id: string }) => p.id).sort()).toEqual([person(2), person(3)].sort());
    expect(read.responses).toEqual([]);
  });

  it('defaults to SCHEDULED', async () => {
    const conversation = await created(
      acme.adminToken,
      'createConversation',
      MUTATIONS.createConversation.input(),
      'status',
    );
    expect(conversation.status).toBe('SCHEDULED');
  });

  it.each([
    ['no participant', { participantIds: [] }, [[['input', 'participantIds'], 'BLANK']]],
    [
      "another organisation's template",
      () => ({ templateId: template(other) }),
      [[['input', 'templateId'], 'NOT_FOUND']],
    ],
    [
      "another organisation's participant",
      () => ({ participantIds: [person(0), person(0, other)] }),
      [[['input', 'participantIds'], 'NOT_FOUND']],
    ],
    [
      "another organisation's project",
      () => ({ projectId: project(0, other) }),
      [[['input', 'projectId'], 'NOT_FOUND']],
    ],
  ] as const)('answers %s with userErrors and writes nothing', async (_case, change, expected) => {
    await expectUserErrors(
      acme.adminToken,
      'createConversation',
      { ...MUTATIONS.createConversation.input(), ...resolveChange(change) },
      expected as unknown as [string[], string][],
    );
  });
});

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
