import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOnlyMutationKit, type Cases } from '../../../test/support/admin-only-mutations.ts';
import { globalId, scenarioIds, writeScenario, type OrganizationScenario } from '../../../test/support/scenarios.ts';
import type { TestServer } from '../../../test/support/server.ts';

/*
 * addConversationResponse: answers to the questions of a conversation (admins only). Through HTTP; the fixture and the "nothing written" snapshots use Prisma directly.
 */

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
const clock = new Date('2026-06-01T12:00:00Z');

/** Fixture rows made directly in the database (raw uuids). */
const rows = {
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

beforeAll(async () => {
  ({ server, acme, other } = await writeScenario({ now: () => clock }));
  const prisma = server.db.prisma;
  const organizationId = acme.organizationId;
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

const id = globalId;
/** People: 2p is the owner of project p, 2p + 1 a peer reporting to them. */
const { person } = scenarioIds(() => acme);
const { mutate, succeeded, payloadOf, expectUnchanged, expectUserErrors, resolveChange, expected, readNode } =
  adminOnlyMutationKit(
    () => server,
    () => acme,
  );

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
