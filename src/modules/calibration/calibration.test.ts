import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin } from '../admins/admin.service.ts';
import { mutationHelpers, payloadOf, readNode, type ExpectedUserErrors } from '../../../test/support/mutations.ts';
import {
  globalId,
  scenarioIds,
  writeScenario,
  type OrganizationScenario,
  projectAdminToken,
} from '../../../test/support/scenarios.ts';
import type { TestServer } from '../../../test/support/server.ts';

/*
 * Calibration writes: createCalibrationCycle, updateCalibrationCycle and setTalentRecord, for
 * owners and admins only. Through HTTP; the fixture and the "nothing written" snapshot (every
 * cycle and talent record, row by row, across organisations) use Prisma directly.
 */

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
let keys: Record<'readOnly' | 'writer', string>;
let projectAdmin: string;
let orgAdmin: string;
const cycles = { open: '', closed: '', other: '' };
const clock = new Date('2026-06-01T12:00:00Z');

beforeAll(async () => {
  ({ server, acme, other, keys } = await writeScenario({ now: () => clock }));
  const prisma = server.db.prisma;
  projectAdmin = await projectAdminToken(prisma, 'Acme', [acme.projectIds[0]], 'site@acme.test');
  orgAdmin = (await createAdmin(prisma, { organizationName: 'Acme', email: 'hr@acme.test', role: 'ADMIN' })).token;
  const cycle = (organizationId: string, name: string, status: 'OPEN' | 'CLOSED', year: number) =>
    prisma.calibrationCycle.create({
      data: {
        organizationId,
        name,
        status,
        startsOn: new Date(`${year}-01-01`),
        endsOn: new Date(`${year}-06-30`),
      },
    });
  cycles.open = (await cycle(acme.organizationId, '2026 H1', 'OPEN', 2026)).id;
  cycles.closed = (await cycle(acme.organizationId, '2025 H1', 'CLOSED', 2025)).id;
  cycles.other = (await cycle(other.organizationId, '2026 H1', 'OPEN', 2026)).id;
  await prisma.talentRecord.create({
    data: {
      organizationId: acme.organizationId,
      cycleId: cycles.closed,
      personId: acme.personIds[0],
      rating: 3,
      potential: 'MEDIUM',
      notes: 'Final.',
    },
  });
});
afterAll(() => server?.close());

const { person } = scenarioIds(() => acme);
const cycleId = (name: keyof typeof cycles) => globalId('CalibrationCycle', cycles[name]);

/** Every cycle and talent record, row by row, across all organisations. */
const calibrationRows = async () => {
  const prisma = server.db.prisma;
  return [
    await prisma.calibrationCycle.findMany({ orderBy: { id: 'asc' } }),
    await prisma.talentRecord.findMany({ orderBy: { id: 'asc' } }),
  ];
};

const SELECTIONS = {
  createCalibrationCycle: 'calibrationCycle { id name startsOn endsOn status }',
  updateCalibrationCycle: 'calibrationCycle { id name startsOn endsOn status }',
  setTalentRecord: 'talentRecord { id rating potential notes cycle { id } person { id } }',
} as const;
type Name = keyof typeof SELECTIONS;
const { mutate, succeeded, expectNothingWritten, expectUserErrors, expectRefused } = mutationHelpers({
  server: () => server,
  selections: SELECTIONS,
  snapshot: calibrationRows,
});

let serial = 0;
const unique = (prefix: string) => `${prefix} ${++serial}`;
const VALID: Record<Name, () => Record<string, unknown>> = {
  createCalibrationCycle: () => ({ name: unique('Cycle'), startsOn: '2026-07-01', endsOn: '2026-12-31' }),
  updateCalibrationCycle: () => ({ id: cycleId('open'), name: unique('Renamed') }),
  setTalentRecord: () => ({ cycleId: cycleId('open'), personId: person(1), rating: 4 }),
};

describe('createCalibrationCycle', () => {
  it('an owner creates a cycle (PLANNED by default); node and calibrationCycles(status:) read it back', async () => {
    const { calibrationCycle } = await succeeded(acme.adminToken, 'createCalibrationCycle', {
      name: ' 2026 H2 ',
      startsOn: '2026-07-01',
      endsOn: '2026-12-31',
    });
    expect(calibrationCycle).toMatchObject({
      name: '2026 H2',
      startsOn: '2026-07-01',
      endsOn: '2026-12-31',
      status: 'PLANNED',
    });
    const read = await readNode(server, acme.adminToken, calibrationCycle.id, '... on CalibrationCycle { name }');
    expect(read.name).toBe('2026 H2');
    const planned = await server.graphql(
      acme.adminToken,
      '{ calibrationCycles(status: PLANNED) { edges { node { id } } } }',
    );
    expect(planned.body.data.calibrationCycles.edges).toEqual([{ node: { id: calibrationCycle.id } }]);
  });

  it('an ADMIN (not only an owner) creates one; a name used by another organisation is free here', async () => {
    const { calibrationCycle } = await succeeded(orgAdmin, 'createCalibrationCycle', {
      name: 'Other only',
      startsOn: '2027-01-01',
      endsOn: '2027-01-01',
      status: 'OPEN',
    });
    expect(calibrationCycle).toMatchObject({ status: 'OPEN', startsOn: '2027-01-01', endsOn: '2027-01-01' });
    await succeeded(other.adminToken, 'createCalibrationCycle', {
      name: 'Other only',
      startsOn: '2027-01-01',
      endsOn: '2027-06-30',
    });
  });

  it.each([
    ['a blank name', { name: '   ' }, [[['input', 'name'], 'BLANK']]],
    ['a name over 200 characters', { name: 'n'.repeat(201) }, [[['input', 'name'], 'TOO_LONG']]],
    ['a name the organisation already uses', { name: '2026 H1' }, [[['input', 'name'], 'TAKEN']]],
    [
      'an end before the start',
      { startsOn: '2026-07-01', endsOn: '2026-06-30' },
      [[['input', 'endsOn'], 'DATES_OUT_OF_ORDER']],
    ],
  ] as const)('answers %s with userErrors and writes nothing', async (_case, change, expected) => {
    await expectUserErrors(
      acme.adminToken,
      'createCalibrationCycle',
      { ...VALID.createCalibrationCycle(), ...change },
      expected as unknown as ExpectedUserErrors,
    );
  });
});

describe('updateCalibrationCycle', () => {
  it('changes what the input names and keeps the rest', async () => {
    const { calibrationCycle } = await succeeded(acme.adminToken, 'createCalibrationCycle', {
      name: 'To change',
      startsOn: '2028-01-01',
      endsOn: '2028-06-30',
    });
    const changed = await succeeded(acme.adminToken, 'updateCalibrationCycle', {
      id: calibrationCycle.id,
      status: 'OPEN',
      endsOn: '2028-03-31',
    });
    expect(changed.calibrationCycle).toEqual({
      id: calibrationCycle.id,
      name: 'To change',
      startsOn: '2028-01-01',
      endsOn: '2028-03-31',
      status: 'OPEN',
    });
    const renamed = await succeeded(acme.adminToken, 'updateCalibrationCycle', {
      id: calibrationCycle.id,
      name: 'Changed',
    });
    expect(renamed.calibrationCycle).toMatchObject({ name: 'Changed', endsOn: '2028-03-31', status: 'OPEN' });
  });

  it.each([
    ['a null name', { name: null }, [[['input', 'name'], 'BLANK']]],
    ['a blank name', { name: ' ' }, [[['input', 'name'], 'BLANK']]],
    ['a name over 200 characters', { name: 'n'.repeat(201) }, [[['input', 'name'], 'TOO_LONG']]],
    ["another cycle's name", { name: '2025 H1' }, [[['input', 'name'], 'TAKEN']]],
    ['a null status', { status: null }, [[['input', 'status'], 'BLANK']]],
    ['a null start', { startsOn: null }, [[['input', 'startsOn'], 'BLANK']]],
    ['an end before the stored start', { endsOn: '2025-12-31' }, [[['input', 'endsOn'], 'DATES_OUT_OF_ORDER']]],
    ['a start after the stored end', { startsOn: '2026-07-01' }, [[['input', 'startsOn'], 'DATES_OUT_OF_ORDER']]],
  ] as const)('answers %s with userErrors and changes nothing', async (_case, change, expected) => {
    await expectUserErrors(
      acme.adminToken,
      'updateCalibrationCycle',
      { id: cycleId('open'), ...change },
      expected as unknown as ExpectedUserErrors,
    );
  });

  it.each([
    ["another organisation's cycle", () => cycleId('other')],
    ['a made-up id', () => globalId('CalibrationCycle', randomUUID())],
  ])('answers %s with NOT_FOUND and changes nothing', async (_case, id) => {
    await expectRefused(acme.adminToken, 'updateCalibrationCycle', { id: id(), name: 'Hijacked' }, 'NOT_FOUND');
  });
});

describe('setTalentRecord', () => {
  it('creates the record, then changes only what the input names; null and blank clear', async () => {
    const created = await succeeded(acme.adminToken, 'setTalentRecord', {
      cycleId: cycleId('open'),
      personId: person(2),
      rating: 4,
      potential: 'HIGH',
      notes: '  Ready to lead a site.  ',
    });
    expect(created.talentRecord).toMatchObject({
      rating: 4,
      potential: 'HIGH',
      notes: 'Ready to lead a site.',
      cycle: { id: cycleId('open') },
      person: { id: person(2) },
    });
    const id = created.talentRecord.id;
    const rated = await succeeded(acme.adminToken, 'setTalentRecord', {
      cycleId: cycleId('open'),
      personId: person(2),
      rating: 5,
    });
    expect(rated.talentRecord).toMatchObject({ id, rating: 5, potential: 'HIGH', notes: 'Ready to lead a site.' });
    const cleared = await succeeded(acme.adminToken, 'setTalentRecord', {
      cycleId: cycleId('open'),
      personId: person(2),
      potential: null,
      notes: '   ',
    });
    expect(cleared.talentRecord).toMatchObject({ id, rating: 5, potential: null, notes: null });
    const listed = await server.graphql(
      acme.adminToken,
      'query ($c: ID, $p: ID) { talentRecords(cycleId: $c, personId: $p) { totalCount edges { node { id } } } }',
      { c: cycleId('open'), p: person(2) },
    );
    expect(listed.body.data.talentRecords).toEqual({ totalCount: 1, edges: [{ node: { id } }] });
  });

  it('a record set with nothing but its ids has every field null', async () => {
    const { talentRecord } = await succeeded(acme.adminToken, 'setTalentRecord', {
      cycleId: cycleId('open'),
      personId: person(3),
    });
    expect(talentRecord).toMatchObject({ rating: null, potential: null, notes: null });
  });

  it('two concurrent first calls for one person and cycle leave one record and both succeed', async () => {
    const { calibrationCycle } = await succeeded(acme.adminToken, 'createCalibrationCycle', {
      name: 'Race',
      startsOn: '2029-01-01',
      endsOn: '2029-06-30',
    });
    const input = (rating: number) => ({ cycleId: calibrationCycle.id, personId: person(0), rating });
    server.db.statements.length = 0;
    const results = await Promise.all(
      [1, 2, 3, 4].map((rating) => mutate(acme.adminToken, 'setTalentRecord', input(rating))),
    );
    const ids = new Set(results.map((res) => payloadOf(res, 'setTalentRecord').talentRecord.id));
    for (const res of results) expect(payloadOf(res, 'setTalentRecord').userErrors).toEqual([]);
    expect(ids.size).toBe(1);
    const rows = await server.db.prisma.talentRecord.findMany({
      where: { cycle: { name: 'Race' }, personId: acme.personIds[0] },
    });
    expect(rows).toHaveLength(1);
    // One statement decides it, INSERT … ON CONFLICT DO UPDATE, not a read then a write that a twin request could outrun.
    expect(server.db.statements.some((sql) => /INSERT INTO "public"\."TalentRecord".*ON CONFLICT/s.test(sql))).toBe(
      true,
    );
  });

  it.each([
    ['a rating of 0', { rating: 0 }, [[['input', 'rating'], 'OUT_OF_RANGE']]],
    ['a rating of 6', { rating: 6 }, [[['input', 'rating'], 'OUT_OF_RANGE']]],
    ['notes over 5000 characters', { notes: 'n'.repeat(5001) }, [[['input', 'notes'], 'TOO_LONG']]],
    [
      'a CLOSED cycle',
      () => ({ cycleId: cycleId('closed'), personId: person(0) }),
      [[['input', 'cycleId'], 'INVALID']],
    ],
    ["another organisation's cycle", () => ({ cycleId: cycleId('other') }), [[['input', 'cycleId'], 'NOT_FOUND']]],
    [
      'a made-up cycle',
      () => ({ cycleId: globalId('CalibrationCycle', randomUUID()) }),
      [[['input', 'cycleId'], 'NOT_FOUND']],
    ],
    ["another organisation's person", () => ({ personId: person(0, other) }), [[['input', 'personId'], 'NOT_FOUND']]],
    [
      'a made-up cycle and person',
      () => ({ cycleId: globalId('CalibrationCycle', randomUUID()), personId: globalId('Person', randomUUID()) }),
      [
        [['input', 'cycleId'], 'NOT_FOUND'],
        [['input', 'personId'], 'NOT_FOUND'],
      ],
    ],
  ] as const)('answers %s with userErrors and writes nothing', async (_case, change, expected) => {
    await expectUserErrors(
      acme.adminToken,
      'setTalentRecord',
      { ...VALID.setTalentRecord(), ...(typeof change === 'function' ? change() : change) },
      expected as unknown as ExpectedUserErrors,
    );
  });

  it('a CLOSED cycle takes no change until it is opened again', async () => {
    const input = { cycleId: cycleId('closed'), personId: person(0), rating: 1 };
    await expectUserErrors(acme.adminToken, 'setTalentRecord', input, [[['input', 'cycleId'], 'INVALID']]);
    await succeeded(acme.adminToken, 'updateCalibrationCycle', { id: cycleId('closed'), status: 'OPEN' });
    const { talentRecord } = await succeeded(acme.adminToken, 'setTalentRecord', input);
    expect(talentRecord).toMatchObject({ rating: 1, potential: 'MEDIUM', notes: 'Final.' });
    await succeeded(acme.adminToken, 'updateCalibrationCycle', { id: cycleId('closed'), status: 'CLOSED' });
  });
});

describe('who may write', () => {
  const tokens = {
    'a read-only key': () => keys.readOnly,
    'a key that allows writes': () => keys.writer,
    'a project admin of the project': () => projectAdmin,
  };
  const cases = (Object.keys(SELECTIONS) as Name[]).flatMap((name) =>
    (Object.keys(tokens) as (keyof typeof tokens)[]).map((who) => [who, name] as const),
  );

  it.each(cases)('%s calling %s is FORBIDDEN with HTTP 403 and nothing is written', async (who, name) => {
    await expectRefused(tokens[who](), name, VALID[name](), 'FORBIDDEN');
  });

  it("another organisation's admin cannot reach Acme's cycles or people", async () => {
    await expectRefused(other.adminToken, 'updateCalibrationCycle', { id: cycleId('open'), name: 'Mine' }, 'NOT_FOUND');
    await expectUserErrors(
      other.adminToken,
      'setTalentRecord',
      { cycleId: cycleId('open'), personId: person(0, other), rating: 2 },
      [[['input', 'cycleId'], 'NOT_FOUND']],
    );
    await expectUserErrors(
      other.adminToken,
      'setTalentRecord',
      { cycleId: cycleId('other'), personId: person(0), rating: 2 },
      [[['input', 'personId'], 'NOT_FOUND']],
    );
    const res = await expectNothingWritten(() =>
      server.graphql(other.adminToken, '{ calibrationCycles { edges { node { name } } } }'),
    );
    expect(res.body.data.calibrationCycles.edges.map((e: { node: { name: string } }) => e.node.name)).not.toContain(
      '2025 H1',
    );
  });
});
