import { beforeAll, describe, expect, it } from 'vitest';
import { useFilterScenario } from './support/filters.ts';
import { globalId as gid, type OrganizationScenario } from './support/scenarios.ts';
import type { TestServer } from './support/server.ts';

/*
 * Relation connections (Project.contractors, Contractor.workers, Project.goals, Person.goals)
 * take the filters of the root connections; those are tested beside their modules
 * (src/modules/<domain>/*-filters.test.ts). The fixture: test/support/filters.ts.
 */

const { fixture } = useFilterScenario();
let server: TestServer;
let org: OrganizationScenario;
beforeAll(() => {
  ({ server, org } = fixture());
});

describe('relation connections honour the same filters', () => {
  it('Project.contractors(status:), Contractor.workers(search:), Project.goals(status:), Person.goals(projectId:)', async () => {
    const res = await server.graphql(
      org.adminToken,
      `query ($p: ID!, $c: ID!, $person: ID!, $other: ID) {
        project: node(id: $p) { ... on Project { contractors(status: APPROVED) { totalCount } all: contractors { totalCount }
          goals(status: AT_RISK) { totalCount } } }
        contractor: node(id: $c) { ... on Contractor { workers(search: "electric") { totalCount } } }
        person: node(id: $person) { ... on Person { goals(projectId: $other) { totalCount } mine: goals { totalCount } } } }`,
      {
        p: gid('Project', org.projectIds[0]),
        c: gid('Contractor', org.contractorIds[0]),
        person: gid('Person', org.personIds[0]),
        other: gid('Project', org.projectIds[1]),
      },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.project).toEqual({
      contractors: { totalCount: 1 },
      all: { totalCount: 3 },
      goals: { totalCount: 0 },
    });
    expect(res.body.data.contractor.workers.totalCount).toBe(1);
    expect(res.body.data.person).toEqual({ goals: { totalCount: 0 }, mine: { totalCount: 1 } });
  });
});
