import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiKeyFixture,
  globalId,
  organizationWith,
  type OrganizationScenario,
  projectAdminToken,
} from '../../../test/support/scenarios.ts';
import { executedStatements } from '../../../test/support/database.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

/*
 * Who sees which feedback: owners and admins the organisation's; an API key and a project admin
 * only the feedback of their projects (feedback tied to no project: nobody but owners and admins);
 * another organisation nothing. Filters naming what the caller may not see answer as made-up ids.
 */

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
let key: string;
let keyWithPeople: string;
let projectAdmin: string;
/** f[0]: project 0 (and its goal); f[1]: project 1; f[2]: no project. */
const f: string[] = [];
/** t[0] used by f[0]; t[1] by f[1] and f[2]; t[2] unused. */
const t: string[] = [];
/** Linked to nothing but feedback: `near` received f[0], `far` received f[1], `loose` gave f[2]. */
const lone: Record<'near' | 'far' | 'loose', string> = { near: '', far: '', loose: '' };

beforeAll(async () => {
  server = await startTestServer();
  const prisma = server.db.prisma;
  acme = await organizationWith(prisma, 'Acme', { projects: 2, contractorsPerProject: 1, workersPerContractor: 1 });
  other = await organizationWith(prisma, 'Other', { projects: 1, contractorsPerProject: 1, workersPerContractor: 1 });
  const organizationId = acme.organizationId;
  for (const name of ['Site review', 'Peer review', 'Unused form']) {
    const template = await prisma.feedbackTemplate.create({
      data: { organizationId, name, questions: { create: [{ position: 0, text: 'How did it go?' }] } },
      include: { questions: true },
    });
    t.push(template.id);
  }
  for (const name of ['near', 'far', 'loose'] as const) {
    lone[name] = (
      await prisma.person.create({ data: { organizationId, name: `Lone ${name}`, email: `${name}@acme.test` } })
    ).id;
  }
  const question = (i: number) => prisma.feedbackQuestion.findFirstOrThrow({ where: { templateId: t[i] } });
  const rows = [
    {
      templateId: t[0],
      giverId: acme.personIds[0],
      subjectId: lone.near,
      projectId: acme.projectIds[0],
      goalId: acme.goalIds[0],
      createdAt: new Date('2026-02-01T00:00:00Z'),
      updatedAt: new Date('2026-05-01T00:00:00Z'),
    },
    {
      templateId: t[1],
      giverId: acme.personIds[2],
      subjectId: lone.far,
      projectId: acme.projectIds[1],
      createdAt: new Date('2026-03-01T00:00:00Z'),
      updatedAt: new Date('2026-03-01T00:00:00Z'),
    },
    {
      templateId: t[1],
      giverId: lone.loose,
      subjectId: acme.personIds[1],
      projectId: null,
      createdAt: new Date('2026-04-01T00:00:00Z'),
      updatedAt: new Date('2026-04-01T00:00:00Z'),
    },
  ];
  for (const [i, row] of rows.entries()) {
    const q = await question(i === 0 ? 0 : 1);
    const created = await prisma.feedback.create({
      data: { organizationId, ...row, responses: { create: [{ questionId: q.id, answer: `Answer ${i}` }] } },
    });
    f.push(created.id);
  }
  key = (await apiKeyFixture(prisma, organizationId, { projectIds: [acme.projectIds[0]] })).token;
  keyWithPeople = (
    await apiKeyFixture(prisma, organizationId, {
      projectIds: [acme.projectIds[0]],
      allowWrites: true,
      canWritePeople: true,
    })
  ).token;
  projectAdmin = await projectAdminToken(prisma, 'Acme', [acme.projectIds[1]], 'pa@acme.test');
});
afterAll(() => server?.close());

const gid = (type: string, id: string) => globalId(type, id);
const F = (i: number) => gid('Feedback', f[i]);
const T = (i: number) => gid('FeedbackTemplate', t[i]);
/** Feedback f[i…] in the default order: by id (UUIDv7), newest first. */
const newestFirst = (...i: number[]) =>
  i
    .map((n) => f[n])
    .sort()
    .reverse()
    .map((id) => gid('Feedback', id));
const ids = (connection: { edges: { node: { id: string } }[] }) => connection.edges.map((e) => e.node.id);

/** The variables `args` uses (GraphQL refuses an unused one). */
const declarations = (args: string) => {
  const used = [args.includes('$id') && '$id: ID', args.includes('$at') && '$at: DateTime'].filter(Boolean);
  return used.length ? `(${used.join(', ')})` : '';
};

async function list(token: string, args = '', variables?: Record<string, unknown>) {
  const res = await server.graphql(
    token,
    `query ${declarations(args)} { feedback${args} { totalCount edges { node { id } } } }`,
    variables,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data.feedback;
}

describe('who sees which feedback', () => {
  it('owners and admins: all of the organisation, newest first (by id), and every template by name', async () => {
    const all = await list(acme.adminToken);
    expect(all.totalCount).toBe(3);
    expect(ids(all)).toEqual(
      [...f]
        .sort()
        .reverse()
        .map((id) => gid('Feedback', id)),
    );
    const templates = await server.graphql(acme.adminToken, '{ feedbackTemplates { edges { node { id name } } } }');
    expect(templates.body.data.feedbackTemplates.edges.map((e: any) => e.node.name)).toEqual([
      'Peer review',
      'Site review',
      'Unused form',
    ]);
  });

  it("a key: only its projects' feedback and the templates they use; the rest is null through node", async () => {
    expect(ids(await list(key))).toEqual([F(0)]);
    const templates = await server.graphql(key, '{ feedbackTemplates { totalCount edges { node { id } } } }');
    expect(ids(templates.body.data.feedbackTemplates)).toEqual([T(0)]);
    const res = await server.graphql(key, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
      ids: [F(0), F(1), F(2), T(0), T(1), T(2)],
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.nodes).toEqual([{ id: F(0) }, null, null, { id: T(0) }, null, null]);
  });

  it('a key reads the whole of its feedback: template, giver, subject, project, goal, responses', async () => {
    const res = await server.graphql(
      key,
      `query ($id: ID!) { node(id: $id) { ... on Feedback { template { name questions { text } } giver { id }
         subject { id name } project { id } goal { id } responses { question { text } answer } updatedAt } } }`,
      { id: F(0) },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.node).toEqual({
      template: { name: 'Site review', questions: [{ text: 'How did it go?' }] },
      giver: { id: gid('Person', acme.personIds[0]) },
      subject: { id: gid('Person', lone.near), name: 'Lone near' },
      project: { id: gid('Project', acme.projectIds[0]) },
      goal: { id: gid('Goal', acme.goalIds[0]) },
      responses: [{ question: { text: 'How did it go?' }, answer: 'Answer 0' }],
      updatedAt: '2026-05-01T00:00:00.000Z',
    });
  });

  it('a key sees the people of its feedback through node, not those of feedback it cannot see', async () => {
    const people = [lone.near, lone.far, lone.loose].map((id) => gid('Person', id));
    const res = await server.graphql(key, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: people });
    expect(res.body.data.nodes).toEqual([{ id: people[0] }, null, null]);
    const admin = await server.graphql(acme.adminToken, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
      ids: people,
    });
    expect(admin.body.data.nodes).toEqual(people.map((id) => ({ id })));
  });

  it('a key with canWritePeople sees every person, but still only its projects’ feedback', async () => {
    expect(ids(await list(keyWithPeople))).toEqual([F(0)]);
    const res = await server.graphql(
      keyWithPeople,
      'query ($id: ID!) { node(id: $id) { ... on Person { feedbackReceived { totalCount } feedbackGiven { totalCount } } } }',
      { id: gid('Person', lone.far) },
    );
    expect(res.body.data.node).toEqual({ feedbackReceived: { totalCount: 0 }, feedbackGiven: { totalCount: 0 } });
  });

  it('a project admin: only the feedback of their projects, not the feedback tied to no project', async () => {
    expect(ids(await list(projectAdmin))).toEqual([F(1)]);
    const res = await server.graphql(projectAdmin, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
      ids: [F(0), F(2)],
    });
    expect(res.body.data.nodes).toEqual([null, null]);
  });

  it("another organisation's admin sees none of it", async () => {
    expect(await list(other.adminToken)).toEqual({ totalCount: 0, edges: [] });
    const templates = await server.graphql(other.adminToken, '{ feedbackTemplates { totalCount } }');
    expect(templates.body.data.feedbackTemplates.totalCount).toBe(0);
    const res = await server.graphql(other.adminToken, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
      ids: [F(0), F(1), F(2), T(0)],
    });
    expect(res.body.data.nodes).toEqual([null, null, null, null]);
  });
});

describe('relations', () => {
  it('Person.feedbackReceived and feedbackGiven, Project.feedback, Goal.feedback, FeedbackTemplate.feedback, scoped', async () => {
    const query = `query ($giver: ID!, $subject: ID!, $project: ID!, $goal: ID!, $template: ID!) {
      giver: node(id: $giver) { ... on Person { feedbackGiven { totalCount edges { node { id } } } } }
      subject: node(id: $subject) { ... on Person { feedbackReceived { totalCount edges { node { id } } } } }
      project: node(id: $project) { ... on Project { feedback { totalCount edges { node { id } } } } }
      goal: node(id: $goal) { ... on Goal { feedback { totalCount edges { node { id } } } } }
      template: node(id: $template) { ... on FeedbackTemplate { feedback { totalCount edges { node { id } } } } }
    }`;
    const variables = {
      giver: gid('Person', acme.personIds[0]),
      subject: gid('Person', lone.near),
      project: gid('Project', acme.projectIds[0]),
      goal: gid('Goal', acme.goalIds[0]),
      template: T(0),
    };
    for (const token of [acme.adminToken, key]) {
      const res = await server.graphql(token, query, variables);
      expect(res.body.errors).toBeUndefined();
      for (const field of ['giver', 'subject', 'project', 'goal', 'template']) {
        expect(ids(res.body.data[field][Object.keys(res.body.data[field])[0]])).toEqual([F(0)]);
      }
    }
    // The peer of project 0 received f[2] (no project): the admin sees it under them, the key does not.
    const peer = 'query ($id: ID!) { node(id: $id) { ... on Person { feedbackReceived { totalCount } } } }';
    const id = gid('Person', acme.personIds[1]);
    expect((await server.graphql(acme.adminToken, peer, { id })).body.data.node.feedbackReceived.totalCount).toBe(1);
    expect((await server.graphql(key, peer, { id })).body.data.node.feedbackReceived.totalCount).toBe(0);
  });
});

describe('filters', () => {
  it('templateId, subjectId, giverId, projectId, since, until, updatedSince and orderBy (each with a match and a miss)', async () => {
    const admin = (args: string, variables?: Record<string, unknown>) =>
      list(acme.adminToken, args, variables).then(ids);
    expect(await admin('(templateId: $id)', { id: T(1) })).toEqual(newestFirst(1, 2));
    expect(await admin('(templateId: $id)', { id: T(2) })).toEqual([]);
    expect(await admin('(subjectId: $id)', { id: gid('Person', lone.far) })).toEqual([F(1)]);
    expect(await admin('(giverId: $id)', { id: gid('Person', lone.loose) })).toEqual([F(2)]);
    expect(await admin('(giverId: $id)', { id: gid('Person', lone.near) })).toEqual([]);
    expect(await admin('(projectId: $id)', { id: gid('Project', acme.projectIds[1]) })).toEqual([F(1)]);
    expect(await admin('(since: $at)', { at: '2026-03-01T00:00:00Z' })).toEqual(newestFirst(1, 2));
    expect(await admin('(until: $at)', { at: '2026-03-01T00:00:00Z' })).toEqual([F(0)]);
    expect(await admin('(updatedSince: $at)', { at: '2026-04-15T00:00:00Z' })).toEqual([F(0)]);
    expect(await admin('(orderBy: { field: CREATED_AT, direction: ASC })')).toEqual([F(0), F(1), F(2)]);
    expect(await admin('(orderBy: { field: UPDATED_AT, direction: DESC })')).toEqual([F(0), F(2), F(1)]);
  });

  /** The body without its request ids: what a client could compare. */
  const comparable = (body: unknown) => JSON.parse(JSON.stringify(body), (k, v) => (k === 'requestId' ? undefined : v));
  const hidden: [string, string, () => string][] = [
    ['feedback(templateId:)', '{ feedback(templateId: $id) { totalCount edges { node { id } } } }', () => T(1)],
    [
      'feedback(subjectId:)',
      '{ feedback(subjectId: $id) { totalCount edges { node { id } } } }',
      () => gid('Person', lone.far),
    ],
    [
      'feedback(giverId:)',
      '{ feedback(giverId: $id) { totalCount edges { node { id } } } }',
      () => gid('Person', lone.loose),
    ],
    [
      'feedback(projectId:)',
      '{ feedback(projectId: $id) { totalCount edges { node { id } } } }',
      () => gid('Project', acme.projectIds[1]),
    ],
    [
      'Person.feedbackGiven(templateId:)',
      '{ people { edges { node { feedbackGiven(templateId: $id) { totalCount } } } } }',
      () => T(1),
    ],
  ];

  it.each(hidden)('%s naming what a key may not see answers as an id that does not exist', async (_, selection, id) => {
    const query = `query ($id: ID) ${selection}`;
    const type = Buffer.from(id(), 'base64url').toString().split(':')[0];
    const outside = await server.graphql(key, query, { id: id() });
    const absent = await server.graphql(key, query, { id: gid(type, randomUUID()) });
    expect(outside.status).toBe(absent.status);
    expect(comparable(outside.body)).toEqual(comparable(absent.body));
    // The admin finds something under the same id: the test can fail.
    const admin = await server.graphql(acme.adminToken, query, { id: id() });
    expect(JSON.stringify(admin.body.data)).toMatch(/"totalCount":[1-9]/);
  });
});

describe('a goal moved to another project', () => {
  it("reads as goal: null for a key that does not see the goal's new project; the admin still sees it", async () => {
    const prisma = server.db.prisma;
    const query = 'query ($id: ID!) { node(id: $id) { ... on Feedback { project { id } goal { id } } } }';
    await prisma.goal.update({ where: { id: acme.goalIds[0] }, data: { projectId: acme.projectIds[1] } });
    try {
      const res = await server.graphql(key, query, { id: F(0) });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.node).toEqual({ project: { id: gid('Project', acme.projectIds[0]) }, goal: null });
      const admin = await server.graphql(acme.adminToken, query, { id: F(0) });
      expect(admin.body.data.node.goal).toEqual({ id: gid('Goal', acme.goalIds[0]) });
    } finally {
      await prisma.goal.update({ where: { id: acme.goalIds[0] }, data: { projectId: acme.projectIds[0] } });
    }
  });
});

describe('no N+1', () => {
  it('a page of feedback with everything under it costs the same statements for 1 and 3 rows (the first has a project and a goal)', async () => {
    const query = `query ($n: Int) { feedback(first: $n, orderBy: { field: CREATED_AT }) { edges { node { template { name questions { text } }
      giver { name feedbackGiven(first: $n) { totalCount } } subject { name } project { code } goal { title }
      responses { question { text } answer } } } } }`;
    const count = async (n: number) => {
      server.db.statements.length = 0;
      const res = await server.graphql(acme.adminToken, query, { n });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.feedback.edges).toHaveLength(n);
      return executedStatements(server.db.statements).length;
    };
    const one = await count(1);
    expect(await count(3)).toBe(one);
  });
});
