import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiKeyFixture,
  globalId,
  writeScenario,
  type OrganizationScenario,
  projectAdminToken,
} from '../../../test/support/scenarios.ts';
import type { GraphQLResponse, TestServer } from '../../../test/support/server.ts';

/*
 * Who reads what of calibration: cycles are organisation-wide, a talent record goes with its
 * person (a key: people linked to its projects), rating and potential are readable by keys,
 * notes by admins only (null with FORBIDDEN for a key, the rest of the answer intact).
 *
 * Acme's keys reach project 0, whose people are persons 0 and 1; persons 2 and 3 belong to
 * project 1 only.
 */

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
let keys: Record<'readOnly' | 'writer' | 'directory', string>;
let projectAdmin: string;
const cycles = { open: '', closed: '', planned: '', other: '' };
/** Talent records by `<cycle>:<person index>`. */
const records: Record<string, string> = {};

beforeAll(async () => {
  const scenario = await writeScenario();
  ({ server, acme, other } = scenario);
  const prisma = server.db.prisma;
  keys = {
    ...scenario.keys,
    directory: (
      await apiKeyFixture(prisma, acme.organizationId, {
        projectIds: [acme.projectIds[0]],
        allowWrites: true,
        canWritePeople: true,
      })
    ).token,
  };
  projectAdmin = await projectAdminToken(prisma, 'Acme', [acme.projectIds[0]], 'site@acme.test');
  const cycle = async (organizationId: string, name: string, status: 'PLANNED' | 'OPEN' | 'CLOSED', start: string) =>
    (
      await prisma.calibrationCycle.create({
        data: { organizationId, name, status, startsOn: new Date(start), endsOn: new Date(start) },
      })
    ).id;
  cycles.closed = await cycle(acme.organizationId, '2025 H2', 'CLOSED', '2025-07-01');
  cycles.open = await cycle(acme.organizationId, '2026 H1', 'OPEN', '2026-01-01');
  cycles.planned = await cycle(acme.organizationId, '2026 H2', 'PLANNED', '2026-07-01');
  cycles.other = await cycle(other.organizationId, 'Other 2026', 'OPEN', '2026-01-01');
  const record = async (
    cycleName: 'open' | 'closed',
    person: number,
    data: { rating?: number; potential?: 'LOW' | 'MEDIUM' | 'HIGH'; notes?: string },
    org = acme,
  ) => {
    const row = await prisma.talentRecord.create({
      data: {
        organizationId: org.organizationId,
        cycleId: org === acme ? cycles[cycleName] : cycles.other,
        personId: org.personIds[person],
        ...data,
      },
    });
    records[`${org === acme ? cycleName : 'other'}:${person}`] = row.id;
  };
  await record('open', 0, { rating: 4, potential: 'HIGH', notes: 'Ready for a larger site.' });
  await record('open', 1, { rating: 2, potential: 'LOW', notes: 'Struggled with the handover.' });
  await record('open', 2, { rating: 5, potential: 'MEDIUM', notes: 'Retention risk: counter-offer expected.' });
  await record('open', 3, {});
  await record('closed', 0, { rating: 3, potential: 'MEDIUM', notes: 'Solid year.' });
  await record('open', 0, { rating: 1, notes: 'Other organisation.' }, other);
});
afterAll(() => server?.close());

const record = (key: string) => globalId('TalentRecord', records[key]);
const cycle = (name: keyof typeof cycles) => globalId('CalibrationCycle', cycles[name]);
const person = (i: number, org = acme) => globalId('Person', org.personIds[i]);
const nodes = (res: GraphQLResponse, field: string) =>
  res.body.data[field].edges.map((e: { node: Record<string, unknown> }) => e.node);
const ids = (res: GraphQLResponse, field: string) =>
  nodes(res, field)
    .map((n: { id: string }) => n.id)
    .sort();
/** A response without what differs from one request to the next. */
const comparable = (body: unknown) => JSON.parse(JSON.stringify(body), (k, v) => (k === 'requestId' ? undefined : v));

describe('calibration cycles', () => {
  it('every principal of the organisation sees every cycle, newest start first', async () => {
    for (const token of [keys.readOnly, projectAdmin, acme.adminToken]) {
      const res = await server.graphql(token, '{ calibrationCycles { totalCount edges { node { id name status } } } }');
      expect(res.body.errors).toBeUndefined();
      expect(nodes(res, 'calibrationCycles').map((n: { name: string }) => n.name)).toEqual([
        '2026 H2',
        '2026 H1',
        '2025 H2',
      ]);
    }
  });

  it('filters by status and orders by name', async () => {
    const open = await server.graphql(keys.readOnly, '{ calibrationCycles(status: OPEN) { edges { node { id } } } }');
    expect(nodes(open, 'calibrationCycles')).toEqual([{ id: cycle('open') }]);
    const byName = await server.graphql(
      keys.readOnly,
      '{ calibrationCycles(orderBy: { field: NAME, direction: ASC }) { edges { node { name } } } }',
    );
    expect(nodes(byName, 'calibrationCycles').map((n: { name: string }) => n.name)).toEqual([
      '2025 H2',
      '2026 H1',
      '2026 H2',
    ]);
  });

  it("another organisation's admin sees only its own cycles; Acme's cycle id is null as a made-up one", async () => {
    const res = await server.graphql(other.adminToken, '{ calibrationCycles { edges { node { id } } } }');
    expect(nodes(res, 'calibrationCycles')).toEqual([{ id: cycle('other') }]);
    const node = await server.graphql(other.adminToken, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
      ids: [cycle('open'), globalId('CalibrationCycle', randomUUID())],
    });
    expect(node.body.data.nodes).toEqual([null, null]);
  });
});

describe('talent records read by an API key', () => {
  it('lists the records of the people linked to its projects, with rating and potential', async () => {
    const res = await server.graphql(
      keys.readOnly,
      '{ talentRecords { totalCount edges { node { id rating potential person { id } cycle { name } } } } }',
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.talentRecords.totalCount).toBe(3);
    expect(nodes(res, 'talentRecords')).toEqual([
      { id: record('open:0'), rating: 4, potential: 'HIGH', person: { id: person(0) }, cycle: { name: '2026 H1' } },
      { id: record('open:1'), rating: 2, potential: 'LOW', person: { id: person(1) }, cycle: { name: '2026 H1' } },
      { id: record('closed:0'), rating: 3, potential: 'MEDIUM', person: { id: person(0) }, cycle: { name: '2025 H2' } },
    ]);
  });

  it('asking for notes: null with FORBIDDEN at each path, the rest of the answer intact (HTTP 200)', async () => {
    const res = await server.graphql(
      keys.readOnly,
      '{ calibrationCycles(status: OPEN) { edges { node { name } } } talentRecords(first: 2) { edges { node { rating notes } } } }',
    );
    expect(res.status).toBe(200);
    expect(nodes(res, 'calibrationCycles')).toEqual([{ name: '2026 H1' }]);
    expect(nodes(res, 'talentRecords')).toEqual([
      { rating: 4, notes: null },
      { rating: 2, notes: null },
    ]);
    expect(res.body.errors.map((e) => [e.path, e.extensions.code])).toEqual([
      [['talentRecords', 'edges', 0, 'node', 'notes'], 'FORBIDDEN'],
      [['talentRecords', 'edges', 1, 'node', 'notes'], 'FORBIDDEN'],
    ]);
  });

  it('a key with canWritePeople sees the whole directory, so every record, and still no notes', async () => {
    const res = await server.graphql(keys.directory, '{ talentRecords { totalCount } }');
    expect(res.body.data.talentRecords.totalCount).toBe(5);
    const notes = await server.graphql(
      keys.directory,
      'query ($id: ID!) { node(id: $id) { ... on TalentRecord { rating notes } } }',
      {
        id: record('open:2'),
      },
    );
    expect(notes.body.data.node).toEqual({ rating: 5, notes: null });
    expect(notes.body.errors.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
  });

  it('a record of a person outside its projects is null by id, exactly as a made-up id', async () => {
    const query = 'query ($id: ID!) { node(id: $id) { id ... on TalentRecord { rating } } }';
    const outside = await server.graphql(keys.readOnly, query, { id: record('open:2') });
    const absent = await server.graphql(keys.readOnly, query, { id: globalId('TalentRecord', randomUUID()) });
    expect(outside.body.data.node).toBeNull();
    expect(comparable(outside.body)).toEqual(comparable(absent.body));
    const admin = await server.graphql(acme.adminToken, query, { id: record('open:2') });
    expect(admin.body.data.node).toEqual({ id: record('open:2'), rating: 5 });
  });

  it.each([
    ['talentRecords(personId:)', '{ talentRecords(personId: $id) { totalCount edges { node { id rating } } } }'],
    [
      'CalibrationCycle.talentRecords(personId:)',
      '{ calibrationCycles { edges { node { talentRecords(personId: $id) { totalCount edges { node { id } } } } } } }',
    ],
  ])('%s with a person outside its projects answers as a person that does not exist', async (_case, selection) => {
    const query = `query ($id: ID) ${selection}`;
    const outside = await server.graphql(keys.readOnly, query, { id: person(2) });
    const absent = await server.graphql(keys.readOnly, query, { id: globalId('Person', randomUUID()) });
    expect(outside.status).toBe(absent.status);
    expect(comparable(outside.body)).toEqual(comparable(absent.body));
    // The admin finds something under the same id: the test can fail.
    const admin = await server.graphql(acme.adminToken, query, { id: person(2) });
    expect(JSON.stringify(admin.body.data)).toMatch(/"totalCount":[1-9]/);
  });

  it('CalibrationCycle.talentRecords and Person.talentRecords list only what it sees', async () => {
    const res = await server.graphql(
      keys.readOnly,
      'query ($c: ID!, $p: ID!) { c: node(id: $c) { ... on CalibrationCycle { talentRecords { totalCount edges { node { id } } } } } p: node(id: $p) { ... on Person { talentRecords { edges { node { id } } } } } }',
      { c: cycle('open'), p: person(0) },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.c.talentRecords.totalCount).toBe(2);
    expect(res.body.data.c.talentRecords.edges.map((e: { node: { id: string } }) => e.node.id).sort()).toEqual(
      [record('open:0'), record('open:1')].sort(),
    );
    expect(res.body.data.p.talentRecords.edges.map((e: { node: { id: string } }) => e.node.id).sort()).toEqual(
      [record('open:0'), record('closed:0')].sort(),
    );
  });
});

describe('talent records read by admins', () => {
  it('an owner sees every record of the organisation with its notes', async () => {
    const res = await server.graphql(acme.adminToken, '{ talentRecords { totalCount edges { node { id notes } } } }');
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.talentRecords.totalCount).toBe(5);
    expect(nodes(res, 'talentRecords')).toContainEqual({
      id: record('open:2'),
      notes: 'Retention risk: counter-offer expected.',
    });
  });

  it('filters (cycle, potential, updatedSince) and orders by rating, unrated last', async () => {
    const query = `query ($c: ID) {
      byCycle: talentRecords(cycleId: $c, orderBy: { field: RATING, direction: DESC }) { edges { node { rating } } }
      high: talentRecords(potential: HIGH) { edges { node { id } } }
      later: talentRecords(updatedSince: "2999-01-01T00:00:00Z") { totalCount }
    }`;
    const res = await server.graphql(acme.adminToken, query, { c: cycle('open') });
    expect(res.body.errors).toBeUndefined();
    expect(nodes(res, 'byCycle').map((n: { rating: number | null }) => n.rating)).toEqual([5, 4, 2, null]);
    expect(nodes(res, 'high')).toEqual([{ id: record('open:0') }]);
    expect(res.body.data.later.totalCount).toBe(0);
  });

  it('a project admin sees the records of the people of its projects, notes included', async () => {
    const res = await server.graphql(projectAdmin, '{ talentRecords { edges { node { id notes } } } }');
    expect(res.body.errors).toBeUndefined();
    expect(ids(res, 'talentRecords')).toEqual([record('open:0'), record('open:1'), record('closed:0')].sort());
    expect(nodes(res, 'talentRecords')).toContainEqual({ id: record('open:0'), notes: 'Ready for a larger site.' });
  });

  it("another organisation's admin sees none of Acme's records, by list, filter or id", async () => {
    const res = await server.graphql(
      other.adminToken,
      'query ($c: ID, $id: ID!) { talentRecords { edges { node { id } } } f: talentRecords(cycleId: $c) { totalCount } node(id: $id) { id } }',
      { c: cycle('open'), id: record('open:0') },
    );
    expect(res.body.errors).toBeUndefined();
    expect(ids(res, 'talentRecords')).toEqual([record('other:0')]);
    expect(res.body.data.f.totalCount).toBe(0);
    expect(res.body.data.node).toBeNull();
  });
});

describe('ordering and pages', () => {
  const walks = [
    ...['STARTS_ON', 'NAME', 'CREATED_AT', 'UPDATED_AT'].map((field) => ['calibrationCycles', field] as const),
    ...['RATING', 'CREATED_AT', 'UPDATED_AT'].map((field) => ['talentRecords', field] as const),
    ['calibrationCycles', null] as const,
    ['talentRecords', null] as const,
  ].flatMap(([list, field]) => (['ASC', 'DESC'] as const).map((direction) => [list, field, direction] as const));

  it.each(walks)('%s by %s %s: pages of two read what one page reads', async (list, field, direction) => {
    const orderBy = field ? `orderBy: { field: ${field}, direction: ${direction} },` : '';
    const page = (first: number, after: string | null) =>
      server.graphql(
        acme.adminToken,
        `query ($after: String) { ${list}(${orderBy} first: ${first}, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
    const all = await page(50, null);
    expect(all.body.errors).toBeUndefined();
    const walked: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const res = await page(2, after);
      walked.push(...res.body.data[list].edges.map((e: { node: { id: string } }) => e.node.id));
      if (!res.body.data[list].pageInfo.hasNextPage) break;
      after = res.body.data[list].pageInfo.endCursor;
    }
    expect(walked).toEqual(all.body.data[list].edges.map((e: { node: { id: string } }) => e.node.id));
    expect(walked.length).toBeGreaterThan(2);
  });
});
