import { beforeAll, describe, expect, it } from 'vitest';
import { useFilterScenario } from '../../../test/support/filters.ts';
import { globalId as gid, type OrganizationScenario } from '../../../test/support/scenarios.ts';
import type { TestServer } from '../../../test/support/server.ts';

/* The filters and orders of contractors(…) and workers(…). The fixture: test/support/filters.ts. */

const { fixture, ids } = useFilterScenario();
let server: TestServer;
let org: OrganizationScenario;
beforeAll(() => {
  ({ server, org } = fixture());
});

describe('root connection filters (each with a match and a miss)', () => {
  it('contractors(projectId:, orderBy:)', async () => {
    const inProject = await ids('query ($p: ID) { contractors(projectId: $p) { edges { node { id } } } }', {
      p: gid('Project', org.projectIds[1]),
    });
    expect(inProject.sort()).toEqual(
      org.contractorIds
        .slice(3)
        .map((id) => gid('Contractor', id))
        .sort(),
    );
    const byNameDesc = await ids(
      '{ contractors(orderBy: { field: NAME, direction: DESC }) { edges { node { id } } } }',
    );
    const byName = await ids('{ contractors(orderBy: { field: NAME }) { edges { node { id } } } }');
    expect(byNameDesc).toEqual([...byName].reverse());
  });

  it('paging with a non-default order visits every row once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const res: any = await server.graphql(
        org.adminToken,
        `query ($after: String) { contractors(first: 2, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {
           edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      seen.push(...res.body.data.contractors.edges.map((e: any) => e.node.id));
      if (!res.body.data.contractors.pageInfo.hasNextPage) break;
      after = res.body.data.contractors.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    expect(seen).toEqual(
      await ids('{ contractors(orderBy: { field: CREATED_AT, direction: DESC }) { edges { node { id } } } }'),
    );
  });

  it('workers(contractorId:, search:)', async () => {
    const ofContractor = await ids('query ($c: ID) { workers(contractorId: $c) { edges { node { id } } } }', {
      c: gid('Contractor', org.contractorIds[0]),
    });
    expect(ofContractor.sort()).toEqual(
      org.workerIds
        .slice(0, 2)
        .map((id) => gid('Worker', id))
        .sort(),
    );
    expect(await ids('{ workers(search: "electric") { edges { node { id } } } }')).toEqual([
      gid('Worker', org.workerIds[0]),
    ]);
    expect(await ids('{ workers(search: "plumber") { edges { node { id } } } }')).toEqual([]);
  });
});
