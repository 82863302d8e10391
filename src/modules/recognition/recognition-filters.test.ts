import { beforeAll, describe, expect, it } from 'vitest';
import { useFilterScenario } from '../../../test/support/filters.ts';
import { globalId as gid, type OrganizationScenario } from '../../../test/support/scenarios.ts';

/* The filters of recognitions(…). The fixture: test/support/filters.ts. */

const { fixture, ids } = useFilterScenario();
let org: OrganizationScenario;
beforeAll(() => {
  ({ org } = fixture());
});

describe('root connection filters (each with a match and a miss)', () => {
  it('recognitions(projectId:, hashtag:, since:, until:)', async () => {
    expect(await ids('{ recognitions(since: "2026-03-01T00:00:00Z") { edges { node { id } } } }')).toEqual([
      gid('Recognition', org.recognitionIds[1]),
    ]);
    expect(await ids('{ recognitions(until: "2026-03-01T00:00:00Z") { edges { node { id } } } }')).toEqual([
      gid('Recognition', org.recognitionIds[0]),
    ]);
    expect(await ids('{ recognitions(since: "2026-07-01T00:00:00Z") { edges { node { id } } } }')).toEqual([]);
    expect(await ids('{ recognitions(hashtag: "TeamWork") { edges { node { id } } } }')).toEqual([
      gid('Recognition', org.recognitionIds[1]),
    ]);
    expect(
      await ids('query ($p: ID) { recognitions(projectId: $p, hashtag: "teamwork") { edges { node { id } } } }', {
        p: gid('Project', org.projectIds[0]),
      }),
    ).toEqual([]);
  });
});
