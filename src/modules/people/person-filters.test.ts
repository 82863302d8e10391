import { beforeAll, describe, expect, it } from 'vitest';
import { useFilterScenario } from '../../../test/support/filters.ts';
import { globalId as gid, type OrganizationScenario } from '../../../test/support/scenarios.ts';

/* The filters of people(…). The fixture: test/support/filters.ts. */

const { fixture, ids } = useFilterScenario();
let org: OrganizationScenario;
beforeAll(() => {
  ({ org } = fixture());
});

describe('root connection filters (each with a match and a miss)', () => {
  it('people(search:, department:)', async () => {
    expect(await ids('{ people(department: "Safety") { edges { node { id } } } }')).toEqual([
      gid('Person', org.personIds[0]),
    ]);
    expect(await ids('{ people(department: "safety") { edges { node { id } } } }')).toEqual([]);
    expect(await ids('{ people(search: "owner", department: "Safety") { edges { node { id } } } }')).toEqual([
      gid('Person', org.personIds[0]),
    ]);
  });
});
