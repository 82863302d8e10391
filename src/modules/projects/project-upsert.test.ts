import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutationHelpers, rawId } from '../../../test/support/mutations.ts';
import { writeScenario, type WriteScenario } from '../../../test/support/scenarios.ts';
import { rowCounts } from '../../../test/support/snapshots.ts';

/*
 * Project.externalId, projectByExternalId and upsertProject. Through HTTP; rows are
 * compared with Prisma directly (a replay must leave every column, updatedAt too, as it was).
 */

let s: WriteScenario;
let clock = new Date('2026-06-01T12:00:00Z');

beforeAll(async () => {
  s = await writeScenario({ now: () => clock });
});
afterAll(() => s?.server.close());

const { mutate, succeeded, expectUserErrors, expectRefused } = mutationHelpers({
  server: () => s.server,
  selections: {
    createProject: 'project { id externalId }',
    updateProject: 'project { id externalId }',
    upsertProject: 'project { id name code status city externalId updatedAt }',
  },
  snapshot: async () =>
    JSON.stringify([
      await rowCounts(s.server.db.prisma),
      await s.server.db.prisma.project.findMany({ orderBy: { id: 'asc' } }),
    ]),
});

/** The selection of a successful upsert: what it wrote and whether it created it. */
const UPSERTED = 'project { id name code status city externalId updatedAt } created';

const lookup = (token: string, externalId: string) =>
  s.server.graphql(token, 'query ($e: String!) { projectByExternalId(externalId: $e) { id name externalId } }', {
    e: externalId,
  });

describe('Project.externalId in createProject and updateProject', () => {
  it('is set trimmed on create, kept when omitted, cleared by null; a duplicate is TAKEN', async () => {
    const { project } = await succeeded(s.acme.adminToken, 'createProject', {
      name: 'Harbour',
      code: 'HRB',
      externalId: '  erp-harbour ',
    });
    expect(project.externalId).toBe('erp-harbour');
    const kept = await succeeded(s.acme.adminToken, 'updateProject', { id: project.id, name: 'Harbour 2' });
    expect(kept.project.externalId).toBe('erp-harbour');
    await expectUserErrors(
      s.acme.adminToken,
      'createProject',
      { name: 'Dup', code: 'DUP', externalId: 'erp-harbour' },
      [[['input', 'externalId'], 'TAKEN']],
    );
    const other = await succeeded(s.acme.adminToken, 'createProject', {
      name: 'Quay',
      code: 'QUAY',
      externalId: 'erp-quay',
    });
    await expectUserErrors(s.acme.adminToken, 'updateProject', { id: other.project.id, externalId: 'erp-harbour' }, [
      [['input', 'externalId'], 'TAKEN'],
    ]);
    const cleared = await succeeded(s.acme.adminToken, 'updateProject', { id: project.id, externalId: null });
    expect(cleared.project.externalId).toBeNull();
    // Free again, and another organisation's externalIds are no clash.
    await succeeded(s.acme.adminToken, 'updateProject', { id: other.project.id, externalId: 'erp-harbour' });
    await succeeded(s.other.adminToken, 'createProject', { name: 'Elsewhere', code: 'ELS', externalId: 'erp-harbour' });
  });

  it('blank and over-long externalIds are refused', async () => {
    await expectUserErrors(s.acme.adminToken, 'createProject', { name: 'Blank', code: 'BLK', externalId: '   ' }, [
      [['input', 'externalId'], 'BLANK'],
    ]);
    await expectUserErrors(
      s.acme.adminToken,
      'createProject',
      { name: 'Long', code: 'LNG', externalId: 'x'.repeat(256) },
      [[['input', 'externalId'], 'TOO_LONG']],
    );
    await succeeded(s.acme.adminToken, 'createProject', { name: 'Max', code: 'MAX', externalId: 'x'.repeat(255) });
  });
});

describe('projectByExternalId', () => {
  it('finds the project; null for an unknown one, for another organisation, and outside a key', async () => {
    const { project } = await succeeded(s.acme.adminToken, 'createProject', {
      name: 'Lookup',
      code: 'LKP',
      externalId: 'erp-lookup',
    });
    expect((await lookup(s.acme.adminToken, ' erp-lookup ')).body.data.projectByExternalId).toMatchObject({
      id: project.id,
      externalId: 'erp-lookup',
    });
    expect((await lookup(s.acme.adminToken, 'erp-nothing')).body.data.projectByExternalId).toBeNull();
    expect((await lookup(s.other.adminToken, 'erp-lookup')).body).toMatchObject({
      data: { projectByExternalId: null },
    });
    // The keys see project 0 only.
    expect((await lookup(s.keys.readOnly, 'erp-lookup')).body).toMatchObject({ data: { projectByExternalId: null } });
    await s.server.db.prisma.project.update({ where: { id: s.acme.projectIds[0] }, data: { externalId: 'erp-p0' } });
    expect((await lookup(s.keys.readOnly, 'erp-p0')).body.data.projectByExternalId.name).toBe('Acme project 0');
  });
});

describe('upsertProject', () => {
  const input = {
    externalId: 'erp-100',
    name: ' Bridge ',
    code: 'BRG',
    city: 'Boise',
    addressLine1: '',
    startsOn: '2026-07-01',
  };

  it('creates, then updates only what differs, and a replay changes nothing', async () => {
    const first = await succeeded(s.acme.adminToken, 'upsertProject', input, UPSERTED);
    expect(first).toMatchObject({
      created: true,
      project: { name: 'Bridge', status: 'ACTIVE', externalId: 'erp-100' },
    });
    const row = () => s.server.db.prisma.project.findUniqueOrThrow({ where: { id: rawId(first.project.id) } });
    const stored = await row();
    expect(stored.addressLine1).toBeNull();

    clock = new Date('2026-06-02T12:00:00Z');
    const replay = await succeeded(s.acme.adminToken, 'upsertProject', input, UPSERTED);
    expect(replay).toMatchObject({ created: false, project: { id: first.project.id } });
    expect(await row()).toEqual(stored);

    const changed = await succeeded(
      s.acme.adminToken,
      'upsertProject',
      { ...input, city: 'Nampa', status: 'ON_HOLD' },
      UPSERTED,
    );
    expect(changed).toMatchObject({
      created: false,
      project: { id: first.project.id, city: 'Nampa', status: 'ON_HOLD' },
    });
    expect((await row()).updatedAt.getTime()).toBeGreaterThan(stored.updatedAt.getTime());
    // status omitted: kept.
    const after = await row();
    await succeeded(s.acme.adminToken, 'upsertProject', { ...input, city: 'Nampa' });
    expect(await row()).toEqual(after);
  });

  it('keeps the rules of createProject and updateProject: a taken code, dates out of order', async () => {
    await expectUserErrors(
      s.acme.adminToken,
      'upsertProject',
      { externalId: 'erp-101', name: 'Dup code', code: 'BRG' },
      [[['input', 'code'], 'TAKEN']],
    );
    await expectUserErrors(s.acme.adminToken, 'upsertProject', { ...input, endsOn: '2026-06-01' }, [
      [['input', 'endsOn'], 'DATES_OUT_OF_ORDER'],
    ]);
    await expectUserErrors(s.acme.adminToken, 'upsertProject', { ...input, externalId: ' ' }, [
      [['input', 'externalId'], 'BLANK'],
    ]);
  });

  it('is for owners and admins: keys are FORBIDDEN and write nothing', async () => {
    await expectRefused(s.keys.readOnly, 'upsertProject', { ...input, externalId: 'erp-key' }, 'FORBIDDEN');
    await expectRefused(s.keys.writer, 'upsertProject', { ...input, externalId: 'erp-key' }, 'FORBIDDEN');
  });

  it("another organisation's externalId is another record", async () => {
    const res = await succeeded(s.other.adminToken, 'upsertProject', { ...input, name: 'Other bridge' }, UPSERTED);
    expect(res.created).toBe(true);
    expect(await mutate(s.acme.adminToken, 'upsertProject', input, UPSERTED)).toMatchObject({
      body: { data: { upsertProject: { created: false, project: { name: 'Bridge' } } } },
    });
  });
});
