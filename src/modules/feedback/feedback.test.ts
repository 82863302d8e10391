import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { createAdmin } from '../admins/admin.service.ts';
import { mutationHelpers, readNode, resolveChange, type Change } from '../../../test/support/mutations.ts';
import { globalId, scenarioIds, writeScenario, type WriteScenario } from '../../../test/support/scenarios.ts';
import { rowCounts } from '../../../test/support/snapshots.ts';

/*
 * createFeedbackTemplate and createFeedback: admin-only writes, read back through the API;
 * every bad input answers userErrors and writes nothing; keys and project admins are refused.
 * Through HTTP; the fixture and the "nothing written" row counts use Prisma directly.
 */

let s: WriteScenario;
let projectAdminToken: string;
/** Acme's "Site review" template (3 questions) and "Other form" (1 question), and Other's template. */
let review: { id: string; questions: string[] };
let otherForm: { id: string; questions: string[] };
let foreign: { id: string; questions: string[] };

async function template(prisma: PrismaClient, organizationId: string, name: string, questions: string[]) {
  const row = await prisma.feedbackTemplate.create({
    data: { organizationId, name, questions: { create: questions.map((text, position) => ({ text, position })) } },
    include: { questions: { orderBy: { position: 'asc' } } },
  });
  return { id: row.id, questions: row.questions.map((q) => q.id) };
}

beforeAll(async () => {
  s = await writeScenario();
  const prisma = s.server.db.prisma;
  review = await template(prisma, s.acme.organizationId, 'Site review', ['Safety?', 'Quality?', 'Teamwork?']);
  otherForm = await template(prisma, s.acme.organizationId, 'Other form', ['Anything else?']);
  foreign = await template(prisma, s.other.organizationId, 'Site review', ['Safety?']);
  projectAdminToken = (
    await createAdmin(prisma, {
      organizationName: 'Acme',
      email: 'pa@acme.test',
      role: 'PROJECT_ADMIN',
      projects: [s.acme.projectIds[0]],
    })
  ).token;
});
afterAll(() => s?.server.close());

const { project, person } = scenarioIds(() => s.acme);
const goal = (i: number, org = () => s.acme) => globalId('Goal', org().goalIds[i]);
const tmpl = (t: () => { id: string }) => globalId('FeedbackTemplate', t().id);

/** Every row count, feedback included: what "nothing written" compares. */
async function snapshot() {
  const p = s.server.db.prisma;
  return {
    ...(await rowCounts(p)),
    feedbackTemplates: await p.feedbackTemplate.count(),
    feedbackQuestions: await p.feedbackQuestion.count(),
    feedback: await p.feedback.count(),
    feedbackResponses: await p.feedbackResponse.count(),
  };
}

const { succeeded, expectUserErrors, expectRefused } = mutationHelpers({
  server: () => s.server,
  selections: { createFeedbackTemplate: 'feedbackTemplate { id }', createFeedback: 'feedback { id }' },
  snapshot,
});

let serial = 0;
const validTemplate = () => ({ name: `Template ${++serial}`, questions: ['How did it go?'] });
const validFeedback = () => ({
  templateId: tmpl(() => review),
  giverId: person(0),
  subjectId: person(1),
  responses: [{ questionId: review.questions[0], answer: 'Spotless.' }],
});

describe('createFeedbackTemplate', () => {
  it('creates a template with its questions in order; node reads it back', async () => {
    const payload = await succeeded(
      s.acme.adminToken,
      'createFeedbackTemplate',
      { name: ' Peer review ', questions: ['What went well?', ' What could be better? ', 'Anything else?'] },
      'feedbackTemplate { id name }',
    );
    expect(payload.feedbackTemplate.name).toBe('Peer review');
    const read = await readNode(
      s.server,
      s.acme.adminToken,
      payload.feedbackTemplate.id,
      '... on FeedbackTemplate { name createdAt questions { position text } }',
    );
    expect(read.questions).toEqual([
      { position: 0, text: 'What went well?' },
      { position: 1, text: 'What could be better?' },
      { position: 2, text: 'Anything else?' },
    ]);
    expect(Date.parse(read.createdAt)).not.toBeNaN();
  });

  it('the name is free in another organisation', async () => {
    await succeeded(s.other.adminToken, 'createFeedbackTemplate', { name: 'Other form', questions: ['A?'] });
  });

  it.each([
    ['a name already used in the organisation', { name: 'Site review' }, [[['input', 'name'], 'TAKEN']]],
    ['a blank name', { name: '  ' }, [[['input', 'name'], 'BLANK']]],
    ['no question', { questions: [] }, [[['input', 'questions'], 'BLANK']]],
    [
      '21 questions',
      { questions: Array.from({ length: 21 }, (_, i) => `Q${i}?`) },
      [[['input', 'questions'], 'TOO_LONG']],
    ],
    ['a blank question', { questions: ['Fine?', ' '] }, [[['input', 'questions', '1'], 'BLANK']]],
    ['a question over 1000 characters', { questions: ['q'.repeat(1001)] }, [[['input', 'questions', '0'], 'TOO_LONG']]],
  ] as const)('answers %s with userErrors and writes nothing', async (_case, change, expected) => {
    await expectUserErrors(
      s.acme.adminToken,
      'createFeedbackTemplate',
      { ...validTemplate(), ...change },
      expected as unknown as [string[], string][],
    );
  });

  it('accepts 20 questions', async () => {
    await succeeded(s.acme.adminToken, 'createFeedbackTemplate', {
      name: 'Long form',
      questions: Array.from({ length: 20 }, (_, i) => `Q${i}?`),
    });
  });
});

describe('createFeedback', () => {
  it("records feedback on a goal, tied to the goal's project; node reads everything back", async () => {
    const payload = await succeeded(
      s.acme.adminToken,
      'createFeedback',
      {
        templateId: tmpl(() => review),
        giverId: person(0),
        subjectId: person(1),
        goalId: goal(1),
        responses: [
          { questionId: review.questions[2], answer: ' Helped everyone. ' },
          { questionId: review.questions[0], answer: 'Always wears a harness.' },
        ],
      },
      'feedback { id createdAt updatedAt }',
    );
    expect(payload.feedback.updatedAt).toBe(payload.feedback.createdAt);
    const read = await readNode(
      s.server,
      s.acme.adminToken,
      payload.feedback.id,
      `... on Feedback { template { id name } giver { id } subject { id } project { id } goal { id }
         responses { question { position text } answer } }`,
    );
    expect(read).toMatchObject({
      template: { id: tmpl(() => review), name: 'Site review' },
      giver: { id: person(0) },
      subject: { id: person(1) },
      project: { id: project(1) },
      goal: { id: goal(1) },
    });
    expect(read.responses).toEqual([
      { question: { position: 0, text: 'Safety?' }, answer: 'Always wears a harness.' },
      { question: { position: 2, text: 'Teamwork?' }, answer: 'Helped everyone.' },
    ]);
    const listed = await s.server.graphql(
      s.acme.adminToken,
      'query ($id: ID) { feedback(subjectId: $id) { edges { node { id } } } }',
      { id: person(1) },
    );
    expect(listed.body.data.feedback.edges).toEqual([{ node: { id: payload.feedback.id } }]);
  });

  it('with the goal and its own project named, or with neither (then tied to no project)', async () => {
    await succeeded(s.acme.adminToken, 'createFeedback', {
      ...validFeedback(),
      goalId: goal(0),
      projectId: project(0),
    });
    const loose = await succeeded(
      s.acme.adminToken,
      'createFeedback',
      validFeedback(),
      'feedback { project { id } goal { id } }',
    );
    expect(loose.feedback).toEqual({ project: null, goal: null });
  });

  it.each([
    ['the giver as subject', { subjectId: '$person0' }, [[['input', 'subjectId'], 'INVALID']]],
    ['no response', { responses: [] }, [[['input', 'responses'], 'BLANK']]],
    [
      'a blank answer',
      () => ({ responses: [{ questionId: review.questions[0], answer: '  ' }] }),
      [[['input', 'responses', '0', 'answer'], 'BLANK']],
    ],
    [
      'an answer over 5000 characters',
      () => ({ responses: [{ questionId: review.questions[0], answer: 'a'.repeat(5001) }] }),
      [[['input', 'responses', '0', 'answer'], 'TOO_LONG']],
    ],
    [
      'a question answered twice',
      () => ({
        responses: [
          { questionId: review.questions[1], answer: 'Good.' },
          { questionId: review.questions[1], answer: 'Very good.' },
        ],
      }),
      [[['input', 'responses', '1', 'questionId'], 'INVALID']],
    ],
    [
      "another template's question",
      () => ({ responses: [{ questionId: otherForm.questions[0], answer: 'Fine.' }] }),
      [[['input', 'responses', '0', 'questionId'], 'INVALID']],
    ],
    [
      "another organisation's question",
      () => ({ responses: [{ questionId: foreign.questions[0], answer: 'Fine.' }] }),
      [[['input', 'responses', '0', 'questionId'], 'NOT_FOUND']],
    ],
    [
      'a made-up question id',
      { responses: [{ questionId: '0190a5c2-0000-7000-8000-000000000000', answer: 'Fine.' }] },
      [[['input', 'responses', '0', 'questionId'], 'NOT_FOUND']],
    ],
    [
      'a question id that is no uuid',
      { responses: [{ questionId: 'safety', answer: 'Fine.' }] },
      [[['input', 'responses', '0', 'questionId'], 'NOT_FOUND']],
    ],
    [
      "a project other than the goal's",
      () => ({ goalId: goal(0), projectId: project(1) }),
      [[['input', 'projectId'], 'INVALID']],
    ],
    [
      "another organisation's template",
      () => ({ templateId: tmpl(() => foreign) }),
      [[['input', 'templateId'], 'NOT_FOUND']],
    ],
    ["another organisation's giver", () => ({ giverId: person(0, s.other) }), [[['input', 'giverId'], 'NOT_FOUND']]],
    [
      "another organisation's subject",
      () => ({ subjectId: person(0, s.other) }),
      [[['input', 'subjectId'], 'NOT_FOUND']],
    ],
    [
      "another organisation's project",
      () => ({ projectId: project(0, s.other) }),
      [[['input', 'projectId'], 'NOT_FOUND']],
    ],
    ["another organisation's goal", () => ({ goalId: goal(0, () => s.other) }), [[['input', 'goalId'], 'NOT_FOUND']]],
  ] as const)('answers %s with userErrors and writes nothing', async (_case, change, expected) => {
    const resolved = resolveChange(change as Change);
    if (resolved.subjectId === '$person0') resolved.subjectId = person(0);
    await expectUserErrors(
      s.acme.adminToken,
      'createFeedback',
      { ...validFeedback(), ...resolved },
      expected as unknown as [string[], string][],
    );
  });
});

describe('who may write feedback', () => {
  const writes = [
    ['createFeedbackTemplate', validTemplate],
    ['createFeedback', () => ({ ...validFeedback(), projectId: project(0) })],
  ] as const;

  it.each(writes)(
    '%s: a key that allows writes (on the project) is FORBIDDEN (403), nothing written',
    async (name, input) => {
      await expectRefused(s.keys.writer, name, input(), 'FORBIDDEN');
      await expectRefused(s.keys.readOnly, name, input(), 'FORBIDDEN');
    },
  );

  it.each(writes)('%s: a project admin is FORBIDDEN, nothing written', async (name, input) => {
    await expectRefused(projectAdminToken, name, input(), 'FORBIDDEN');
  });

  it("another organisation's admin gets NOT_FOUND for Acme's references, and nothing written", async () => {
    await expectUserErrors(s.other.adminToken, 'createFeedback', { ...validFeedback(), projectId: project(0) }, [
      [['input', 'templateId'], 'NOT_FOUND'],
      [['input', 'giverId'], 'NOT_FOUND'],
      [['input', 'subjectId'], 'NOT_FOUND'],
      [['input', 'projectId'], 'NOT_FOUND'],
      [['input', 'responses', '0', 'questionId'], 'NOT_FOUND'],
    ]);
  });
});
