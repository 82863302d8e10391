import { beforeAll, describe, expect, it } from 'vitest';
import { useFilterScenario } from './support/filters.ts';
import { globalId as gid, type OrganizationScenario } from './support/scenarios.ts';

/*
 * Search text is literal: `%`, `_` and `\` are LIKE's wildcards and escape character in
 * PostgreSQL, and must match only themselves, at the root and in nested pages.
 */

const { fixture, ids } = useFilterScenario();
let org: OrganizationScenario;
const special: Record<'percent' | 'underscore' | 'backslash', { contractor: string; worker: string; person: string }> =
  {} as never;

beforeAll(async () => {
  let server;
  ({ server, org } = fixture());
  const prisma = server.db.prisma;
  const names = { percent: '100% Concrete', underscore: 'Steel_Works', backslash: 'Back\\slash Roofing' };
  for (const [kind, name] of Object.entries(names) as [keyof typeof names, string][]) {
    const contractor = await prisma.contractor.create({
      data: { organizationId: org.organizationId, name, projects: { connect: { id: org.projectIds[0] } } },
    });
    const worker = await prisma.worker.create({
      data: { organizationId: org.organizationId, contractorId: contractor.id, firstName: name, lastName: 'Literal' },
    });
    const person = await prisma.person.create({
      data: { organizationId: org.organizationId, name, email: `${kind}@literal.test` },
    });
    special[kind] = {
      contractor: gid('Contractor', contractor.id),
      worker: gid('Worker', worker.id),
      person: gid('Person', person.id),
    };
  }
});

const cases = [
  ['%', 'percent'],
  ['_', 'underscore'],
  ['\\', 'backslash'],
] as const;

describe('search text is literal', () => {
  it.each(cases)('search: %j matches only the rows holding it', async (text, kind) => {
    const variables = { s: text };
    expect(await ids('query ($s: String) { contractors(search: $s) { edges { node { id } } } }', variables)).toEqual([
      special[kind].contractor,
    ]);
    expect(await ids('query ($s: String) { workers(search: $s) { edges { node { id } } } }', variables)).toEqual([
      special[kind].worker,
    ]);
    expect(await ids('query ($s: String) { people(search: $s) { edges { node { id } } } }', variables)).toEqual([
      special[kind].person,
    ]);
  });

  it.each(cases)('a nested page (Project.contractors(search: %j)) treats it the same', async (text, kind) => {
    const { server } = fixture();
    const res = await server.graphql(
      org.adminToken,
      'query ($p: ID!, $s: String) { node(id: $p) { ... on Project { contractors(search: $s) { edges { node { id } } } } } }',
      { p: gid('Project', org.projectIds[0]), s: text },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.node.contractors.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([
      special[kind].contractor,
    ]);
  });

  it('text around the wildcard characters still matches as a substring', async () => {
    expect(await ids('{ contractors(search: "0% concrete") { edges { node { id } } } }')).toEqual([
      special.percent.contractor,
    ]);
  });
});
