import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyFixture, globalId, organizationWith, type OrganizationScenario } from './support/scenarios.ts';
import { startTestServer, type GraphQLResponse, type TestServer } from './support/server.ts';

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
let keys: Record<'readOnly' | 'writer', string>;
const clock = new Date('2026-06-01T12:00:00Z');

/** Fixture rows made directly in the database (raw uuids). */
const rows = {
  /** A project changed by the happy-path tests. */
  renamed: '',
  /** A project with stored dates 2026-07-01 … 2026-12-31, never changed successfully. */
  dated: '',
  /** A management chain ceo ← vp ← lead (lead reports to vp, vp to ceo). */
  ceo: '',
  vp: '',
  lead: '',
  /** People updated by the happy-path tests. */
  mover: '',
  /** A template with two questions. */
  template: '',
  questions: [] as string[],
  /** The question of the scenario's check-in template (used by the scenario's conversations). */
  checkInQuestion: '',
  /** A question of another organisation's template. */
  otherOrgQuestion: '',
  /** A COMPLETED conversation (with the two-question template). */
  completed: '',
};

const id = (type: string, uuid: string) => globalId(type, uuid);
const project = (i: number, org = acme) => id('Project', org.projectIds[i]);
/** People: 2p is the owner of project p, 2p + 1 a peer reporting to them. */
const person = (i: number, org = acme) => id('Person', org.personIds[i]);

beforeAll(async () => {
  server = await startTestServer({ now: () => clock });
  const prisma = server.db.prisma;
  acme = await organizationWith(prisma, 'Acme', { projects: 2, contractorsPerProject: 1, workersPerContractor: 1 });
  other = await organizationWith(prisma, 'Other', { projects: 1, contractorsPerProject: 1, workersPerContractor: 1 });
  const organizationId = acme.organizationId;
  const p0 = [acme.projectIds[0]];
  keys = {
    readOnly: (await apiKeyFixture(prisma, organizationId, { projectIds: p0 })).token,
    writer: (await apiKeyFixture(prisma, organizationId, { projectIds: p0, allowWrites: true })).token,
  };
  rows.renamed = (
    await prisma.project.create({
      data: { organizationId, name: 'Riverside', code: 'RIV', addressLine1: '1 River Rd', city: 'Boise' },
    })
  ).id;
  rows.dated = (
    await prisma.project.create({
      data: {
        organizationId,
        name: 'Dated',
        code: 'DATED',
        startsOn: new Date('2026-07-01'),
        endsOn: new Date('2026-12-31'),
      },
    })
  ).id;
  const make = (name: string, managerId: string | null = null) =>
    prisma.person.create({ data: { organizationId, name, email: `${name}@acme.test`, managerId } });
  rows.ceo = (await make('ceo')).id;
  rows.vp = (await make('vp', rows.ceo)).id;
  rows.lead = (await make('lead', rows.vp)).id;
  rows.mover = (await make('mover')).id;
  const template = await prisma.conversationTemplate.create({
    data: {
      organizationId,
      name: 'Two questions',
      questions: {
        create: [
          { position: 0, text: 'What went well?' },
          { position: 1, text: 'What is blocked?' },
        ],
      },
    },
    include: { questions: { orderBy: { position: 'asc' } } },
  });
  rows.template = template.id;
  rows.questions = template.questions.map((q) => q.id);
  rows.checkInQuestion = (
    await prisma.conversationQuestion.findFirstOrThrow({ where: { templateId: acme.templateIds[0] } })
  ).id;
  rows.otherOrgQuestion = (
    await prisma.conversationQuestion.findFirstOrThrow({ where: { templateId: other.templateIds[0] } })
  ).id;
  rows.completed = (
    await prisma.conversation.create({
      data: {
        organizationId,
        projectId: acme.projectIds[0],
        templateId: template.id,
        status: 'COMPLETED',
        participants: { connect: [{ id: acme.personIds[0] }] },
      },
    })
  ).id;
});
afterAll(() => server?.close());

const PAYLOAD = {
  updateProject: 'project { id }',
  updatePerson: 'person { id }',
  addConversationResponse: 'conversation { id } response { id }',
} as const;
type MutationName = keyof typeof PAYLOAD;

interface UserError {
  field: string[] | null;
  code: string;
  message: string;
}

function mutate(
  token: string,
  name: MutationName,
  input: Record<string, unknown>,
  selection: string = PAYLOAD[name],
): Promise<GraphQLResponse> {
  const inputType = `${name[0].toUpperCase()}${name.slice(1)}Input`;
  return server.graphql(
    token,
    `mutation ($input: ${inputType}!) { ${name}(input: $input) { ${selection} userErrors { field code message } } }`,
    { input },
  );
}

/** The payload of a mutation that answered HTTP 200 without GraphQL errors. */
function payloadOf(res: GraphQLResponse, name: MutationName): { userErrors: UserError[] } & Record<string, any> {
  expect(res.body.errors).toBeUndefined();
  expect(res.status).toBe(200);
  return res.body.data[name];
}

async function succeeded(token: string, name: MutationName, input: Record<string, unknown>, selection?: string) {
  const payload = payloadOf(await mutate(token, name, input, selection), name);
  expect(payload.userErrors).toEqual([]);
  return payload;
}

/** Every row a mutation of this file could touch, across all organisations. */
async function snapshot() {
  const p = server.db.prisma;
  const byId = { orderBy: { id: 'asc' as const } };
  return JSON.stringify([
    await p.project.findMany(byId),
    await p.person.findMany(byId),
    await p.conversation.findMany({ ...byId, include: { participants: { select: { id: true }, ...byId } } }),
    await p.conversationResponse.findMany(byId),
  ]);
}

/** Runs `act` and asserts that nothing was written (no row added, changed or removed). */
async function expectUnchanged<T>(act: () => Promise<T>): Promise<T> {
  const before = await snapshot();
  const result = await act();
  expect(await snapshot()).toEqual(before);
  return result;
}

/** Expects exactly these userErrors ([field path, code]), a null object and nothing written. */
async function expectUserErrors(
  name: MutationName,
  input: Record<string, unknown>,
  expected: [string[], string][],
  token = acme.adminToken,
) {
  const res = await expectUnchanged(() => mutate(token, name, input));
  const payload = payloadOf(res, name);
  for (const [field, value] of Object.entries(payload)) if (field !== 'userErrors') expect(value).toBeNull();
  expect(payload.userErrors.map((e) => [e.field, e.code])).toEqual(expected);
  for (const error of payload.userErrors) expect(error.message).toMatch(/\w/);
}

/** it.each tables are built before the fixture exists, so rows naming fixture ids are thunks. */
type Change = Record<string, unknown> | (() => Record<string, unknown>);
const resolveChange = (change: Change) => (typeof change === 'function' ? change() : change);
type Cases = readonly (readonly [string, Change, readonly (readonly [readonly string[], string])[]])[];
const expected = (list: Cases[number][2]) => list as unknown as [string[], string][];

async function readNode(token: string, globalID: string, fields: string) {
  const res = await server.graphql(token, `query ($id: ID!) { node(id: $id) { id ${fields} } }`, { id: globalID });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.node;
}

const PROJECT_FIELDS =
  '... on Project { name code status addressLine1 addressLine2 city state zip country startsOn endsOn }';

describe('updateProject', () => {
  it('changes the named fields, trims text, keeps omitted ones; node and projects(status:) read it back', async () => {
    const payload = await succeeded(
      acme.adminToken,
      'updateProject',
      {
        id: id('Project', rows.renamed),
        name: '  Riverside Tower ',
        code: 'RIV-2',
        status: 'ON_HOLD',
        zip: ' 83702 ',
        country: 'US',
        startsOn: '2026-05-01',
        endsOn: '2027-05-01',
      },
      'project { id name code }',
    );
    expect(payload.project).toEqual({ id: id('Project', rows.renamed), name: 'Riverside Tower', code: 'RIV-2' });
    expect(await readNode(acme.adminToken, id('Project', rows.renamed), PROJECT_FIELDS)).toEqual({
      id: id('Project', rows.renamed),
      name: 'Riverside Tower',
      code: 'RIV-2',
      status: 'ON_HOLD',
      addressLine1: '1 River Rd',
      addressLine2: null,
      city: 'Boise',
      state: null,
      zip: '83702',
      country: 'US',
      startsOn: '2026-05-01',
      endsOn: '2027-05-01',
    });
    const onHold = await server.graphql(acme.adminToken, '{ projects(status: ON_HOLD) { edges { node { code } } } }');
    expect(onHold.body.data.projects.edges).toEqual([{ node: { code: 'RIV-2' } }]);
  });

  it('null clears an optional field, and blank text is stored as null', async () => {
    await succeeded(acme.adminToken, 'updateProject', {
      id: id('Project', rows.renamed),
      addressLine1: null,
      city: '   ',
      startsOn: null,
    });
    expect(
      await readNode(
        acme.adminToken,
        id('Project', rows.renamed),
        '... on Project { addressLine1 city startsOn endsOn }',
      ),
    ).toMatchObject({ addressLine1: null, city: null, startsOn: null, endsOn: '2027-05-01' });
  });

  it('keeping its own code is not TAKEN, and a code used only in another organisation is free', async () => {
    await succeeded(acme.adminToken, 'updateProject', { id: id('Project', rows.renamed), code: 'RIV-2' });
    const otherCode = (
      await server.db.prisma.project.findFirstOrThrow({ where: { organizationId: other.organizationId } })
    ).code;
    await succeeded(acme.adminToken, 'updateProject', { id: id('Project', rows.renamed), code: `${otherCode}-X` });
    await succeeded(other.adminToken, 'updateProject', { id: project(0, other), code: `${otherCode}-X` });
  });

  it('dates may move together past the stored ones when they stay in order', async () => {
    const dated = await server.db.prisma.project.create({
      data: {
        organizationId: acme.organizationId,
        name: 'Movable',
        code: 'MOVE',
        startsOn: new Date('2026-01-01'),
        endsOn: new Date('2026-02-01'),
      },
    });
    await succeeded(acme.adminToken, 'updateProject', {
      id: id('Project', dated.id),
      startsOn: '2026-03-01',
      endsOn: '2026-03-01',
    });
  });

  it.each([
    ['a null name', { name: null }, [[['input', 'name'], 'BLANK']]],
    ['a blank name', { name: '  ' }, [[['input', 'name'], 'BLANK']]],
    ['a name over 200 characters', { name: 'n'.repeat(201) }, [[['input', 'name'], 'TOO_LONG']]],
    ['a null code', { code: null }, [[['input', 'code'], 'BLANK']]],
    ['a blank code', { code: '' }, [[['input', 'code'], 'BLANK']]],
    ['a code over 32 characters', { code: 'C'.repeat(33) }, [[['input', 'code'], 'TOO_LONG']]],
    ['a code taken by another project', { code: 'P1' }, [[['input', 'code'], 'TAKEN']]],
    ['a null status', { status: null }, [[['input', 'status'], 'BLANK']]],
    ['a zip over 20 characters', { zip: '1'.repeat(21) }, [[['input', 'zip'], 'TOO_LONG']]],
    [
      'endsOn before startsOn, both given',
      { startsOn: '2026-08-02', endsOn: '2026-08-01' },
      [[['input', 'endsOn'], 'DATES_OUT_OF_ORDER']],
    ],
    ['endsOn before the stored startsOn', { endsOn: '2026-06-30' }, [[['input', 'endsOn'], 'DATES_OUT_OF_ORDER']]],
    ['startsOn after the stored endsOn', { startsOn: '2027-01-01' }, [[['input', 'startsOn'], 'DATES_OUT_OF_ORDER']]],
    [
      'several malformed fields at once',
      { name: '', code: 'C'.repeat(40), city: 'c'.repeat(101) },
      [
        [['input', 'name'], 'BLANK'],
        [['input', 'code'], 'TOO_LONG'],
        [['input', 'city'], 'TOO_LONG'],
      ],
    ],
    [
      'a taken code and dates out of order at once',
      { code: 'P0', endsOn: '2026-01-01' },
      [
        [['input', 'endsOn'], 'DATES_OUT_OF_ORDER'],
        [['input', 'code'], 'TAKEN'],
      ],
    ],
  ] as Cases)('answers %s with userErrors and changes nothing', async (_case, change, list) => {
    await expectUserErrors(
      'updateProject',
      { id: id('Project', rows.dated), ...resolveChange(change) },
      expected(list),
    );
  });

  it('an id of another type is BAD_USER_INPUT, not a server error', async () => {
    const res = await expectUnchanged(() => mutate(acme.adminToken, 'updateProject', { id: person(0), name: 'X' }));
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('updatePerson', () => {
  it('changes the named fields (email lower-cased); node and people(search:) read it back', async () => {
    const payload = await succeeded(
      acme.adminToken,
      'updatePerson',
      {
        id: id('Person', rows.mover),
        name: ' Mo Vera ',
        email: 'Mo.Vera@Acme.TEST',
        employeeId: ' EZ-77 ',
        title: 'Superintendent',
        department: 'Field',
        managerId: person(0),
      },
      'person { id email }',
    );
    expect(payload.person).toEqual({ id: id('Person', rows.mover), email: 'mo.vera@acme.test' });
    expect(
      await readNode(
        acme.adminToken,
        id('Person', rows.mover),
        '... on Person { name email employeeId title department manager { id } }',
      ),
    ).toMatchObject({
      name: 'Mo Vera',
      email: 'mo.vera@acme.test',
      employeeId: 'EZ-77',
      title: 'Superintendent',
      department: 'Field',
      manager: { id: person(0) },
    });
    // Not a hex string: emails here contain organisation UUIDs, which a search is a substring match on.
    const found = await server.graphql(
      acme.adminToken,
      '{ people(search: "EZ-77") { edges { node { id } } } reports: node(id: "' +
        person(0) +
        '") { ... on Person { reports { edges { node { id } } } } } }',
    );
    expect(found.body.data.people.edges).toEqual([{ node: { id: id('Person', rows.mover) } }]);
    expect(found.body.data.reports.reports.edges).toContainEqual({ node: { id: id('Person', rows.mover) } });
  });

  it('null clears optional fields and the manager; omitted fields stay', async () => {
    await succeeded(acme.adminToken, 'updatePerson', {
      id: id('Person', rows.mover),
      employeeId: null,
      title: null,
      managerId: null,
    });
    expect(
      await readNode(
        acme.adminToken,
        id('Person', rows.mover),
        '... on Person { name email employeeId title department manager { id } }',
      ),
    ).toMatchObject({
      name: 'Mo Vera',
      email: 'mo.vera@acme.test',
      employeeId: null,
      title: null,
      department: 'Field',
      manager: null,
    });
  });

  it('its own email in another case and its own employee id are not TAKEN', async () => {
    await succeeded(acme.adminToken, 'updatePerson', { id: id('Person', rows.mover), employeeId: 'E-78' });
    const payload = await succeeded(
      acme.adminToken,
      'updatePerson',
      { id: id('Person', rows.mover), email: 'MO.VERA@acme.test', employeeId: 'E-78' },
      'person { email employeeId }',
    );
    expect(payload.person).toEqual({ email: 'mo.vera@acme.test', employeeId: 'E-78' });
  });

  it('a manager may move within the chain when no cycle results (lead reports to the ceo directly)', async () => {
    const extra = await server.db.prisma.person.create({
      data: { organizationId: acme.organizationId, name: 'temp', email: 'temp@acme.test', managerId: rows.lead },
    });
    await succeeded(acme.adminToken, 'updatePerson', { id: id('Person', extra.id), managerId: id('Person', rows.ceo) });
    const read = await readNode(acme.adminToken, id('Person', extra.id), '... on Person { manager { id } }');
    expect(read.manager).toEqual({ id: id('Person', rows.ceo) });
  });

  it.each([
    ['a null name', { name: null }, [[['input', 'name'], 'BLANK']]],
    ['a blank name', { name: ' ' }, [[['input', 'name'], 'BLANK']]],
    ['a null email', { email: null }, [[['input', 'email'], 'BLANK']]],
    ['a title over 200 characters', { title: 't'.repeat(201) }, [[['input', 'title'], 'TOO_LONG']]],
    ['an employee id over 64 characters', { employeeId: 'e'.repeat(65) }, [[['input', 'employeeId'], 'TOO_LONG']]],
    ["another person's email, in another case", { email: 'VP@acme.test' }, [[['input', 'email'], 'TAKEN']]],
    ['itself as manager', () => ({ managerId: id('Person', rows.ceo) }), [[['input', 'managerId'], 'INVALID']]],
    [
      'its direct report as manager (a two-person cycle)',
      () => ({ managerId: id('Person', rows.vp) }),
      [[['input', 'managerId'], 'INVALID']],
    ],
    [
      'a report of its report as manager (a longer cycle)',
      () => ({ managerId: id('Person', rows.lead) }),
      [[['input', 'managerId'], 'INVALID']],
    ],
    [
      "another organisation's person as manager",
      () => ({ managerId: person(0, other) }),
      [[['input', 'managerId'], 'NOT_FOUND']],
    ],
    [
      'a taken email and a cycle at once',
      () => ({ email: 'lead@acme.test', managerId: id('Person', rows.lead) }),
      [
        [['input', 'email'], 'TAKEN'],
        [['input', 'managerId'], 'INVALID'],
      ],
    ],
  ] as Cases)('updating the ceo with %s answers userErrors and changes nothing', async (_case, change, list) => {
    await expectUserErrors('updatePerson', { id: id('Person', rows.ceo), ...resolveChange(change) }, expected(list));
  });

  it('a taken employee id is TAKEN; with a taken email both are reported', async () => {
    await server.db.prisma.person.update({ where: { id: rows.lead }, data: { employeeId: 'E-LEAD' } });
    await expectUserErrors('updatePerson', { id: id('Person', rows.vp), employeeId: 'E-LEAD' }, [
      [['input', 'employeeId'], 'TAKEN'],
    ]);
    await expectUserErrors(
      'updatePerson',
      { id: id('Person', rows.vp), employeeId: 'E-LEAD', email: 'ceo@acme.test' },
      [
        [['input', 'email'], 'TAKEN'],
        [['input', 'employeeId'], 'TAKEN'],
      ],
    );
  });

  it('a malformed email is BAD_USER_INPUT and changes nothing', async () => {
    const res = await expectUnchanged(() =>
      mutate(acme.adminToken, 'updatePerson', { id: id('Person', rows.vp), email: 'not-an-email' }),
    );
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('concurrent changes that together would make a cycle: one succeeds, the other is INVALID', async () => {
    const make = (name: string) =>
      server.db.prisma.person.create({
        data: { organizationId: acme.organizationId, name, email: `${name}@acme.test` },
      });
    // Several rounds: a single pair may happen not to overlap.
    for (let round = 0; round < 5; round++) {
      const [a, b] = [await make(`racer-a${round}`), await make(`racer-b${round}`)];
      const results = await Promise.all([
        mutate(acme.adminToken, 'updatePerson', { id: id('Person', a.id), managerId: id('Person', b.id) }),
        mutate(acme.adminToken, 'updatePerson', { id: id('Person', b.id), managerId: id('Person', a.id) }),
      ]);
      const payloads = results.map((res) => payloadOf(res, 'updatePerson'));
      expect(payloads.filter((p) => p.person !== null)).toHaveLength(1);
      expect(payloads.flatMap((p) => p.userErrors.map((e) => [e.field, e.code]))).toEqual([
        [['input', 'managerId'], 'INVALID'],
      ]);
      const stored = await server.db.prisma.person.findMany({
        where: { id: { in: [a.id, b.id] } },
        select: { managerId: true },
      });
      expect(stored.filter((p) => p.managerId !== null)).toHaveLength(1);
    }
  });
});

describe('addConversationResponse', () => {
  let conversationSeq = 0;
  /** A fresh SCHEDULED conversation with the two-question template and people 0 and 1. */
  async function scheduledConversation() {
    const conversation = await server.db.prisma.conversation.create({
      data: {
        organizationId: acme.organizationId,
        projectId: acme.projectIds[0],
        templateId: rows.template,
        scheduledFor: new Date(Date.UTC(2026, 6, 1 + ++conversationSeq)),
        participants: { connect: [{ id: acme.personIds[0] }, { id: acme.personIds[1] }] },
      },
    });
    return id('Conversation', conversation.id);
  }

  /** The question ids as a client sees them: `ConversationTemplate.questions { id }`. */
  async function questionIds(): Promise<string[]> {
    const read = await readNode(
      acme.adminToken,
      id('ConversationTemplate', rows.template),
      '... on ConversationTemplate { questions { id } }',
    );
    return read.questions.map((q: { id: string }) => q.id);
  }

  it('records an answer; the first one moves the conversation to IN_PROGRESS; node reads the responses back', async () => {
    const conversationId = await scheduledConversation();
    const [q0, q1] = await questionIds();
    expect([q0, q1]).toEqual(rows.questions);
    const selection =
      'conversation { id status } response { id answer createdAt question { id text } respondent { id } }';
    const first = await succeeded(
      acme.adminToken,
      'addConversationResponse',
      { conversationId, questionId: q0, respondentId: person(0), answer: '  The crane arrived on time. ' },
      selection,
    );
    expect(first.conversation).toEqual({ id: conversationId, status: 'IN_PROGRESS' });
    expect(first.response).toMatchObject({
      answer: 'The crane arrived on time.',
      createdAt: expect.any(String),
      question: { id: q0, text: 'What went well?' },
      respondent: { id: person(0) },
    });
    const second = await succeeded(
      acme.adminToken,
      'addConversationResponse',
      { conversationId, questionId: q1, respondentId: person(1), answer: 'x'.repeat(5000) },
      selection,
    );
    expect(second.conversation.status).toBe('IN_PROGRESS');
    // The same question answered by another participant is fine too.
    await succeeded(acme.adminToken, 'addConversationResponse', {
      conversationId,
      questionId: q0,
      respondentId: person(1),
      answer: 'Yes',
    });

    const read = await readNode(
      acme.adminToken,
      conversationId,
      '... on Conversation { status responses { id answer question { id } respondent { id } } }',
    );
    expect(read.status).toBe('IN_PROGRESS');
    expect(read.responses).toEqual([
      {
        id: first.response.id,
        answer: 'The crane arrived on time.',
        question: { id: q0 },
        respondent: { id: person(0) },
      },
      { id: second.response.id, answer: 'x'.repeat(5000), question: { id: q1 }, respondent: { id: person(1) } },
      { id: expect.any(String), answer: 'Yes', question: { id: q0 }, respondent: { id: person(1) } },
    ]);
    const inProgress = await server.graphql(
      acme.adminToken,
      '{ conversations(status: IN_PROGRESS) { edges { node { id } } } }',
    );
    expect(inProgress.body.data.conversations.edges).toContainEqual({ node: { id: conversationId } });
  });

  it('an IN_PROGRESS conversation stays IN_PROGRESS', async () => {
    const conversationId = await scheduledConversation();
    await server.db.prisma.conversation.update({
      where: { id: Buffer.from(conversationId, 'base64url').toString().split(':')[1] },
      data: { status: 'IN_PROGRESS' },
    });
    const payload = await succeeded(
      acme.adminToken,
      'addConversationResponse',
      { conversationId, questionId: rows.questions[0], respondentId: person(0), answer: 'ok' },
      'conversation { status }',
    );
    expect(payload.conversation.status).toBe('IN_PROGRESS');
  });

  it.each([
    ['a blank answer', { answer: '   ' }, [[['input', 'answer'], 'BLANK']]],
    ['an answer over 5000 characters', { answer: 'a'.repeat(5001) }, [[['input', 'answer'], 'TOO_LONG']]],
    ['a question id that is not a UUID', { questionId: 'question-1' }, [[['input', 'questionId'], 'NOT_FOUND']]],
    ['a global id as question id', () => ({ questionId: person(0) }), [[['input', 'questionId'], 'NOT_FOUND']]],
    ['an unknown question id', () => ({ questionId: randomUUID() }), [[['input', 'questionId'], 'NOT_FOUND']]],
    [
      "a question of another of the organisation's templates",
      () => ({ questionId: rows.checkInQuestion }),
      [[['input', 'questionId'], 'INVALID']],
    ],
    [
      "a question of another organisation's template",
      () => ({ questionId: rows.otherOrgQuestion }),
      [[['input', 'questionId'], 'NOT_FOUND']],
    ],
    [
      'a respondent who is not a participant',
      () => ({ respondentId: person(2) }),
      [[['input', 'respondentId'], 'INVALID']],
    ],
    [
      "another organisation's person as respondent",
      () => ({ respondentId: person(0, other) }),
      [[['input', 'respondentId'], 'NOT_FOUND']],
    ],
    [
      'a wrong question and a non-participant at once',
      () => ({ questionId: rows.checkInQuestion, respondentId: person(3) }),
      [
        [['input', 'questionId'], 'INVALID'],
        [['input', 'respondentId'], 'INVALID'],
      ],
    ],
  ] as Cases)('answers %s with userErrors; no response, status still SCHEDULED', async (_case, change, list) => {
    const conversationId = await scheduledConversation();
    await expectUserErrors(
      'addConversationResponse',
      {
        conversationId,
        questionId: rows.questions[0],
        respondentId: person(0),
        answer: 'Fine',
        ...resolveChange(change),
      },
      expected(list),
    );
  });

  it('a second answer by the same respondent to the same question is TAKEN', async () => {
    const conversationId = await scheduledConversation();
    const input = { conversationId, questionId: rows.questions[1], respondentId: person(1), answer: 'First' };
    await succeeded(acme.adminToken, 'addConversationResponse', input);
    await expectUserErrors('addConversationResponse', { ...input, answer: 'Second' }, [
      [['input', 'questionId'], 'TAKEN'],
    ]);
  });

  it('three concurrent identical answers: one response, two TAKEN', async () => {
    const conversationId = await scheduledConversation();
    const input = { conversationId, questionId: rows.questions[0], respondentId: person(0), answer: 'Racing' };
    const results = await Promise.all([0, 1, 2].map(() => mutate(acme.adminToken, 'addConversationResponse', input)));
    const payloads = results.map((res) => payloadOf(res, 'addConversationResponse'));
    expect(payloads.filter((p) => p.response !== null)).toHaveLength(1);
    expect(payloads.flatMap((p) => p.userErrors.map((e) => e.code))).toEqual(['TAKEN', 'TAKEN']);
    expect(await server.db.prisma.conversationResponse.count({ where: { answer: 'Racing' } })).toBe(1);
  });

  it('a COMPLETED conversation takes no more responses (INVALID)', async () => {
    await expectUserErrors(
      'addConversationResponse',
      {
        conversationId: id('Conversation', rows.completed),
        questionId: rows.questions[0],
        respondentId: person(0),
        answer: 'Late',
      },
      [[['input', 'conversationId'], 'INVALID']],
    );
  });

  it('rolls back the response when the status change fails: nothing is half-written', async () => {
    const conversationId = await scheduledConversation();
    const prisma = server.db.prisma;
    await prisma.$executeRawUnsafe(
      `CREATE FUNCTION admin_writes_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`,
    );
    await prisma.$executeRawUnsafe(
      `CREATE TRIGGER admin_writes_fail BEFORE UPDATE ON "Conversation" FOR EACH ROW EXECUTE FUNCTION admin_writes_fail()`,
    );
    try {
      const res = await expectUnchanged(() =>
        mutate(acme.adminToken, 'addConversationResponse', {
          conversationId,
          questionId: rows.questions[0],
          respondentId: person(0),
          answer: 'Never stored',
        }),
      );
      expect(res.status).toBe(500);
      expect(res.body.errors.map((e) => e.extensions.code)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(JSON.stringify(res.body)).not.toContain('injected failure');
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER admin_writes_fail ON "Conversation"`);
      await prisma.$executeRawUnsafe(`DROP FUNCTION admin_writes_fail()`);
    }
    expect(await prisma.conversationResponse.count({ where: { answer: 'Never stored' } })).toBe(0);
    // Without the fault the same input goes through.
    await succeeded(acme.adminToken, 'addConversationResponse', {
      conversationId,
      questionId: rows.questions[0],
      respondentId: person(0),
      answer: 'Stored',
    });
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
