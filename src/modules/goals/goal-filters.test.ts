import { beforeAll, describe, expect, it } from 'vitest';
import { useFilterScenario } from '../../../test/support/filters.ts';
import { globalId as gid, type OrganizationScenario } from '../../../test/support/scenarios.ts';

/* The filters of goals(…). The fixture: test/support/filters.ts. */

const { fixture, ids } = useFilterScenario();
let org: OrganizationScenario;
beforeAll(() => {
  ({ org } = fixture());
});

describe('root connection filters (each with a match and a miss)', () => {
  it('goals(projectId:, ownerId:, status:, dueBefore:)', async () => {
    expect(
      await ids('query ($o: ID) { goals(ownerId: $o) { edges { node { id } } } }', {
        o: gid('Person', org.personIds[0]),
      }),
    ).toEqual([gid('Goal', org.goalIds[0])]);
    expect(await ids('{ goals(dueBefore: "2027-01-01") { edges { node { id } } } }')).toEqual([
      gid('Goal', org.goalIds[0]),
    ]);
    expect(await ids('{ goals(dueBefore: "2026-01-01") { edges { node { id } } } }')).toEqual([]);
    expect(await ids('{ goals(status: AT_RISK) { edges { node { id } } } }')).toEqual([gid('Goal', org.goalIds[1])]);
    expect(
      await ids('query ($p: ID) { goals(projectId: $p, status: AT_RISK) { edges { node { id } } } }', {
        p: gid('Project', org.projectIds[0]),
      }),
    ).toEqual([]);
  });
});
