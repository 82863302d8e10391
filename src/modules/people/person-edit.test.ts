import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOnlyMutationKit, type Cases } from '../../../test/support/admin-only-mutations.ts';
import { globalId, scenarioIds, writeScenario, type OrganizationScenario } from '../../../test/support/scenarios.ts';
import type { TestServer } from '../../../test/support/server.ts';

/*
 * updatePerson: changes to existing people of the directory (admins only). Through HTTP; the fixture and the "nothing written" snapshots use Prisma directly.
 */

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
const clock = new Date('2026-06-01T12:00:00Z');

/** Fixture rows made directly in the database (raw uuids). */
const rows = {
  /** A management chain ceo ← vp ← lead (lead reports to vp, vp to ceo). */
  ceo: '',
  vp: '',
  lead: '',
  /** People updated by the happy-path tests. */
  mover: '',
};

beforeAll(async () => {
  ({ server, acme, other } = await writeScenario({ now: () => clock }));
  const prisma = server.db.prisma;
  const organizationId = acme.organizationId;
  const make = (name: string, managerId: string | null = null) =>
    prisma.person.create({ data: { organizationId, name, email: `${name}@acme.test`, managerId } });
  rows.ceo = (await make('ceo')).id;
  rows.vp = (await make('vp', rows.ceo)).id;
  rows.lead = (await make('lead', rows.vp)).id;
  rows.mover = (await make('mover')).id;
});
afterAll(() => server?.close());

const id = globalId;
/** People: 2p is the owner of project p, 2p + 1 a peer reporting to them. */
const { person } = scenarioIds(() => acme);
const { mutate, succeeded, payloadOf, expectUnchanged, expectUserErrors, resolveChange, expected, readNode } =
  adminOnlyMutationKit(
    () => server,
    () => acme,
  );

describe('updatePerson', () => {
  it('changes the named fields (email lower-cased); node and people(search:) read it back', async () => {
    const payload = await succeeded(
      acme.adminToken,
      'updatePerson',
      {
        id: id('Person', rows.mover),
        name: ' Mo Vera ',
        email: 'Mo.Vera@Acme.TEST',
        employeeId: ' EZ-77 ',
        title: 'Superintendent',
        department: 'Field',
        managerId: person(0),
      },
      'person { id email }',
    );
    expect(payload.person).toEqual({ id: id('Person', rows.mover), email: 'mo.vera@acme.test' });
    expect(
      await readNode(
        acme.adminToken,
        id('Person', rows.mover),
        '... on Person { name email employeeId title department manager { id } }',
      ),
    ).toMatchObject({
      name: 'Mo Vera',
      email: 'mo.vera@acme.test',
      employeeId: 'EZ-77',
      title: 'Superintendent',
      department: 'Field',
      manager: { id: person(0) },
    });
    // Not a hex string: emails here contain organisation UUIDs, which a search is a substring match on.
    const found = await server.graphql(
      acme.adminToken,
      '{ people(search: "EZ-77") { edges { node { id } } } reports: node(id: "' +
        person(0) +
        '") { ... on Person { reports { edges { node { id } } } } } }',
    );
    expect(found.body.data.people.edges).toEqual([{ node: { id: id('Person', rows.mover) } }]);
    expect(found.body.data.reports.reports.edges).toContainEqual({ node: { id: id('Person', rows.mover) } });
  });

  it('null clears optional fields and the manager; omitted fields stay', async () => {
    await succeeded(acme.adminToken, 'updatePerson', {
      id: id('Person', rows.mover),
      employeeId: null,
      title: null,
      managerId: null,
    });
    expect(
      await readNode(
        acme.adminToken,
        id('Person', rows.mover),
        '... on Person { name email employeeId title department manager { id } }',
      ),
    ).toMatchObject({
      name: 'Mo Vera',
      email: 'mo.vera@acme.test',
      employeeId: null,
      title: null,
      department: 'Field',
      manager: null,
    });
  });

  it('its own email in another case and its own employee id are not TAKEN', async () => {
    await succeeded(acme.adminToken, 'updatePerson', { id: id('Person', rows.mover), employeeId: 'E-78' });
    const payload = await succeeded(
      acme.adminToken,
      'updatePerson',
      { id: id('Person', rows.mover), email: 'MO.VERA@acme.test', employeeId: 'E-78' },
      'person { email employeeId }',
    );
    expect(payload.person).toEqual({ email: 'mo.vera@acme.test', employeeId: 'E-78' });
  });

  it('a manager may move within the chain when no cycle results (lead reports to the ceo directly)', async () => {
    const extra = await server.db.prisma.person.create({
      data: { organizationId: acme.organizationId, name: 'temp', email: 'temp@acme.test', managerId: rows.lead },
    });
    await succeeded(acme.adminToken, 'updatePerson', { id: id('Person', extra.id), managerId: id('Person', rows.ceo) });
    const read = await readNode(acme.adminToken, id('Person', extra.id), '... on Person { manager { id } }');
    expect(read.manager).toEqual({ id: id('Person', rows.ceo) });
  });

  it.each([
    ['a null name', { name: null }, [[['input', 'name'], 'BLANK']]],
    ['a blank name', { name: ' ' }, [[['input', 'name'], 'BLANK']]],
    ['a null email', { email: null }, [[['input', 'email'], 'BLANK']]],
    ['a title over 200 characters', { title: 't'.repeat(201) }, [[['input', 'title'], 'TOO_LONG']]],
    ['an employee id over 64 characters', { employeeId: 'e'.repeat(65) }, [[['input', 'employeeId'], 'TOO_LONG']]],
    ["another person's email, in another case", { email: 'VP@acme.test' }, [[['input', 'email'], 'TAKEN']]],
    ['itself as manager', () => ({ managerId: id('Person', rows.ceo) }), [[['input', 'managerId'], 'INVALID']]],
    [
      'its direct report as manager (a two-person cycle)',
      () => ({ managerId: id('Person', rows.vp) }),
      [[['input', 'managerId'], 'INVALID']],
    ],
    [
      'a report of its report as manager (a longer cycle)',
      () => ({ managerId: id('Person', rows.lead) }),
      [[['input', 'managerId'], 'INVALID']],
    ],
    [
      "another organisation's person as manager",
      () => ({ managerId: person(0, other) }),
      [[['input', 'managerId'], 'NOT_FOUND']],
    ],
    [
      'a taken email and a cycle at once',
      () => ({ email: 'lead@acme.test', managerId: id('Person', rows.lead) }),
      [
        [['input', 'email'], 'TAKEN'],
        [['input', 'managerId'], 'INVALID'],
      ],
    ],
  ] as Cases)('updating the ceo with %s answers userErrors and changes nothing', async (_case, change, list) => {
    await expectUserErrors('updatePerson', { id: id('Person', rows.ceo), ...resolveChange(change) }, expected(list));
  });

  it('a taken employee id is TAKEN; with a taken email both are reported', async () => {
    await server.db.prisma.person.update({ where: { id: rows.lead }, data: { employeeId: 'E-LEAD' } });
    await expectUserErrors('updatePerson', { id: id('Person', rows.vp), employeeId: 'E-LEAD' }, [
      [['input', 'employeeId'], 'TAKEN'],
    ]);
    await expectUserErrors(
      'updatePerson',
      { id: id('Person', rows.vp), employeeId: 'E-LEAD', email: 'ceo@acme.test' },
      [
        [['input', 'email'], 'TAKEN'],
        [['input', 'employeeId'], 'TAKEN'],
      ],
    );
  });

  it('a malformed email is BAD_USER_INPUT and changes nothing', async () => {
    const res = await expectUnchanged(() =>
      mutate(acme.adminToken, 'updatePerson', { id: id('Person', rows.vp), email: 'not-an-email' }),
    );
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('concurrent changes that together would make a cycle: one succeeds, the other is INVALID', async () => {
    const make = (name: string) =>
      server.db.prisma.person.create({
        data: { organizationId: acme.organizationId, name, email: `${name}@acme.test` },
      });
    // Several rounds: a single pair may happen not to overlap.
    for (let round = 0; round < 5; round++) {
      const [a, b] = [await make(`racer-a${round}`), await make(`racer-b${round}`)];
      const results = await Promise.all([
        mutate(acme.adminToken, 'updatePerson', { id: id('Person', a.id), managerId: id('Person', b.id) }),
        mutate(acme.adminToken, 'updatePerson', { id: id('Person', b.id), managerId: id('Person', a.id) }),
      ]);
      const payloads = results.map((res) => payloadOf(res, 'updatePerson'));
      expect(payloads.filter((p) => p.person !== null)).toHaveLength(1);
      expect(payloads.flatMap((p) => p.userErrors.map((e) => [e.field, e.code]))).toEqual([
        [['input', 'managerId'], 'INVALID'],
      ]);
      const stored = await server.db.prisma.person.findMany({
        where: { id: { in: [a.id, b.id] } },
        select: { managerId: true },
      });
      expect(stored.filter((p) => p.managerId !== null)).toHaveLength(1);
    }
  });
});
