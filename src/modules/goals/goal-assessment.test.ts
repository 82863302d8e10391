import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutationHelpers } from '../../../test/support/mutations.ts';
import { apiKeyFixture, globalId, writeScenario, type OrganizationScenario } from '../../../test/support/scenarios.ts';
import type { TestServer } from '../../../test/support/server.ts';
import { createAdmin } from '../admins/admin.service.ts';

/*
 * createGoalAssessment and Goal.assessments: who may assess (admins, keys that allow writes
 * on the goal's project), the userErrors, the assessor, and who may read them.
 */

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
let keys: Record<'readOnly' | 'writer', string>;
/** A key that allows writes on Acme's project 1 only. */
let elsewhere: string;
/** Acme's scenario goal of project 0 (the keys' project). */
let goalId: string;

beforeAll(async () => {
  ({ server, acme, other, keys } = await writeScenario());
  elsewhere = (
    await apiKeyFixture(server.db.prisma, acme.organizationId, { projectIds: [acme.projectIds[1]], allowWrites: true })
  ).token;
  goalId = globalId('Goal', acme.goalIds[0]);
});
afterAll(() => server?.close());

const ACTOR = `__typename ... on Person { id name } ... on ApiKeyActor { name keyId } ... on AdminActor { name }`;
const MUTATIONS = {
  createGoalAssessment: `goal { id } goalAssessment { id score rating comment periodStart periodEnd assessor { ${ACTOR} } createdAt goal { id } }`,
} as const;

const { succeeded, expectUserErrors, expectRefused } = mutationHelpers({
  server: () => server,
  selections: MUTATIONS,
  snapshot: () => server.db.prisma.goalAssessment.findMany({ orderBy: { id: 'asc' } }),
});

const assess = (token: string, input: Record<string, unknown>) =>
  succeeded(token, 'createGoalAssessment', {
    goalId,
    periodStart: '2026-01-01',
    periodEnd: '2026-03-31',
    ...input,
  });

async function assessments(token: string, id = goalId) {
  const res = await server.graphql(
    token,
    `query ($id: ID!) { node(id: $id) { ... on Goal { assessments { totalCount edges { node {
      id score rating periodEnd assessor { ${ACTOR} } } } } } } }`,
    { id },
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data.node?.assessments ?? null;
}

describe('createGoalAssessment', () => {
  it('a writing key assesses a goal of its project with a score and a rating; the key is the assessor', async () => {
    const payload = await assess(keys.writer, { score: 72, rating: 'MEETS', comment: '  On plan.  ' });
    expect(payload.goal).toEqual({ id: goalId });
    expect(payload.goalAssessment).toEqual({
      id: expect.any(String),
      score: 72,
      rating: 'MEETS',
      comment: 'On plan.',
      periodStart: '2026-01-01',
      periodEnd: '2026-03-31',
      assessor: {
        __typename: 'ApiKeyActor',
        name: expect.stringMatching(/^fixture key /),
        keyId: keys.writer.split('_')[1],
      },
      createdAt: expect.any(String),
      goal: { id: goalId },
    });
    const node = await server.graphql(
      keys.readOnly,
      `query ($id: ID!) { node(id: $id) { ... on GoalAssessment { score } } }`,
      {
        id: payload.goalAssessment.id,
      },
    );
    expect(node.body.data.node).toEqual({ score: 72 });
  });

  it('a score alone, a rating alone, a period of one day, score 0 and 100', async () => {
    expect((await assess(acme.adminToken, { score: 0 })).goalAssessment).toMatchObject({ score: 0, rating: null });
    expect((await assess(acme.adminToken, { score: 100 })).goalAssessment).toMatchObject({ score: 100 });
    const rated = await assess(acme.adminToken, {
      rating: 'EXCEEDS',
      periodStart: '2026-04-01',
      periodEnd: '2026-04-01',
    });
    expect(rated.goalAssessment).toMatchObject({
      score: null,
      rating: 'EXCEEDS',
      comment: null,
      periodEnd: '2026-04-01',
    });
  });

  it("an admin's assessor is the directory person with their email, else the admin", async () => {
    const goal = globalId('Goal', acme.goalIds[1]);
    const anonymous = await succeeded(acme.adminToken, 'createGoalAssessment', {
      goalId: goal,
      score: 50,
      periodStart: '2026-01-01',
      periodEnd: '2026-01-31',
    });
    expect(anonymous.goalAssessment.assessor).toEqual({ __typename: 'AdminActor', name: 'An administrator' });
    const me = await server.db.prisma.person.create({
      data: { organizationId: acme.organizationId, name: 'Acme Owner', email: 'OWNER@acme.test' },
    });
    try {
      const authored = await succeeded(acme.adminToken, 'createGoalAssessment', {
        goalId: goal,
        score: 60,
        periodStart: '2026-02-01',
        periodEnd: '2026-02-28',
      });
      expect(authored.goalAssessment.assessor).toEqual({
        __typename: 'Person',
        id: globalId('Person', me.id),
        name: 'Acme Owner',
      });
      // Newest period first; the key of project 1 sees the assessor person through the assessment.
      const list = await assessments(elsewhere, goal);
      expect(list.edges.map((e: any) => [e.node.score, e.node.periodEnd, e.node.assessor.__typename])).toEqual([
        [60, '2026-02-28', 'Person'],
        [50, '2026-01-31', 'AdminActor'],
      ]);
    } finally {
      await server.db.prisma.goalAssessment.updateMany({ where: { assessorId: me.id }, data: { assessorId: null } });
      await server.db.prisma.person.delete({ where: { id: me.id } });
    }
  });

  it.each([
    ['neither a score nor a rating', {}, [[['input', 'score'], 'BLANK']]],
    ['a score under 0', { score: -1 }, [[['input', 'score'], 'OUT_OF_RANGE']]],
    ['a score over 100', { score: 101, rating: 'MEETS' }, [[['input', 'score'], 'OUT_OF_RANGE']]],
    [
      'a period that ends before it starts',
      { score: 50, periodStart: '2026-03-01', periodEnd: '2026-02-28' },
      [[['input', 'periodEnd'], 'DATES_OUT_OF_ORDER']],
    ],
    [
      'a comment over 5000 characters',
      { rating: 'MEETS', comment: 'c'.repeat(5001) },
      [[['input', 'comment'], 'TOO_LONG']],
    ],
  ] as const)('%s: userErrors, nothing written', async (_name, input, expected) => {
    await expectUserErrors(
      keys.writer,
      'createGoalAssessment',
      { goalId, periodStart: '2026-01-01', periodEnd: '2026-03-31', ...input },
      expected as unknown as [string[], string][],
    );
  });

  it('a read-only key is FORBIDDEN; nothing written', async () => {
    await expectRefused(
      keys.readOnly,
      'createGoalAssessment',
      { goalId, score: 50, periodStart: '2026-01-01', periodEnd: '2026-01-31' },
      'FORBIDDEN',
    );
  });

  it("a key outside the goal's project is NOT_FOUND; nothing written", async () => {
    await expectRefused(
      elsewhere,
      'createGoalAssessment',
      { goalId, score: 50, periodStart: '2026-01-01', periodEnd: '2026-01-31' },
      'NOT_FOUND',
    );
  });

  it("a project admin assesses goals of their project only; another project's goal is NOT_FOUND", async () => {
    const { token } = await createAdmin(server.db.prisma, {
      organizationId: acme.organizationId,
      email: 'site@acme.test',
      name: 'Site Admin',
      role: 'PROJECT_ADMIN',
      projects: [acme.projectIds[1]],
    });
    const period = { score: 50, periodStart: '2026-01-01', periodEnd: '2026-01-31' };
    await expectRefused(token, 'createGoalAssessment', { goalId, ...period }, 'NOT_FOUND');
    expect(await assessments(token)).toBeNull();
    const theirs = await succeeded(token, 'createGoalAssessment', {
      goalId: globalId('Goal', acme.goalIds[1]),
      ...period,
    });
    expect(theirs.goalAssessment.assessor).toEqual({ __typename: 'AdminActor', name: 'Site Admin' });
  });

  it("another organisation's admin is NOT_FOUND; nothing written", async () => {
    await expectRefused(
      other.adminToken,
      'createGoalAssessment',
      { goalId, score: 50, periodStart: '2026-01-01', periodEnd: '2026-01-31' },
      'NOT_FOUND',
    );
  });
});

describe('Goal.assessments', () => {
  it('a key outside the project and another organisation cannot read them (the goal and the node are absent)', async () => {
    const { goalAssessment } = await assess(acme.adminToken, { score: 10 });
    expect((await assessments(keys.readOnly)).totalCount).toBeGreaterThan(0);
    expect(await assessments(elsewhere)).toBeNull();
    expect(await assessments(other.adminToken)).toBeNull();
    for (const token of [elsewhere, other.adminToken]) {
      const res = await server.graphql(token, `query ($id: ID!) { node(id: $id) { id } }`, { id: goalAssessment.id });
      expect(res.body.data.node).toBeNull();
    }
  });
});
