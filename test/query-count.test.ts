import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globalId, organizationWith, type OrganizationScenario } from './support/scenarios.ts';
import { executedStatements } from './support/database.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let org: OrganizationScenario;

beforeAll(async () => {
  // 50 × 50 × 50 nested pages exceed the default query cost; this test is about SQL, not limits.
  server = await startTestServer({ limits: { maxCost: 10_000_000 } });
  org = await organizationWith(server.db.prisma, 'Counted', {
    projects: 6,
    contractorsPerProject: 6,
    workersPerContractor: 6,
  });
});
afterAll(() => server?.close());

async function statementsFor(query: string, size: number) {
  server.db.statements.length = 0;
  const res = await server.graphql(org.adminToken, query, { n: size });
  expect(res.body.errors).toBeUndefined();
  // Authentication (one statement) and its last-use record run before execution; count what the query costs.
  const statements = executedStatements(server.db.statements);
  if (process.env.SHOW_SQL) console.log(size, statements);
  return { count: statements.length, data: res.body.data };
}

describe('no N+1', () => {
  it('projects → contractors → workers → qualifications costs the same SQL for 5 and 50 rows', async () => {
    const query = `query ($n: Int) { projects(first: $n) { edges { node { name
      contractors(first: $n) { edges { node { name workers(first: $n) { edges { node { firstName qualifications { name } } } } } } } } } } }`;
    const small = await statementsFor(query, 5);
    const large = await statementsFor(query, 50);
    expect(small.data.projects.edges).toHaveLength(5);
    expect(large.data.projects.edges).toHaveLength(6);
    expect(large.data.projects.edges[0].node.contractors.edges[0].node.workers.edges).toHaveLength(6);
    expect(large.count).toBe(small.count);
    // projects; contractors' page and nodes; workers' page and nodes; qualifications.
    expect(large.count).toBeLessThanOrEqual(6);
  });

  it('root connections with nested lists do not grow with the page', async () => {
    const shapes = [
      `query ($n: Int) { contractors(first: $n) { totalCount edges { node { projects(first: $n) { totalCount edges { node { code } } } workers(first: $n) { edges { node { lastName } } } } } } }`,
      `query ($n: Int) { goals(first: $n) { edges { node { owner { name manager { name } } project { name } milestones { title } comments { totalCount } } } } }`,
      `query ($n: Int) { people(first: $n, search: "peer") { edges { node { name manager { name } reports(first: $n) { totalCount } } } } }`,
      `query ($n: Int) { recognitions(first: $n) { edges { node { giver { name } receivers { name } project { code } } } } }`,
      `query ($n: Int) { conversations(first: $n) { edges { node { participants { name } template { questions { text } } responses { answer } } } } }`,
      `query ($n: Int) { workers(first: $n) { edges { node { contractor { name projects(first: $n) { edges { node { code } } } } qualifications { name } } } } }`,
      `query ($n: Int) { conversationTemplates(first: $n) { edges { node { questions { text } conversations(first: $n) { edges { node { participants { name } } } } } } } }`,
      `query ($n: Int) { projects(first: $n) { totalCount edges { node { goals(first: $n) { totalCount edges { node { milestones { title } owner { name } } } } recognitions(first: $n) { edges { node { receivers { name } } } } } } } }`,
      `query ($n: Int) { apiKeys(first: $n) { totalCount edges { node { createdBy { email } projects(first: $n) { edges { node { code } } } events(first: $n) { edges { node { action } } } } } } }`,
    ];
    for (const query of shapes) {
      const small = await statementsFor(query, 5);
      const large = await statementsFor(query, 50);
      expect({ query, count: large.count }).toEqual({ query, count: small.count });
      // One statement per relation in the selection (Prisma's query strategy), one more per nested
      // connection (its page) and per nested totalCount, whatever the page size.
      expect({ query, count: Math.min(large.count, 10) }).toEqual({ query, count: large.count });
    }
  });
});

describe('writes', () => {
  const createGoal = (goal: string) => `mutation ($input: CreateGoalInput!) { createGoal(input: $input) {
    goal { ${goal} } userErrors { code } } }`;

  async function statementsOf(goalFields: string, input: Record<string, unknown>) {
    server.db.statements.length = 0;
    const res = await server.graphql(org.adminToken, createGoal(goalFields), {
      input: {
        projectId: globalId('Project', org.projectIds[0]),
        ownerId: globalId('Person', org.personIds[0]),
        ...input,
      },
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.createGoal.userErrors).toEqual([]);
    return { statements: executedStatements(server.db.statements), goal: res.body.data.createGoal.goal };
  }

  it('createGoal without milestones is one statement: both reference checks and the INSERT', async () => {
    const { statements, goal } = await statementsOf('title progress', { title: 'Single insert' });
    expect(goal).toEqual({ title: 'Single insert', progress: 0 });
    // The project's visibility, the owner's organisation and the INSERT that runs only when both
    // are found, in one round trip (src/modules/goals/goal-insert.ts).
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(
      /WITH project AS[\s\S]*owner AS[\s\S]*INSERT INTO "Goal"[\s\S]*INSERT INTO "GoalChange"/,
    );
  });

  it('createGoal with milestones writes the goal and its milestones in one nested write, then its history row', async () => {
    const { statements, goal } = await statementsOf('title milestones { title }', {
      title: 'Nested insert',
      milestones: [{ title: 'First' }, { title: 'Second' }],
    });
    expect(goal).toEqual({ title: 'Nested insert', milestones: [{ title: 'First' }, { title: 'Second' }] });
    const inserts = statements.filter((sql) => /^\s*INSERT/i.test(sql));
    expect(inserts.map((sql) => sql.match(/INSERT INTO "public"."(\w+)"/)?.[1])).toEqual([
      'Goal',
      'Milestone',
      'GoalChange',
    ]);
  });
});
