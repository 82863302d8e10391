import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutationHelpers } from '../../../test/support/mutations.ts';
import { globalId, scenarioIds, writeScenario, type WriteScenario } from '../../../test/support/scenarios.ts';
import { rowCounts } from '../../../test/support/snapshots.ts';

/*
 * externalId on contractors and workers: in their create and update mutations, the
 * …ByExternalId lookups, upsertContractor, upsertWorker and the bulk upsertContractors.
 * Through HTTP; rows are compared with Prisma directly (a replay leaves every column as it was).
 */

let s: WriteScenario;
let clock = new Date('2026-06-01T12:00:00Z');

beforeAll(async () => {
  s = await writeScenario({ now: () => clock });
});
afterAll(() => s?.server.close());

const { project, contractor } = scenarioIds(() => s.acme);

/** Every contractor (with its projects) and worker, row by row: what the mutations here could touch. */
const rows = async () => {
  const prisma = s.server.db.prisma;
  const byId = { orderBy: { id: 'asc' as const } };
  return JSON.stringify([
    await rowCounts(prisma),
    await prisma.contractor.findMany({ ...byId, include: { projects: { select: { id: true }, ...byId } } }),
    await prisma.worker.findMany(byId),
  ]);
};

const { succeeded, expectUserErrors, expectRefused } = mutationHelpers({
  server: () => s.server,
  selections: {
    createContractor: 'contractor { id externalId }',
    updateContractor: 'contractor { id externalId }',
    createWorker: 'worker { id externalId }',
    updateWorker: 'worker { id externalId }',
    upsertContractor: 'contractor { id }',
    upsertWorker: 'worker { id }',
    upsertContractors: 'contractors { id }',
  },
  snapshot: rows,
});

const CONTRACTOR =
  'contractor { id name city tags approvalStatus externalId projects { edges { node { id } } } } created';

describe('externalId in createContractor, updateContractor, createWorker, updateWorker', () => {
  it('is set trimmed, kept when omitted, cleared by null; a duplicate in the organisation is TAKEN', async () => {
    const made = await succeeded(s.acme.adminToken, 'createContractor', {
      name: 'Ext Co',
      projectIds: [project(0)],
      externalId: ' vend-1 ',
    });
    expect(made.contractor.externalId).toBe('vend-1');
    await expectUserErrors(
      s.acme.adminToken,
      'createContractor',
      { name: 'Dup Co', projectIds: [project(0)], externalId: 'vend-1' },
      [[['input', 'externalId'], 'TAKEN']],
    );
    await expectUserErrors(s.acme.adminToken, 'updateContractor', { id: contractor(0), externalId: 'vend-1' }, [
      [['input', 'externalId'], 'TAKEN'],
    ]);
    expect(
      (await succeeded(s.acme.adminToken, 'updateContractor', { id: made.contractor.id, name: 'Ext Co 2' })).contractor
        .externalId,
    ).toBe('vend-1');
    expect(
      (await succeeded(s.acme.adminToken, 'updateContractor', { id: made.contractor.id, externalId: null })).contractor
        .externalId,
    ).toBeNull();
    await expectUserErrors(
      s.acme.adminToken,
      'updateContractor',
      { id: made.contractor.id, externalId: 'y'.repeat(256) },
      [[['input', 'externalId'], 'TOO_LONG']],
    );

    const worker = await succeeded(s.keys.writer, 'createWorker', {
      contractorId: contractor(0),
      firstName: 'Ada',
      lastName: 'Ext',
      externalId: 'emp-1',
    });
    expect(worker.worker.externalId).toBe('emp-1');
    await expectUserErrors(
      s.acme.adminToken,
      'createWorker',
      { contractorId: contractor(1), firstName: 'Bob', lastName: 'Dup', externalId: 'emp-1' },
      [[['input', 'externalId'], 'TAKEN']],
    );
    await expectUserErrors(
      s.acme.adminToken,
      'updateWorker',
      { id: globalId('Worker', s.acme.workerIds[1]), externalId: 'emp-1' },
      [[['input', 'externalId'], 'TAKEN']],
    );
    expect(
      (await succeeded(s.keys.writer, 'updateWorker', { id: worker.worker.id, externalId: 'emp-1b' })).worker
        .externalId,
    ).toBe('emp-1b');
    // Another organisation may use the same externalIds.
    await succeeded(s.other.adminToken, 'createWorker', {
      contractorId: globalId('Contractor', s.other.contractorIds[0]),
      firstName: 'Ola',
      lastName: 'Other',
      externalId: 'emp-1b',
    });
  });
});

describe('contractorByExternalId and workerByExternalId', () => {
  it('find the record in scope; null when unknown, in another organisation or outside a key', async () => {
    const prisma = s.server.db.prisma;
    await prisma.contractor.update({ where: { id: s.acme.contractorIds[0] }, data: { externalId: 'look-c0' } });
    await prisma.contractor.update({ where: { id: s.acme.contractorIds[1] }, data: { externalId: 'look-c1' } });
    await prisma.worker.update({ where: { id: s.acme.workerIds[1] }, data: { externalId: 'look-w1' } });
    const query = `query ($e: String!) { contractorByExternalId(externalId: $e) { id } workerByExternalId(externalId: $e) { id } }`;
    const read = async (token: string, e: string) => (await s.server.graphql(token, query, { e })).body.data;
    expect(await read(s.acme.adminToken, 'look-c0')).toEqual({
      contractorByExternalId: { id: contractor(0) },
      workerByExternalId: null,
    });
    expect((await read(s.acme.adminToken, 'look-w1')).workerByExternalId).toEqual({
      id: globalId('Worker', s.acme.workerIds[1]),
    });
    // The keys see project 0's contractor only; Other sees none of Acme's.
    expect((await read(s.keys.readOnly, 'look-c0')).contractorByExternalId).toEqual({ id: contractor(0) });
    expect(await read(s.keys.readOnly, 'look-c1')).toEqual({ contractorByExternalId: null, workerByExternalId: null });
    expect(await read(s.keys.readOnly, 'look-w1')).toEqual({ contractorByExternalId: null, workerByExternalId: null });
    expect(await read(s.other.adminToken, 'look-c0')).toEqual({
      contractorByExternalId: null,
      workerByExternalId: null,
    });
    expect(await read(s.acme.adminToken, 'look-none')).toEqual({
      contractorByExternalId: null,
      workerByExternalId: null,
    });
  });
});

describe('upsertContractor', () => {
  const input = () => ({
    externalId: 'vend-100',
    name: 'Upsert Co',
    projectIds: [project(0)],
    city: ' Boise ',
    tags: ['union', ' union', 'steel'],
    approvalStatus: 'PENDING',
  });

  it('creates, then a replay changes nothing, then updates only what differs (fields, projects, status)', async () => {
    const first = await succeeded(s.keys.writer, 'upsertContractor', input(), CONTRACTOR);
    expect(first).toMatchObject({
      created: true,
      contractor: { name: 'Upsert Co', city: 'Boise', tags: ['union', 'steel'], approvalStatus: 'PENDING' },
    });
    const before = await rows();
    clock = new Date('2026-06-02T12:00:00Z');
    const replay = await succeeded(s.keys.writer, 'upsertContractor', input(), CONTRACTOR);
    expect(replay).toMatchObject({ created: false, contractor: { id: first.contractor.id } });
    expect(await rows()).toEqual(before);

    const changed = await succeeded(
      s.acme.adminToken,
      'upsertContractor',
      { ...input(), city: 'Nampa', projectIds: [project(1)], approvalStatus: 'APPROVED' },
      CONTRACTOR,
    );
    expect(changed).toMatchObject({
      created: false,
      contractor: { id: first.contractor.id, city: 'Nampa', approvalStatus: 'APPROVED' },
    });
    // Added to project 1, kept on project 0.
    expect(changed.contractor.projects.edges.map((e: { node: { id: string } }) => e.node.id).sort()).toEqual(
      [project(0), project(1)].sort(),
    );
    expect(await rows()).not.toEqual(before);
  });

  it('keeps the rules of the create and update mutations for keys', async () => {
    // A project outside the key: NOT_FOUND, as in createContractor.
    await expectUserErrors(
      s.keys.writer,
      'upsertContractor',
      { ...input(), externalId: 'vend-101', projectIds: [project(1)] },
      [[['input', 'projectIds'], 'NOT_FOUND']],
    );
    await s.server.db.prisma.contractor.update({
      where: { id: s.acme.contractorIds[1] },
      data: { externalId: 'vend-p1' },
    });
    // A contractor of project 1 only: outside the key, so TAKEN and nothing said about it.
    await expectUserErrors(s.keys.writer, 'upsertContractor', { ...input(), externalId: 'vend-p1' }, [
      [['input', 'externalId'], 'TAKEN'],
    ]);
    await expectUserErrors(
      s.keys.writer,
      'upsertContractor',
      { ...input(), externalId: 'vend-102', name: ' ', contractorComplianceScore: 101 },
      [
        [['input', 'name'], 'BLANK'],
        [['input', 'contractorComplianceScore'], 'OUT_OF_RANGE'],
      ],
    );
    await expectUserErrors(s.keys.writer, 'upsertContractor', { ...input(), projectIds: [] }, [
      [['input', 'projectIds'], 'PROJECT_REQUIRED'],
    ]);
    await expectRefused(s.keys.readOnly, 'upsertContractor', { ...input(), externalId: 'vend-103' }, 'FORBIDDEN');
  });
});

describe('upsertWorker', () => {
  it('creates, replays without a write, moves to another contractor; keys keep their rules', async () => {
    const input = {
      externalId: 'emp-100',
      contractorId: contractor(0),
      firstName: 'Wes',
      lastName: 'Upsert',
      email: 'Wes@Acme.test',
    };
    const first = await succeeded(s.keys.writer, 'upsertWorker', input, 'worker { id email } created');
    expect(first).toMatchObject({ created: true, worker: { email: 'wes@acme.test' } });
    const before = await rows();
    clock = new Date('2026-06-03T12:00:00Z');
    expect(await succeeded(s.keys.writer, 'upsertWorker', input, 'created')).toEqual({
      created: false,
      userErrors: [],
    });
    expect(await rows()).toEqual(before);
    await expectUserErrors(s.keys.writer, 'upsertWorker', { ...input, contractorId: contractor(1) }, [
      [['input', 'contractorId'], 'NOT_FOUND'],
    ]);
    const moved = await succeeded(
      s.acme.adminToken,
      'upsertWorker',
      { ...input, contractorId: contractor(1) },
      'worker { contractor { id } } created',
    );
    expect(moved).toMatchObject({ created: false, worker: { contractor: { id: contractor(1) } } });
    // Now outside the key's projects.
    await expectUserErrors(s.keys.writer, 'upsertWorker', input, [[['input', 'externalId'], 'TAKEN']]);
    await expectRefused(s.keys.readOnly, 'upsertWorker', { ...input, externalId: 'emp-101' }, 'FORBIDDEN');
  });
});

describe('upsertContractors', () => {
  const item = (n: number, extra: Record<string, unknown> = {}) => ({
    externalId: `bulk-${n}`,
    name: `Bulk ${n}`,
    projectIds: [project(0)],
    ...extra,
  });

  it('refuses more than 100 items and none, writing nothing', async () => {
    const many = Array.from({ length: 101 }, (_, n) => item(n));
    await expectUserErrors(s.acme.adminToken, 'upsertContractors', { contractors: many }, [
      [['input', 'contractors'], 'TOO_LONG'],
    ]);
    await expectUserErrors(s.acme.adminToken, 'upsertContractors', { contractors: [] }, [
      [['input', 'contractors'], 'BLANK'],
    ]);
  });

  it('one bad item among good ones: nothing is written, and every bad item is reported at its index', async () => {
    const batch = [
      item(1),
      item(2, { name: '' }),
      item(3),
      item(1, { name: 'Again' }),
      item(4, { projectIds: [project(1)] }),
      item(5, { tags: ['ok', ''] }),
    ];
    await expectUserErrors(s.keys.writer, 'upsertContractors', { contractors: batch }, [
      [['input', 'contractors', '1', 'name'], 'BLANK'],
      [['input', 'contractors', '3', 'externalId'], 'TAKEN'],
      [['input', 'contractors', '4', 'projectIds'], 'NOT_FOUND'],
      [['input', 'contractors', '5', 'tags', '1'], 'BLANK'],
    ]);
  });

  it('creates and updates in one go; a replay of the whole batch changes nothing', async () => {
    await s.server.db.prisma.contractor.update({
      where: { id: s.acme.contractorIds[0] },
      data: { externalId: 'bulk-existing' },
    });
    const batch = [
      ...Array.from({ length: 30 }, (_, n) => item(10 + n, { city: 'Boise' })),
      item(0, { externalId: 'bulk-existing', name: 'Renamed by bulk' }),
    ];
    const first = await succeeded(
      s.keys.writer,
      'upsertContractors',
      { contractors: batch },
      'contractors { id name externalId }',
    );
    expect(first.contractors).toHaveLength(31);
    expect(first.contractors[30]).toEqual({ id: contractor(0), name: 'Renamed by bulk', externalId: 'bulk-existing' });
    expect(first.contractors.map((c: { externalId: string }) => c.externalId)).toEqual(batch.map((c) => c.externalId));
    const before = await rows();
    clock = new Date('2026-06-04T12:00:00Z');
    await succeeded(s.keys.writer, 'upsertContractors', { contractors: batch });
    expect(await rows()).toEqual(before);
  });

  it('a key that only reads is FORBIDDEN', async () => {
    await expectRefused(s.keys.readOnly, 'upsertContractors', { contractors: [item(99)] }, 'FORBIDDEN');
  });
});
