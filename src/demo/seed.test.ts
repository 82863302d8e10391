import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/server.ts';
import { seedDemoOrganization } from './seed.ts';

/* The demo organisation of `npm start` shows some of everything the API offers. */

let server: TestServer;
let adminToken: string;

beforeAll(async () => {
  server = await startTestServer();
  const demo = await seedDemoOrganization(server.db.prisma);
  if (!demo) throw new Error('the demo organisation was there already');
  adminToken = demo.adminToken;
});
afterAll(() => server?.close());

describe('the demo organisation', () => {
  it('has rows in every list an admin can read', async () => {
    const lists = [
      'projects',
      'contractors',
      'workers',
      'people',
      'goals',
      'conversations',
      'conversationTemplates',
      'recognitions',
      'feedback',
      'feedbackTemplates',
      'calibrationCycles',
      'talentRecords',
      'deletions',
    ];
    const res = await server.graphql(adminToken, `{ ${lists.map((list) => `${list} { totalCount }`).join(' ')} }`);
    expect(res.body.errors).toBeUndefined();
    const empty = lists.filter((list) => !(res.body.data[list].totalCount > 0));
    expect(empty).toEqual([]);
  });

  it('shows a deleted worker in the deletions feed', async () => {
    const res = await server.graphql(
      adminToken,
      '{ deletions(types: [WORKER]) { edges { node { type deletedAt } } } }',
    );
    expect(res.body.data.deletions.edges).toEqual([
      { node: { type: 'WORKER', deletedAt: '2026-11-30T17:00:00.000Z' } },
    ]);
  });

  it('is found by the ids an integration gave it (externalId); an HR push of what is there changes nothing', async () => {
    const res = await server.graphql(
      adminToken,
      `{
        personByExternalId(externalId: "hris-E1001") { id name email department title employeeId updatedAt }
        projectByExternalId(externalId: "erp-job-HBR") { id }
        contractorByExternalId(externalId: "vendor-2001") { id }
        workerByExternalId(externalId: "badge-2001-1") { id }
        goalByExternalId(externalId: "okr-101") { id }
      }`,
    );
    expect(res.body.errors).toBeUndefined();
    const { personByExternalId: person, ...others } = res.body.data;
    expect(person).toMatchObject({ employeeId: 'E1001' });
    expect(Object.values(others).every(Boolean)).toBe(true);

    const { id, updatedAt, ...fields } = person;
    const push = await server.graphql(
      adminToken,
      `mutation ($people: [UpsertPersonInput!]!) {
        upsertPeople(input: { people: $people }) { people { id updatedAt } userErrors { field code } }
      }`,
      { people: [{ externalId: 'hris-E1001', ...fields }] },
    );
    expect(push.body.data.upsertPeople).toEqual({ people: [{ id, updatedAt }], userErrors: [] });
  });

  it('is seeded once: a second call finds it and does nothing', async () => {
    expect(await seedDemoOrganization(server.db.prisma)).toBeNull();
  });
});
