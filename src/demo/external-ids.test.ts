import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/server.ts';
import { seedDemoOrganization } from './seed.ts';

/* The demo organisation's records carry the ids an integration gave them (externalId). */

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
  it('is found by externalId, and an HR push of what is there changes nothing', async () => {
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
});
