import { afterAll, beforeAll, expect } from 'vitest';
import { organizationWith, type OrganizationScenario } from './scenarios.ts';
import { startTestServer, type TestServer } from './server.ts';

/**
 * The fixture of the filter tests: one organisation (two projects of three contractors of two
 * workers) whose rows differ in what the filters look at: goal 0 due 2026-12-01 and goal 1
 * 2027-03-01, conversation 1 COMPLETED, recognition 0 of 2026-01-10 and 1 of 2026-06-10,
 * person 0 in department Safety, worker 0 an electrician.
 */
export async function filterScenario(): Promise<{ server: TestServer; org: OrganizationScenario }> {
  const server = await startTestServer();
  const org = await organizationWith(server.db.prisma, 'Filtered', {
    projects: 2,
    contractorsPerProject: 3,
    workersPerContractor: 2,
  });
  const prisma = server.db.prisma;
  await prisma.goal.update({ where: { id: org.goalIds[0] }, data: { dueOn: new Date('2026-12-01T00:00:00Z') } });
  await prisma.goal.update({ where: { id: org.goalIds[1] }, data: { dueOn: new Date('2027-03-01T00:00:00Z') } });
  await prisma.conversation.update({ where: { id: org.conversationIds[1] }, data: { status: 'COMPLETED' } });
  await prisma.recognition.update({
    where: { id: org.recognitionIds[0] },
    data: { createdAt: new Date('2026-01-10T00:00:00Z') },
  });
  await prisma.recognition.update({
    where: { id: org.recognitionIds[1] },
    data: { createdAt: new Date('2026-06-10T00:00:00Z') },
  });
  await prisma.person.update({ where: { id: org.personIds[0] }, data: { department: 'Safety' } });
  await prisma.worker.update({ where: { id: org.workerIds[0] }, data: { trade: 'Electrician' } });
  return { server, org };
}

/** The node ids of the first connection a query answers, as `token` reads them. */
export async function connectionIds(
  server: TestServer,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<string[]> {
  const res = await server.graphql(token, query, variables);
  expect(res.body.errors).toBeUndefined();
  const connection = Object.values(res.body.data)[0] as { edges: { node: { id: string } }[] };
  return connection.edges.map((e) => e.node.id);
}

/**
 * The filter fixture of a test file: made before its tests, closed after them. `fixture()`
 * reads it; `ids(query, variables)` are the node ids its admin reads.
 */
export function useFilterScenario() {
  let fixture: { server: TestServer; org: OrganizationScenario } | undefined;
  beforeAll(async () => {
    fixture = await filterScenario();
  });
  afterAll(() => fixture?.server.close());
  const get = () => fixture!;
  return {
    fixture: get,
    ids: (query: string, variables: Record<string, unknown> = {}) =>
      connectionIds(get().server, get().org.adminToken, query, variables),
  };
}
