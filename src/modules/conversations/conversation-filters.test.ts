import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionIds, filterScenario } from '../../../test/support/filters.ts';
import { globalId, type OrganizationScenario } from '../../../test/support/scenarios.ts';
import type { TestServer } from '../../../test/support/server.ts';

/* The filters of conversations(…). The fixture: test/support/filters.ts. */

let server: TestServer;
let org: OrganizationScenario;

beforeAll(async () => {
  ({ server, org } = await filterScenario());
});
afterAll(() => server?.close());

const gid = globalId;
const ids = (query: string, variables: Record<string, unknown> = {}) =>
  connectionIds(server, org.adminToken, query, variables);

describe('root connection filters (each with a match and a miss)', () => {
  it('conversations(projectId:, templateId:, status:)', async () => {
    expect(await ids('{ conversations(status: COMPLETED) { edges { node { id } } } }')).toEqual([
      gid('Conversation', org.conversationIds[1]),
    ]);
    expect(await ids('{ conversations(status: IN_PROGRESS) { edges { node { id } } } }')).toEqual([]);
    const byTemplate = await ids('query ($t: ID) { conversations(templateId: $t) { edges { node { id } } } }', {
      t: gid('ConversationTemplate', org.templateIds[0]),
    });
    expect(byTemplate).toHaveLength(2);
    expect(
      await ids('query ($p: ID) { conversations(projectId: $p) { edges { node { id } } } }', {
        p: gid('Project', org.projectIds[0]),
      }),
    ).toEqual([gid('Conversation', org.conversationIds[0])]);
  });
});
