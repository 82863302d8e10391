import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executedStatements } from '../../../test/support/database.ts';
import {
  apiKeyFixture,
  globalId,
  organizationWith,
  type OrganizationScenario,
} from '../../../test/support/scenarios.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { seedDemoOrganization } from '../../demo/seed.ts';

/*
 * The Actor union (Person | ApiKeyActor | AdminActor) behind comments' authors, history
 * actors and assessors: resolved in batches (a page of rows costs the same statements as
 * one row), and the demo data's goals have history and assessments.
 */

let server: TestServer;
let acme: OrganizationScenario;

beforeAll(async () => {
  server = await startTestServer();
  acme = await organizationWith(server.db.prisma, 'Acme', {
    projects: 1,
    contractorsPerProject: 1,
    workersPerContractor: 1,
  });
});
afterAll(() => server?.close());

const ACTOR = `__typename ... on Person { name } ... on ApiKeyActor { name keyId } ... on AdminActor { name }`;

describe('batched actors', () => {
  it('a page of comments by 20 different authors (people, keys, admins) costs the same statements as a page of 3', async () => {
    const p = server.db.prisma;
    const organizationId = acme.organizationId;
    const goalOf = async (title: string) =>
      (
        await p.goal.create({
          data: { organizationId, projectId: acme.projectIds[0], ownerId: acme.personIds[0], title },
        })
      ).id;
    const [few, many] = [await goalOf('Few comments'), await goalOf('Many comments')];
    const authors = [];
    for (let i = 0; i < 20; i++) {
      if (i % 3 === 0) {
        const person = await p.person.create({
          data: { organizationId, name: `Author ${i}`, email: `author${i}@acme.test` },
        });
        authors.push({ authorId: person.id });
      } else if (i % 3 === 1) {
        const key = await apiKeyFixture(p, organizationId, { projectIds: acme.projectIds, name: `Key ${i}` });
        authors.push({ authorApiKeyId: key.id });
      } else {
        const user = await p.user.create({
          data: { organizationId, email: `admin${i}@acme.test`, name: `Admin ${i}`, role: 'ADMIN' },
        });
        authors.push({ authorUserId: user.id });
      }
    }
    await p.goalComment.createMany({
      data: authors.map((author, i) => ({ organizationId, goalId: many, body: `Comment ${i}`, ...author })),
    });
    await p.goalComment.createMany({
      data: authors.slice(0, 3).map((author, i) => ({ organizationId, goalId: few, body: `Comment ${i}`, ...author })),
    });
    const statementsFor = async (goalId: string) => {
      server.db.statements.length = 0;
      const res = await server.graphql(
        acme.adminToken,
        `query ($id: ID!) { node(id: $id) { ... on Goal { comments(first: 20) { edges { node { body author { ${ACTOR} } } } } } } }`,
        { id: globalId('Goal', goalId) },
      );
      expect(res.body.errors).toBeUndefined();
      return { count: executedStatements(server.db.statements).length, comments: res.body.data.node.comments.edges };
    };
    const small = await statementsFor(few);
    const large = await statementsFor(many);
    expect(large.comments).toHaveLength(20);
    expect(large.comments.map((e: any) => e.node.author.__typename).slice(0, 3)).toEqual([
      'Person',
      'ApiKeyActor',
      'AdminActor',
    ]);
    expect(large.comments[2].node.author).toEqual({ __typename: 'AdminActor', name: 'Admin 2' });
    expect(large.count).toBe(small.count);
  });
});

describe('demo data', () => {
  it('each demo goal has history and an assessment, by the demo admin', async () => {
    const demo = await seedDemoOrganization(server.db.prisma);
    if (!demo) throw new Error('the demo organisation was there already');
    const res = await server.graphql(
      demo.adminToken,
      `{ goals(first: 50) { edges { node { title
        history { edges { node { kind changes { field before after } actor { ${ACTOR} } } } }
        assessments { edges { node { score rating periodStart periodEnd assessor { ${ACTOR} } } } } } } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    const goals = res.body.data.goals.edges.map((e: any) => e.node);
    expect(goals.length).toBeGreaterThan(0);
    for (const goal of goals) {
      const kinds = goal.history.edges.map((e: any) => e.node.kind);
      expect(kinds.at(-1)).toBe('CREATED');
      expect(kinds).toContain('MILESTONE_UPDATED');
      expect(goal.history.edges[0].node.actor).toEqual({ __typename: 'AdminActor', name: 'Demo Admin' });
      expect(goal.assessments.edges).toHaveLength(1);
      expect(goal.assessments.edges[0].node).toMatchObject({ periodStart: '2026-10-01', periodEnd: '2026-10-31' });
    }
  });
});
