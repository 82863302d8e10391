import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mutationHelpers,
  payloadOf,
  rawId as uuidOf,
  readNode as readNodeOf,
} from '../../../test/support/mutations.ts';
import { apiKeyFixture, globalId, writeScenario, type OrganizationScenario } from '../../../test/support/scenarios.ts';
import type { TestServer } from '../../../test/support/server.ts';

/*
 * Writes to existing contractors and workers: updateContractor, setContractorApprovalStatus,
 * addContractorToProject, removeContractorFromProject, updateWorker. Everything goes
 * through HTTP; the fixture and the "nothing written" snapshots use Prisma directly.
 */

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
let keys: Record<'readOnly' | 'writer' | 'wideWriter', string>;

beforeAll(async () => {
  const scenario = await writeScenario({ acme: { projects: 3 } });
  ({ server, acme, other } = scenario);
  const wideWriter = await apiKeyFixture(server.db.prisma, acme.organizationId, {
    projectIds: [acme.projectIds[0], acme.projectIds[1]],
    allowWrites: true,
  });
  keys = { ...scenario.keys, wideWriter: wideWriter.token };
});
afterAll(() => server?.close());

const gid = globalId;
/** Acme's projects 0–2 (a key `writer` has project 0, `wideWriter` projects 0 and 1). */
const project = (i: number, org = acme) => gid('Project', org.projectIds[i]);
let serial = 0;
const unique = (prefix: string) => `${prefix} ${++serial}`;

/** A fresh contractor of Acme on the given projects (by index), so tests do not share state. */
async function newContractor(projects: number[], data: Record<string, unknown> = {}, org = acme) {
  const row = await server.db.prisma.contractor.create({
    data: {
      organizationId: org.organizationId,
      name: unique('Contractor'),
      ...data,
      projects: { connect: projects.map((i) => ({ id: org.projectIds[i] })) },
    },
  });
  return gid('Contractor', row.id);
}

/** A fresh worker of the given contractor. */
async function newWorker(contractorId: string, data: Record<string, unknown> = {}, org = acme) {
  const row = await server.db.prisma.worker.create({
    data: {
      organizationId: org.organizationId,
      contractorId: uuidOf(contractorId),
      firstName: 'Wren',
      lastName: unique('Worker'),
      ...data,
    },
  });
  return gid('Worker', row.id);
}

/** Each mutation and the payload it selects by default. */
const PAYLOAD = {
  updateContractor: 'contractor { id }',
  setContractorApprovalStatus: 'contractor { id }',
  addContractorToProject: 'contractor { id } project { id }',
  removeContractorFromProject: 'contractor { id } project { id }',
  updateWorker: 'worker { id }',
} as const;
type MutationName = keyof typeof PAYLOAD;

/** Every contractor, project link and worker, row by row (updatedAt included). */
async function snapshot() {
  const p = server.db.prisma;
  const contractors = await p.contractor.findMany({ orderBy: { id: 'asc' } });
  const links = await p.$queryRaw<{ a: string; b: string }[]>`
    SELECT "A"::text AS a, "B"::text AS b FROM "_ContractorProjects" ORDER BY 1, 2`;
  const workers = await p.worker.findMany({ orderBy: { id: 'asc' } });
  return { contractors, links, workers };
}

/** "Nothing written": no contractor, link or worker changed. */
const {
  mutate,
  succeeded: ok,
  expectNothingWritten,
  expectUserErrors,
  expectRefused: expectError,
} = mutationHelpers({ server: () => server, selections: PAYLOAD, snapshot });
const readNode = (token: string, globalID: string, fields: string) => readNodeOf(server, token, globalID, fields);

/** The global ids of a contractor's projects, as an admin reads them. */
async function projectsOf(contractorId: string): Promise<string[]> {
  const read = await readNode(
    acme.adminToken,
    contractorId,
    '... on Contractor { projects { edges { node { id } } } }',
  );
  return read.projects.edges.map((e: { node: { id: string } }) => e.node.id).sort();
}

const CONTRACTOR_FIELDS =
  'name address city state zip tags autoApprove approvalStatus contractorComplianceScore employeeComplianceScore';

describe('updateContractor', () => {
  it('changes every field it names; node reads the change back', async () => {
    const id = await newContractor([0]);
    const name = unique('Harbor Electric');
    const payload = await ok(
      acme.adminToken,
      'updateContractor',
      {
        id,
        name: `  ${name} `,
        address: ' 1 Quay St ',
        city: 'Portland',
        state: 'OR',
        zip: '97201',
        tags: [' green ', 'union', 'green'],
        autoApprove: true,
        contractorComplianceScore: 0,
        employeeComplianceScore: 100,
      },
      `contractor { id ${CONTRACTOR_FIELDS} }`,
    );
    const expected = {
      id,
      name,
      address: '1 Quay St',
      city: 'Portland',
      state: 'OR',
      zip: '97201',
      tags: ['green', 'union'],
      autoApprove: true,
      approvalStatus: 'NEW',
      contractorComplianceScore: 0,
      employeeComplianceScore: 100,
    };
    expect(payload.contractor).toEqual(expected);
    expect(await readNode(acme.adminToken, id, `... on Contractor { ${CONTRACTOR_FIELDS} }`)).toEqual(expected);
    const byTag = await server.graphql(acme.adminToken, '{ contractors(tag: "green") { edges { node { id } } } }');
    expect(byTag.body.data.contractors.edges).toContainEqual({ node: { id } });
  });

  it('leaves omitted fields as they are', async () => {
    const stored = {
      address: '9 Dock Rd',
      city: 'Boise',
      state: 'ID',
      zip: '83702',
      tags: ['union'],
      autoApprove: true,
      contractorComplianceScore: 70,
      employeeComplianceScore: 80,
    };
    const id = await newContractor([0], stored);
    await ok(acme.adminToken, 'updateContractor', { id, city: 'Nampa' });
    const read = await readNode(acme.adminToken, id, `... on Contractor { ${CONTRACTOR_FIELDS} }`);
    expect(read).toMatchObject({ ...stored, city: 'Nampa' });
  });

  it('null (or blank text) clears the optional fields; null tags clear the list', async () => {
    const id = await newContractor([0], {
      address: '9 Dock Rd',
      city: 'Boise',
      state: 'ID',
      zip: '83702',
      tags: ['union'],
      contractorComplianceScore: 70,
      employeeComplianceScore: 80,
    });
    await ok(acme.adminToken, 'updateContractor', {
      id,
      address: null,
      city: '   ',
      state: null,
      zip: null,
      tags: null,
      contractorComplianceScore: null,
      employeeComplianceScore: null,
    });
    expect(await readNode(acme.adminToken, id, `... on Contractor { ${CONTRACTOR_FIELDS} }`)).toMatchObject({
      address: null,
      city: null,
      state: null,
      zip: null,
      tags: [],
      contractorComplianceScore: null,
      employeeComplianceScore: null,
    });
  });

  it('an input with only the id changes nothing and answers the contractor', async () => {
    const id = await newContractor([0]);
    const payload = await expectNothingWritten(() => ok(acme.adminToken, 'updateContractor', { id }));
    expect(payload.contractor).toEqual({ id });
  });

  it.each([
    ['a null name', { name: null }, [[['input', 'name'], 'BLANK']]],
    ['a blank name', { name: '  ' }, [[['input', 'name'], 'BLANK']]],
    ['a name over 200 characters', { name: 'x'.repeat(201) }, [[['input', 'name'], 'TOO_LONG']]],
    ['an address over 500 characters', { address: 'a'.repeat(501) }, [[['input', 'address'], 'TOO_LONG']]],
    ['a zip over 20 characters', { zip: '9'.repeat(21) }, [[['input', 'zip'], 'TOO_LONG']]],
    ['a null autoApprove', { autoApprove: null }, [[['input', 'autoApprove'], 'BLANK']]],
    [
      'a score above 100',
      { contractorComplianceScore: 101 },
      [[['input', 'contractorComplianceScore'], 'OUT_OF_RANGE']],
    ],
    ['a negative score', { employeeComplianceScore: -1 }, [[['input', 'employeeComplianceScore'], 'OUT_OF_RANGE']]],
    ['a blank tag', { tags: ['ok', ' '] }, [[['input', 'tags', '1'], 'BLANK']]],
    ['a tag over 50 characters', { tags: ['t'.repeat(51)] }, [[['input', 'tags', '0'], 'TOO_LONG']]],
    ['more than 20 tags', { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, [[['input', 'tags'], 'TOO_LONG']]],
    [
      'several problems at once (valid changes beside them are not written either)',
      { name: '', city: 'Valid City', contractorComplianceScore: 500 },
      [
        [['input', 'name'], 'BLANK'],
        [['input', 'contractorComplianceScore'], 'OUT_OF_RANGE'],
      ],
    ],
  ] as const)('answers %s with userErrors and writes nothing', async (_case, change, expected) => {
    const id = await newContractor([0]);
    await expectUserErrors(
      acme.adminToken,
      'updateContractor',
      { id, ...change },
      expected as unknown as [string[], string][],
    );
  });

  it('an id of the wrong type is BAD_USER_INPUT', async () => {
    await expectError(acme.adminToken, 'updateContractor', { id: project(0), name: 'x' }, 'BAD_USER_INPUT');
  });
});

describe('setContractorApprovalStatus', () => {
  it('sets the status; node and contractors(status:) read it back', async () => {
    const id = await newContractor([2], { approvalStatus: 'PENDING' });
    const payload = await ok(
      acme.adminToken,
      'setContractorApprovalStatus',
      { id, approvalStatus: 'DENIED' },
      'contractor { id approvalStatus }',
    );
    expect(payload.contractor).toEqual({ id, approvalStatus: 'DENIED' });
    expect(await readNode(acme.adminToken, id, '... on Contractor { approvalStatus }')).toEqual({
      id,
      approvalStatus: 'DENIED',
    });
    const denied = await server.graphql(
      acme.adminToken,
      '{ contractors(status: DENIED, first: 100) { edges { node { id } } } }',
    );
    expect(denied.body.data.contractors.edges).toContainEqual({ node: { id } });
    const pending = await server.graphql(
      acme.adminToken,
      '{ contractors(status: PENDING, first: 100) { edges { node { id } } } }',
    );
    expect(pending.body.data.contractors.edges).not.toContainEqual({ node: { id } });
  });

  it('setting the current status again changes nothing', async () => {
    const id = await newContractor([0], { approvalStatus: 'APPROVED' });
    const payload = await expectNothingWritten(() =>
      ok(
        acme.adminToken,
        'setContractorApprovalStatus',
        { id, approvalStatus: 'APPROVED' },
        'contractor { approvalStatus }',
      ),
    );
    expect(payload.contractor).toEqual({ approvalStatus: 'APPROVED' });
  });

  it('an unknown status is a BAD_USER_INPUT error', async () => {
    const id = await newContractor([0]);
    const res = await expectNothingWritten(() =>
      mutate(acme.adminToken, 'setContractorApprovalStatus', { id, approvalStatus: 'MAYBE' }),
    );
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('addContractorToProject', () => {
  it('links the contractor; its projects and the project’s contractors read it back', async () => {
    const id = await newContractor([0]);
    const payload = await ok(
      acme.adminToken,
      'addContractorToProject',
      { contractorId: id, projectId: project(1) },
      'contractor { id projects { totalCount } } project { id contractors { totalCount edges { node { id } } } }',
    );
    expect(payload.contractor).toEqual({ id, projects: { totalCount: 2 } });
    expect(payload.project.id).toBe(project(1));
    expect(payload.project.contractors.edges).toContainEqual({ node: { id } });
    expect(await projectsOf(id)).toEqual([project(0), project(1)].sort());
  });

  it('a change of its projects moves the contractor’s updatedAt', async () => {
    const id = await newContractor([0], { updatedAt: new Date('2020-01-01T00:00:00Z') });
    const added = await ok(
      acme.adminToken,
      'addContractorToProject',
      { contractorId: id, projectId: project(1) },
      'contractor { updatedAt }',
    );
    expect(new Date(added.contractor.updatedAt).getFullYear()).toBeGreaterThan(2020);
    await server.db.prisma.contractor.update({
      where: { id: uuidOf(id) },
      data: { updatedAt: new Date('2020-01-01T00:00:00Z') },
    });
    const removed = await ok(
      acme.adminToken,
      'removeContractorFromProject',
      { contractorId: id, projectId: project(1) },
      'contractor { updatedAt }',
    );
    expect(new Date(removed.contractor.updatedAt).getFullYear()).toBeGreaterThan(2020);
  });

  it('linking again changes nothing and is no error', async () => {
    const id = await newContractor([0, 1]);
    const payload = await expectNothingWritten(() =>
      ok(acme.adminToken, 'addContractorToProject', { contractorId: id, projectId: project(1) }),
    );
    expect(payload).toMatchObject({ contractor: { id }, project: { id: project(1) } });
    expect(await projectsOf(id)).toEqual([project(0), project(1)].sort());
  });

  it("another organisation's project is a NOT_FOUND userError on projectId; nothing is written", async () => {
    const id = await newContractor([0]);
    await expectUserErrors(
      acme.adminToken,
      'addContractorToProject',
      { contractorId: id, projectId: project(0, other) },
      [[['input', 'projectId'], 'NOT_FOUND']],
    );
  });
});

describe('removeContractorFromProject', () => {
  it('unlinks the contractor; it keeps its other projects', async () => {
    const id = await newContractor([0, 1, 2]);
    const payload = await ok(
      acme.adminToken,
      'removeContractorFromProject',
      { contractorId: id, projectId: project(1) },
      'contractor { id projects { totalCount } } project { id contractors(first: 100) { edges { node { id } } } }',
    );
    expect(payload.contractor).toEqual({ id, projects: { totalCount: 2 } });
    expect(payload.project.id).toBe(project(1));
    expect(payload.project.contractors.edges).not.toContainEqual({ node: { id } });
    expect(await projectsOf(id)).toEqual([project(0), project(2)].sort());
  });

  it("removing the contractor's last project is PROJECT_REQUIRED; nothing is written", async () => {
    const id = await newContractor([1]);
    await expectUserErrors(
      acme.adminToken,
      'removeContractorFromProject',
      { contractorId: id, projectId: project(1) },
      [[['input', 'projectId'], 'PROJECT_REQUIRED']],
    );
    expect(await projectsOf(id)).toEqual([project(1)]);
  });

  it('removing a project the contractor is not on changes nothing and is no error (a retry succeeds)', async () => {
    const id = await newContractor([0, 1]);
    await ok(acme.adminToken, 'removeContractorFromProject', { contractorId: id, projectId: project(1) });
    const payload = await expectNothingWritten(() =>
      ok(acme.adminToken, 'removeContractorFromProject', { contractorId: id, projectId: project(1) }),
    );
    expect(payload).toMatchObject({ contractor: { id }, project: { id: project(1) } });
    expect(await projectsOf(id)).toEqual([project(0)]);
  });

  it("another organisation's project is a NOT_FOUND userError on projectId; nothing is written", async () => {
    const id = await newContractor([0, 1]);
    await expectUserErrors(
      acme.adminToken,
      'removeContractorFromProject',
      { contractorId: id, projectId: project(0, other) },
      [[['input', 'projectId'], 'NOT_FOUND']],
    );
  });

  it.each([2, 3])(
    'removing the last %i projects at once: exactly one call fails with PROJECT_REQUIRED, one project stays',
    async (count) => {
      for (let round = 0; round < 5; round++) {
        const id = await newContractor([0, 1, 2].slice(0, count));
        const results = await Promise.all(
          [0, 1, 2]
            .slice(0, count)
            .map((i) =>
              mutate(acme.adminToken, 'removeContractorFromProject', { contractorId: id, projectId: project(i) }),
            ),
        );
        const codes = results.map((res) => payloadOf(res, 'removeContractorFromProject').userErrors.map((e) => e.code));
        expect(codes.filter((c) => c.length === 0)).toHaveLength(count - 1);
        expect(codes.filter((c) => c.length)).toEqual([['PROJECT_REQUIRED']]);
        expect(await projectsOf(id)).toHaveLength(1);
      }
    },
  );
});

describe('rollback of a link mutation that fails half-way', () => {
  it.each([
    ['addContractorToProject', 'INSERT', 'NEW', [0], [0]],
    ['removeContractorFromProject', 'DELETE', 'OLD', [0, 1], [0, 1]],
  ] as const)(
    '%s failing after its first write rolls everything back (nothing half-written)',
    async (name, operation, row, before, keeps) => {
      const id = await newContractor([...before]);
      const prisma = server.db.prisma;
      // A fault injected by the database: the link change of this contractor fails, after
      // the mutation has already updated the contractor row in the same transaction.
      await prisma.$executeRawUnsafe(`
        CREATE FUNCTION test_fail_link() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF ${row}."A" = '${uuidOf(id)}'::uuid THEN RAISE EXCEPTION 'injected fault'; END IF;
          RETURN ${row};
        END $$`);
      await prisma.$executeRawUnsafe(`
        CREATE TRIGGER test_fail_link AFTER ${operation} ON "_ContractorProjects"
        FOR EACH ROW EXECUTE FUNCTION test_fail_link()`);
      try {
        server.db.statements.length = 0;
        const res = await expectNothingWritten(() =>
          mutate(acme.adminToken, name, { contractorId: id, projectId: project(1) }),
        );
        expect(res.body.errors.map((e) => e.extensions.code)).toEqual(['INTERNAL_SERVER_ERROR']);
        expect(JSON.stringify(res.body)).not.toContain('injected fault');
        // the contractor row had already been updated when the link change failed
        expect(server.db.statements.some((sql) => sql.startsWith('UPDATE "public"."Contractor"'))).toBe(true);
      } finally {
        await prisma.$executeRawUnsafe('DROP TRIGGER test_fail_link ON "_ContractorProjects"');
        await prisma.$executeRawUnsafe('DROP FUNCTION test_fail_link()');
      }
      expect(await projectsOf(id)).toEqual(keeps.map((i) => project(i)).sort());
      // and the same change works once the fault is gone
      await ok(acme.adminToken, name, { contractorId: id, projectId: project(1) });
    },
  );
});

describe('updateWorker', () => {
  it('changes every field it names and moves the worker to another contractor; node reads it back', async () => {
    const from = await newContractor([0]);
    const to = await newContractor([1]);
    const id = await newWorker(from);
    const lastName = unique('Lovelace');
    const payload = await ok(
      acme.adminToken,
      'updateWorker',
      {
        id,
        firstName: ' Ada ',
        lastName,
        email: 'Ada@Example.COM',
        phone: '+1 503 555 0100',
        trade: 'Electrician',
        contractorId: to,
      },
      'worker { id firstName lastName email phone trade contractor { id } }',
    );
    const expected = {
      id,
      firstName: 'Ada',
      lastName,
      email: 'ada@example.com',
      phone: '+1 503 555 0100',
      trade: 'Electrician',
      contractor: { id: to },
    };
    expect(payload.worker).toEqual(expected);
    expect(
      await readNode(acme.adminToken, id, '... on Worker { firstName lastName email phone trade contractor { id } }'),
    ).toEqual(expected);
    expect(await readNode(acme.adminToken, from, '... on Contractor { workers { totalCount } }')).toMatchObject({
      workers: { totalCount: 0 },
    });
    expect(
      await readNode(acme.adminToken, to, '... on Contractor { workers { edges { node { id } } } }'),
    ).toMatchObject({
      workers: { edges: [{ node: { id } }] },
    });
  });

  it('leaves omitted fields as they are; null (or blank) clears email, phone and trade', async () => {
    const contractor = await newContractor([0]);
    const id = await newWorker(contractor, { email: 'w@acme.test', phone: '555', trade: 'Roofer' });
    await ok(acme.adminToken, 'updateWorker', { id, firstName: 'Rowan' });
    expect(
      await readNode(acme.adminToken, id, '... on Worker { firstName email phone trade contractor { id } }'),
    ).toMatchObject({
      firstName: 'Rowan',
      email: 'w@acme.test',
      phone: '555',
      trade: 'Roofer',
      contractor: { id: contractor },
    });
    await ok(acme.adminToken, 'updateWorker', { id, email: null, phone: ' ', trade: null });
    expect(await readNode(acme.adminToken, id, '... on Worker { firstName email phone trade }')).toMatchObject({
      firstName: 'Rowan',
      email: null,
      phone: null,
      trade: null,
    });
  });

  it.each([
    ['a null first name', { firstName: null }, [[['input', 'firstName'], 'BLANK']]],
    ['a blank last name', { lastName: ' ' }, [[['input', 'lastName'], 'BLANK']]],
    ['a last name over 100 characters', { lastName: 'x'.repeat(101) }, [[['input', 'lastName'], 'TOO_LONG']]],
    ['a phone over 40 characters', { phone: '1'.repeat(41) }, [[['input', 'phone'], 'TOO_LONG']]],
    ['a trade over 100 characters', { trade: 't'.repeat(101) }, [[['input', 'trade'], 'TOO_LONG']]],
    ['a null contractorId', { contractorId: null }, [[['input', 'contractorId'], 'BLANK']]],
    [
      "another organisation's contractor (the name change beside it is not written either)",
      () => ({ firstName: 'Moved', contractorId: gid('Contractor', other.contractorIds[0]) }),
      [[['input', 'contractorId'], 'NOT_FOUND']],
    ],
  ] as const)('answers %s with userErrors and writes nothing', async (_case, change, expected) => {
    const id = await newWorker(await newContractor([0]));
    await expectUserErrors(
      acme.adminToken,
      'updateWorker',
      { id, ...(typeof change === 'function' ? change() : change) },
      expected as unknown as [string[], string][],
    );
  });

  it('a malformed email is a BAD_USER_INPUT error and writes nothing', async () => {
    const id = await newWorker(await newContractor([0]));
    const res = await expectNothingWritten(() => mutate(acme.adminToken, 'updateWorker', { id, email: 'nope' }));
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('API keys', () => {
  it('a writing key changes, approves, links and unlinks a contractor of its project', async () => {
    const id = await newContractor([0, 2]);
    await ok(keys.writer, 'updateContractor', { id, name: 'Key-named', tags: ['via-key'] });
    await ok(keys.writer, 'setContractorApprovalStatus', { id, approvalStatus: 'APPROVED' });
    expect(await readNode(keys.writer, id, '... on Contractor { name tags approvalStatus }')).toEqual({
      id,
      name: 'Key-named',
      tags: ['via-key'],
      approvalStatus: 'APPROVED',
    });
    // wideWriter has projects 0 and 1: it may link the contractor to 1
    await ok(keys.wideWriter, 'addContractorToProject', { contractorId: id, projectId: project(1) });
    await ok(keys.wideWriter, 'removeContractorFromProject', { contractorId: id, projectId: project(1) });
    expect(await projectsOf(id)).toEqual([project(0), project(2)].sort());
  });

  it('a writing key changes and moves a worker between contractors of its projects', async () => {
    const to = await newContractor([1]);
    const id = await newWorker(await newContractor([0]));
    const payload = await ok(
      keys.wideWriter,
      'updateWorker',
      { id, trade: 'Welder', contractorId: to },
      'worker { trade contractor { id } }',
    );
    expect(payload.worker).toEqual({ trade: 'Welder', contractor: { id: to } });
  });

  it('a key sees only its projects on the payload: the contractor’s other projects are not listed', async () => {
    const id = await newContractor([0, 2]);
    const payload = await ok(
      keys.writer,
      'updateContractor',
      { id, city: 'Salem' },
      'contractor { projects { totalCount edges { node { id } } } }',
    );
    expect(payload.contractor.projects).toEqual({ totalCount: 1, edges: [{ node: { id: project(0) } }] });
  });

  describe('outside its projects, everything is NOT_FOUND and nothing is written', () => {
    /** Contractor and worker on project 1, which the writer key lacks. */
    const outside = async () => {
      const contractorId = await newContractor([1]);
      return { contractorId, workerId: await newWorker(contractorId) };
    };

    it.each([
      ['updateContractor', ({ contractorId }: { contractorId: string }) => ({ id: contractorId, name: 'x' })],
      [
        'setContractorApprovalStatus',
        ({ contractorId }: { contractorId: string }) => ({ id: contractorId, approvalStatus: 'APPROVED' }),
      ],
      [
        'addContractorToProject',
        ({ contractorId }: { contractorId: string }) => ({ contractorId, projectId: project(0) }),
      ],
      [
        'removeContractorFromProject',
        ({ contractorId }: { contractorId: string }) => ({ contractorId, projectId: project(0) }),
      ],
      ['updateWorker', ({ workerId }: { workerId: string }) => ({ id: workerId, firstName: 'x' })],
    ] as const)('%s on a contractor or worker of another project: NOT_FOUND error', async (name, input) => {
      await expectError(keys.writer, name, input(await outside()), 'NOT_FOUND');
    });

    it('linking its contractor to a project it lacks: NOT_FOUND userError on projectId', async () => {
      const id = await newContractor([0]);
      await expectUserErrors(keys.writer, 'addContractorToProject', { contractorId: id, projectId: project(1) }, [
        [['input', 'projectId'], 'NOT_FOUND'],
      ]);
    });

    it('unlinking its contractor from a project it lacks: NOT_FOUND userError on projectId', async () => {
      const id = await newContractor([0, 1]);
      await expectUserErrors(keys.writer, 'removeContractorFromProject', { contractorId: id, projectId: project(1) }, [
        [['input', 'projectId'], 'NOT_FOUND'],
      ]);
    });

    it('moving its worker to a contractor of another project: NOT_FOUND userError on contractorId', async () => {
      const id = await newWorker(await newContractor([0]));
      const { contractorId } = await outside();
      await expectUserErrors(keys.writer, 'updateWorker', { id, contractorId }, [
        [['input', 'contractorId'], 'NOT_FOUND'],
      ]);
    });
  });

  it('removing its own project from a contractor whose other projects it lacks: allowed, the key loses sight (contractor null)', async () => {
    const id = await newContractor([0, 1]);
    const payload = await ok(keys.writer, 'removeContractorFromProject', { contractorId: id, projectId: project(0) });
    expect(payload).toEqual({ contractor: null, project: { id: project(0) }, userErrors: [] });
    expect(await projectsOf(id)).toEqual([project(1)]);
    expect(await readNode(keys.writer, id, '')).toBeNull();
    await expectError(keys.writer, 'updateContractor', { id, name: 'gone' }, 'NOT_FOUND');
  });

  it('removing its own project that is the contractor’s last is PROJECT_REQUIRED', async () => {
    const id = await newContractor([0]);
    await expectUserErrors(keys.writer, 'removeContractorFromProject', { contractorId: id, projectId: project(0) }, [
      [['input', 'projectId'], 'PROJECT_REQUIRED'],
    ]);
  });

  it.each(Object.keys(PAYLOAD) as MutationName[])(
    'a read-only key calling %s is FORBIDDEN with HTTP 403 and nothing is written',
    async (name) => {
      const contractorId = await newContractor([0, 1]);
      const workerId = await newWorker(contractorId);
      const inputs: Record<MutationName, Record<string, unknown>> = {
        updateContractor: { id: contractorId, name: 'x' },
        setContractorApprovalStatus: { id: contractorId, approvalStatus: 'DENIED' },
        addContractorToProject: { contractorId, projectId: project(2) },
        removeContractorFromProject: { contractorId, projectId: project(0) },
        updateWorker: { id: workerId, firstName: 'x' },
      };
      await expectError(keys.readOnly, name, inputs[name], 'FORBIDDEN', 403);
    },
  );
});

describe("another organisation's admin", () => {
  it.each(Object.keys(PAYLOAD) as MutationName[])(
    "calling %s on Acme's contractor or worker gets NOT_FOUND and nothing is written",
    async (name) => {
      const contractorId = await newContractor([0, 1]);
      const workerId = await newWorker(contractorId);
      const inputs: Record<MutationName, Record<string, unknown>> = {
        updateContractor: { id: contractorId, name: 'x' },
        setContractorApprovalStatus: { id: contractorId, approvalStatus: 'DENIED' },
        // with a project of its own, so only the contractor is foreign
        addContractorToProject: { contractorId, projectId: project(0, other) },
        removeContractorFromProject: { contractorId, projectId: project(0, other) },
        updateWorker: { id: workerId, firstName: 'x', contractorId: gid('Contractor', other.contractorIds[0]) },
      };
      await expectError(other.adminToken, name, inputs[name], 'NOT_FOUND');
    },
  );
});
