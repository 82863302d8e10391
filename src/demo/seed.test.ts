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

  it('is seeded once: a second call finds it and does nothing', async () => {
    expect(await seedDemoOrganization(server.db.prisma)).toBeNull();
  });
});
