import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executedStatements } from './support/database.ts';
import { globalId, organizationWith, type OrganizationScenario } from './support/scenarios.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/*
 * Connections inside a node (Project.contractors, Contractor.workers, …) page by keyset like
 * the root lists (docs/api.md, "Ids, lists and pages"), and every parent's page is cut in SQL,
 * whether the parents come from a root list (the page rides in its statement) or not (one
 * batched statement per field).
 */

let server: TestServer;
let acme: OrganizationScenario;
let projectId: string;

beforeAll(async () => {
  server = await startTestServer({ limits: { maxCost: 10_000_000 } });
  acme = await organizationWith(server.db.prisma, 'Nested', { projects: 6, contractorsPerProject: 4 });
  projectId = globalId('Project', acme.projectIds[0]);
});
afterAll(() => server?.close());

const PROJECT_CONTRACTORS = `query ($id: ID!, $tag: String, $first: Int, $after: String, $last: Int, $before: String) {
  node(id: $id) { ... on Project { contractors(tag: $tag, first: $first, after: $after, last: $last, before: $before) {
    edges { node { name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } } }`;

async function page(variables: Record<string, unknown>) {
  const res = await server.graphql(acme.adminToken, PROJECT_CONTRACTORS, { id: projectId, ...variables });
  expect(res.body.errors).toBeUndefined();
  const c = res.body.data.node.contractors;
  return { names: c.edges.map((e: { node: { name: string } }) => e.node.name) as string[], pageInfo: c.pageInfo };
}

async function addContractors(names: string[], tags: string[]) {
  for (const name of names) {
    await server.db.prisma.contractor.create({
      data: { organizationId: acme.organizationId, name, tags, projects: { connect: { id: acme.projectIds[0] } } },
    });
  }
}

const contractorNamed = (name: string) => ({ organizationId: acme.organizationId, name });

describe('nested keyset cursors: rows changed between pages', () => {
  it('forwards: a re-tagged, a deleted and an inserted row change nothing else', async () => {
    await addContractors(['N-1', 'N-2', 'N-3', 'N-4', 'N-5'], ['n']);
    const first = await page({ tag: 'n', first: 2 });
    expect(first.names).toEqual(['N-1', 'N-2']);
    await server.db.prisma.contractor.updateMany({ where: contractorNamed('N-2'), data: { tags: [] } });
    await server.db.prisma.contractor.deleteMany({ where: contractorNamed('N-3') });
    await addContractors(['N-2b'], ['n']);
    const next = await page({ tag: 'n', first: 2, after: first.pageInfo.endCursor });
    expect(next.names).toEqual(['N-2b', 'N-4']);
    expect(next.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });

  it('backwards: the row at the cursor deleted, the page before it is whole', async () => {
    await addContractors(['B-1', 'B-2', 'B-3', 'B-4'], ['b']);
    const last = await page({ tag: 'b', last: 2 });
    expect(last.names).toEqual(['B-3', 'B-4']);
    await server.db.prisma.contractor.deleteMany({ where: contractorNamed('B-3') });
    const before = await page({ tag: 'b', last: 2, before: last.pageInfo.startCursor });
    expect(before.names).toEqual(['B-1', 'B-2']);
    expect(before.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });
});

describe('nested keyset cursors: a nullable ordering', () => {
  it('Project.goals by DUE_ON, both directions: goals without a due day last, walked in pages of 2', async () => {
    const prisma = server.db.prisma;
    for (const [n, dueOn] of [null, '2027-03-01', '2027-01-01', null, '2027-01-01', '2027-02-01'].entries()) {
      await prisma.goal.create({
        data: {
          organizationId: acme.organizationId,
          projectId: acme.projectIds[2],
          ownerId: acme.personIds[0],
          title: `Due ${n}`,
          dueOn: dueOn && new Date(dueOn),
        },
      });
    }
    const query = `query ($id: ID!, $direction: OrderDirection, $first: Int, $after: String, $last: Int, $before: String) {
      node(id: $id) { ... on Project { goals(orderBy: { field: DUE_ON, direction: $direction }, first: $first, after: $after, last: $last, before: $before) {
        edges { node { title dueOn } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } } }`;
    const goals = async (variables: Record<string, unknown>) => {
      const res = await server.graphql(acme.adminToken, query, {
        id: globalId('Project', acme.projectIds[2]),
        ...variables,
      });
      expect(res.body.errors).toBeUndefined();
      return res.body.data.node.goals;
    };
    for (const direction of ['ASC', 'DESC']) {
      const all = (await goals({ direction, first: 100 })).edges.map((e: any) => e.node);
      const dueOns = all.map((g: any) => g.dueOn);
      expect(dueOns.slice(-3)).toEqual([null, null, null]); // the fixture's goal and two of these
      const days = dueOns.filter(Boolean);
      expect(days).toEqual(
        [...days].sort((a: string, b: string) => (direction === 'ASC' ? a.localeCompare(b) : b.localeCompare(a))),
      );
      const forward: unknown[] = [];
      for (let after = null, more = true; more;) {
        const page = await goals({ direction, first: 2, after });
        forward.push(...page.edges.map((e: any) => e.node));
        ({ endCursor: after, hasNextPage: more } = page.pageInfo);
      }
      expect(forward).toEqual(all);
      const backward: unknown[] = [];
      for (let before = null, more = true; more;) {
        const page = await goals({ direction, last: 2, before });
        backward.unshift(...page.edges.map((e: any) => e.node));
        ({ startCursor: before, hasPreviousPage: more } = page.pageInfo);
      }
      expect(backward).toEqual(all);
    }
  });
});

describe('nested keyset cursors: what a cursor may be', () => {
  async function errorFor(query: string, variables: Record<string, unknown>) {
    const res = await server.graphql(acme.adminToken, query, variables);
    return res.body.errors?.[0];
  }

  it('refuses a cursor of another connection, in both directions', async () => {
    const nested = await page({ first: 1 });
    const root = await server.graphql(acme.adminToken, `{ contractors(first: 1) { pageInfo { endCursor } } }`);
    const rootCursor = root.body.data.contractors.pageInfo.endCursor;

    const onRoot = await errorFor(`query ($after: String) { contractors(after: $after) { totalCount } }`, {
      after: nested.pageInfo.endCursor,
    });
    expect(onRoot.extensions.code).toBe('BAD_USER_INPUT');
    const onNested = await errorFor(PROJECT_CONTRACTORS, { id: projectId, after: rootCursor });
    expect(onNested.extensions.code).toBe('BAD_USER_INPUT');
    expect(onNested.path).toEqual(['node', 'contractors']);
  });

  it('refuses the old id cursors and malformed ones', async () => {
    const oldFormat = Buffer.from(`GPC:S:${acme.contractorIds[1]}`).toString('base64');
    for (const after of [oldFormat, 'not a cursor', 'cgc1:e30']) {
      const error = await errorFor(PROJECT_CONTRACTORS, { id: projectId, after });
      expect({ after, code: error?.extensions.code }).toEqual({ after, code: 'BAD_USER_INPUT' });
    }
  });
});

describe('nested pages are cut in SQL', () => {
  async function statementsFor(query: string, variables: Record<string, unknown> = {}) {
    server.db.statements.length = 0;
    const res = await server.graphql(acme.adminToken, query, variables);
    expect(res.body.errors).toBeUndefined();
    return { statements: executedStatements(server.db.statements), data: res.body.data };
  }

  it("many-to-many: the page statement numbers each parent's rows in SQL and keeps first + 1", async () => {
    const query = `query ($n: Int) { projects(first: $n) { edges { node { code
      contractors(first: 1) { totalCount edges { node { name } } } } } } }`;
    const few = await statementsFor(query, { n: 2 });
    const many = await statementsFor(query, { n: 6 });
    expect(many.statements).toHaveLength(few.statements.length);
    // projects; the contractors' page, which reads their columns too (only columns are selected); their counts.
    expect(many.statements).toHaveLength(3);
    const page = many.statements.find((sql) => sql.includes('row_number()'));
    expect(page).toMatch(/PARTITION BY l\."B"[\s\S]*WHERE "__position" <= \$\d+/);
    const projects = many.data.projects.edges.map((e: any) => e.node).filter((p: any) => p.code !== 'P0');
    expect(projects).toHaveLength(5);
    for (const project of projects) {
      expect(project.contractors).toMatchObject({ totalCount: 4, edges: [{ node: {} }] });
    }
  });

  it('one-to-many: a LATERAL … LIMIT per parent, which the (foreign key, order) index serves', async () => {
    const query = `query ($n: Int) { contractors(first: $n) { edges { node { name
      workers(first: 1) { edges { node { lastName } } } } } } }`;
    const few = await statementsFor(query, { n: 2 });
    const many = await statementsFor(query, { n: 20 });
    expect(many.statements).toHaveLength(few.statements.length);
    const page = many.statements.find((sql) => sql.includes('row_number()'));
    expect(page).toMatch(/CROSS JOIN LATERAL[\s\S]*"contractorId" = p\.parent[\s\S]*LIMIT \$\d+/);
    const contractors = many.data.contractors.edges.map((e: any) => e.node);
    // The fixture's contractors have two workers each; those the tests above added have none.
    for (const contractor of contractors) {
      const expected = contractor.name.startsWith('Nested contractor') ? 1 : 0;
      expect({ name: contractor.name, workers: contractor.workers.edges.length }).toEqual({
        name: contractor.name,
        workers: expected,
      });
    }
  });

  it('aliases with other arguments: one batch per field, whatever the number of parents', async () => {
    const query = `query ($n: Int) { projects(first: $n) { edges { node { code
      one: contractors(first: 1) { edges { node { name } } }
      two: contractors(first: 2) { totalCount edges { node { name } } } } } } }`;
    const few = await statementsFor(query, { n: 2 });
    const many = await statementsFor(query, { n: 6 });
    expect(many.statements).toHaveLength(few.statements.length);
    // projects; each alias's page (with its rows); the second's counts.
    expect(many.statements).toHaveLength(4);
    const projects = many.data.projects.edges.map((e: any) => e.node).filter((p: any) => p.code !== 'P0');
    for (const project of projects) {
      expect(project.one.edges).toHaveLength(1);
      expect(project.two.edges).toHaveLength(2);
      expect(project.two.totalCount).toBe(4);
      expect(project.two.edges[0]).toEqual(project.one.edges[0]);
    }
  });

  it('rows read by the page statement itself answer exactly as the root list does (dates, enums, lists, nulls)', async () => {
    const fields = `id name city tags approvalStatus autoApprove contractorComplianceScore createdAt updatedAt`;
    const goalFields = `id title description status progress startsOn dueOn createdAt updatedAt`;
    const res = await server.graphql(
      acme.adminToken,
      `query ($id: ID!) {
        node(id: $id) { ... on Project { contractors(first: 100) { edges { node { ${fields} } } }
                                          goals(first: 100) { edges { node { ${goalFields} } } } } }
        contractors(projectId: $id, first: 100) { edges { node { ${fields} } } }
        goals(projectId: $id, first: 100) { edges { node { ${goalFields} } } } }`,
      { id: globalId('Project', acme.projectIds[3]) },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.contractors.edges.length).toBeGreaterThan(0);
    expect(res.body.data.node.contractors).toEqual(res.body.data.contractors);
    expect(res.body.data.node.goals).toEqual(res.body.data.goals);
  });

  it('under a mutation payload: the page and totalCount of the one parent, include- and select-mode types alike', async () => {
    const goalId = globalId('Goal', acme.goalIds[1]);
    for (const body of ['first', 'second', 'third']) {
      const added = await server.graphql(
        acme.adminToken,
        `mutation ($goalId: ID!, $body: String!) { addGoalComment(input: { goalId: $goalId, body: $body }) { userErrors { code } } }`,
        { goalId, body },
      );
      expect(added.body.data.addGoalComment.userErrors).toEqual([]);
    }
    const res = await server.graphql(
      acme.adminToken,
      `mutation ($goalId: ID!, $projectId: ID!) {
        addGoalComment(input: { goalId: $goalId, body: "fourth" }) {
          goal { comments(first: 2) { totalCount edges { node { body } } pageInfo { hasNextPage } } } }
        updateProject(input: { id: $projectId, city: "Boise" }) {
          project { contractors(first: 2) { totalCount edges { node { name } } } } } }`,
      { goalId, projectId: globalId('Project', acme.projectIds[1]) },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.addGoalComment.goal.comments).toEqual({
      totalCount: 5, // the fixture's comment, then these four, oldest first
      edges: [{ node: { body: 'Looks good' } }, { node: { body: 'first' } }],
      pageInfo: { hasNextPage: true },
    });
    expect(res.body.data.updateProject.project.contractors.totalCount).toBe(4);
    expect(res.body.data.updateProject.project.contractors.edges).toHaveLength(2);
  });
});
