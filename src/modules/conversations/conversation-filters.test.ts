import { beforeAll, describe, expect, it } from 'vitest';
import { useFilterScenario } from '../../../test/support/filters.ts';
import { globalId as gid, type OrganizationScenario } from '../../../test/support/scenarios.ts';

/* The filters of conversations(…). The fixture: test/support/filters.ts. */

const { fixture, ids } = useFilterScenario();
let org: OrganizationScenario;
beforeAll(() => {
  ({ org } = fixture());
});

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
