import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOnlyMutationKit, type Cases } from '../../../test/support/admin-only-mutations.ts';
import { globalId, scenarioIds, writeScenario, type OrganizationScenario } from '../../../test/support/scenarios.ts';
import type { TestServer } from '../../../test/support/server.ts';

/*
 * updateProject: changes to existing projects (admins only). Through HTTP; the fixture and the "nothing written" snapshots use Prisma directly.
 */

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
const clock = new Date('2026-06-01T12:00:00Z');

/** Fixture rows made directly in the database (raw uuids). */
const rows = {
  /** A project changed by the happy-path tests. */
  renamed: '',
  /** A project with stored dates 2026-07-01 … 2026-12-31, never changed successfully. */
  dated: '',
};

beforeAll(async () => {
  ({ server, acme, other } = await writeScenario({ now: () => clock }));
  const prisma = server.db.prisma;
  const organizationId = acme.organizationId;
  rows.renamed = (
    await prisma.project.create({
      data: { organizationId, name: 'Riverside', code: 'RIV', addressLine1: '1 River Rd', city: 'Boise' },
    })
  ).id;
  rows.dated = (
    await prisma.project.create({
      data: {
        organizationId,
        name: 'Dated',
        code: 'DATED',
        startsOn: new Date('2026-07-01'),
        endsOn: new Date('2026-12-31'),
      },
    })
  ).id;
});
afterAll(() => server?.close());

const id = globalId;
/** People: 2p is the owner of project p, 2p + 1 a peer reporting to them. */
const { project, person } = scenarioIds(() => acme);
const { mutate, succeeded, expectUnchanged, expectUserErrors, resolveChange, expected, readNode } =
  adminOnlyMutationKit(
    () => server,
    () => acme,
  );

const PROJECT_FIELDS =
  '... on Project { name code status addressLine1 addressLine2 city state zip country startsOn endsOn }';

describe('updateProject', () => {
  it('changes the named fields, trims text, keeps omitted ones; node and projects(status:) read it back', async () => {
    const payload = await succeeded(
      acme.adminToken,
      'updateProject',
      {
        id: id('Project', rows.renamed),
        name: '  Riverside Tower ',
        code: 'RIV-2',
        status: 'ON_HOLD',
        zip: ' 83702 ',
        country: 'US',
        startsOn: '2026-05-01',
        endsOn: '2027-05-01',
      },
      'project { id name code }',
    );
    expect(payload.project).toEqual({ id: id('Project', rows.renamed), name: 'Riverside Tower', code: 'RIV-2' });
    expect(await readNode(acme.adminToken, id('Project', rows.renamed), PROJECT_FIELDS)).toEqual({
      id: id('Project', rows.renamed),
      name: 'Riverside Tower',
      code: 'RIV-2',
      status: 'ON_HOLD',
      addressLine1: '1 River Rd',
      addressLine2: null,
      city: 'Boise',
      state: null,
      zip: '83702',
      country: 'US',
      startsOn: '2026-05-01',
      endsOn: '2027-05-01',
    });
    const onHold = await server.graphql(acme.adminToken, '{ projects(status: ON_HOLD) { edges { node { code } } } }');
    expect(onHold.body.data.projects.edges).toEqual([{ node: { code: 'RIV-2' } }]);
  });

  it('null clears an optional field, and blank text is stored as null', async () => {
    await succeeded(acme.adminToken, 'updateProject', {
      id: id('Project', rows.renamed),
      addressLine1: null,
      city: '   ',
      startsOn: null,
    });
    expect(
      await readNode(
        acme.adminToken,
        id('Project', rows.renamed),
        '... on Project { addressLine1 city startsOn endsOn }',
      ),
    ).toMatchObject({ addressLine1: null, city: null, startsOn: null, endsOn: '2027-05-01' });
  });

  it('keeping its own code is not TAKEN, and a code used only in another organisation is free', async () => {
    await succeeded(acme.adminToken, 'updateProject', { id: id('Project', rows.renamed), code: 'RIV-2' });
    const otherCode = (
      await server.db.prisma.project.findFirstOrThrow({ where: { organizationId: other.organizationId } })
    ).code;
    await succeeded(acme.adminToken, 'updateProject', { id: id('Project', rows.renamed), code: `${otherCode}-X` });
    await succeeded(other.adminToken, 'updateProject', { id: project(0, other), code: `${otherCode}-X` });
  });

  it('dates may move together past the stored ones when they stay in order', async () => {
    const dated = await server.db.prisma.project.create({
      data: {
        organizationId: acme.organizationId,
        name: 'Movable',
        code: 'MOVE',
        startsOn: new Date('2026-01-01'),
        endsOn: new Date('2026-02-01'),
      },
    });
    await succeeded(acme.adminToken, 'updateProject', {
      id: id('Project', dated.id),
      startsOn: '2026-03-01',
      endsOn: '2026-03-01',
    });
  });

  it.each([
    ['a null name', { name: null }, [[['input', 'name'], 'BLANK']]],
    ['a blank name', { name: '  ' }, [[['input', 'name'], 'BLANK']]],
    ['a name over 200 characters', { name: 'n'.repeat(201) }, [[['input', 'name'], 'TOO_LONG']]],
    ['a null code', { code: null }, [[['input', 'code'], 'BLANK']]],
    ['a blank code', { code: '' }, [[['input', 'code'], 'BLANK']]],
    ['a code over 32 characters', { code: 'C'.repeat(33) }, [[['input', 'code'], 'TOO_LONG']]],
    ['a code taken by another project', { code: 'P1' }, [[['input', 'code'], 'TAKEN']]],
    ['a null status', { status: null }, [[['input', 'status'], 'BLANK']]],
    ['a zip over 20 characters', { zip: '1'.repeat(21) }, [[['input', 'zip'], 'TOO_LONG']]],
    [
      'endsOn before startsOn, both given',
      { startsOn: '2026-08-02', endsOn: '2026-08-01' },
      [[['input', 'endsOn'], 'DATES_OUT_OF_ORDER']],
    ],
    ['endsOn before the stored startsOn', { endsOn: '2026-06-30' }, [[['input', 'endsOn'], 'DATES_OUT_OF_ORDER']]],
    ['startsOn after the stored endsOn', { startsOn: '2027-01-01' }, [[['input', 'startsOn'], 'DATES_OUT_OF_ORDER']]],
    [
      'several malformed fields at once',
      { name: '', code: 'C'.repeat(40), city: 'c'.repeat(101) },
      [
        [['input', 'name'], 'BLANK'],
        [['input', 'code'], 'TOO_LONG'],
        [['input', 'city'], 'TOO_LONG'],
      ],
    ],
    [
      'a taken code and dates out of order at once',
      { code: 'P0', endsOn: '2026-01-01' },
      [
        [['input', 'endsOn'], 'DATES_OUT_OF_ORDER'],
        [['input', 'code'], 'TAKEN'],
      ],
    ],
  ] as Cases)('answers %s with userErrors and changes nothing', async (_case, change, list) => {
    await expectUserErrors(
      'updateProject',
      { id: id('Project', rows.dated), ...resolveChange(change) },
      expected(list),
    );
  });

  it('an id of another type is BAD_USER_INPUT, not a server error', async () => {
    const res = await expectUnchanged(() => mutate(acme.adminToken, 'updateProject', { id: person(0), name: 'X' }));
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});
