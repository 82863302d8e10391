import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMutationKit } from '../../../test/support/create-mutations.ts';
import { mutationDocument, payloadOf } from '../../../test/support/mutations.ts';
import { writeScenario, type OrganizationScenario } from '../../../test/support/scenarios.ts';
import type { TestServer } from '../../../test/support/server.ts';

/*
 * createContractor, createWorker and addQualification: new contractors, workers and qualifications.
 * Through HTTP; the fixture and the "nothing written" row counts use Prisma directly.
 */

let server: TestServer;
let acme: OrganizationScenario;
let other: OrganizationScenario;
const clock = new Date('2026-06-01T12:00:00Z');

beforeAll(async () => {
  ({ server, acme, other } = await writeScenario({ now: () => clock, acme: { contractorsPerProject: 2 } }));
});
afterAll(() => server?.close());

/** Contractors 0–1 are on project 0, 2–3 on project 1 (scenario layout). */
const {
  MUTATIONS,
  unique,
  mutate,
  created,
  expectNothingWritten,
  expectUserErrors,
  resolveChange,
  readNode,
  project,
  contractor,
  worker,
} = createMutationKit(
  () => server,
  () => acme,
);

describe('createContractor', () => {
  it('creates a contractor on its projects with normalised tags; node and contractors(tag:) find it', async () => {
    const name = unique('Harbor Electric');
    const input = {
      name: `  ${name}  `,
      projectIds: [project(0), project(1)],
      address: '1 Quay St',
      city: 'Portland',
      state: 'OR',
      zip: '97201',
      tags: [' green ', 'union', 'green'],
      autoApprove: true,
      approvalStatus: 'PENDING',
      contractorComplianceScore: 0,
      employeeComplianceScore: 100,
    };
    const contractor = await created(
      acme.adminToken,
      'createContractor',
      input,
      'id name tags approvalStatus autoApprove contractorComplianceScore employeeComplianceScore city',
    );
    expect(contractor).toMatchObject({
      name,
      tags: ['green', 'union'],
      approvalStatus: 'PENDING',
      autoApprove: true,
      contractorComplianceScore: 0,
      employeeComplianceScore: 100,
      city: 'Portland',
    });
    const row = await server.db.prisma.contractor.findUniqueOrThrow({
      where: { id: Buffer.from(contractor.id, 'base64url').toString().split(':')[1] },
    });
    expect(row.organizationId).toBe(acme.organizationId);

    const read = await readNode(
      acme.adminToken,
      contractor.id,
      '... on Contractor { name address zip projects { totalCount edges { node { id } } } }',
    );
    expect(read.name).toBe(name);
    expect(read.address).toBe('1 Quay St');
    expect(read.projects.totalCount).toBe(2);
    expect(read.projects.edges.map((e: { node: { id: string } }) => e.node.id).sort()).toEqual(
      [project(0), project(1)].sort(),
    );

    const byTag = await server.graphql(acme.adminToken, '{ contractors(tag: "green") { edges { node { id } } } }');
    expect(byTag.body.data.contractors.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([contractor.id]);
  });

  it('defaults: approvalStatus NEW, autoApprove false, no tags, optional fields null', async () => {
    const contractor = await created(
      acme.adminToken,
      'createContractor',
      { name: unique('Plain'), projectIds: [project(1)], city: '   ' },
      'approvalStatus autoApprove tags city contractorComplianceScore',
    );
    expect(contractor).toEqual({
      approvalStatus: 'NEW',
      autoApprove: false,
      tags: [],
      city: null,
      contractorComplianceScore: null,
    });
  });

  it.each([
    ['a blank name', { name: '  ' }, [[['input', 'name'], 'BLANK']]],
    ['a name over 200 characters', { name: 'x'.repeat(201) }, [[['input', 'name'], 'TOO_LONG']]],
    ['no project', { projectIds: [] }, [[['input', 'projectIds'], 'PROJECT_REQUIRED']]],
    [
      'a score above 100',
      { contractorComplianceScore: 101 },
      [[['input', 'contractorComplianceScore'], 'OUT_OF_RANGE']],
    ],
    ['a negative score', { employeeComplianceScore: -1 }, [[['input', 'employeeComplianceScore'], 'OUT_OF_RANGE']]],
    ['a blank tag', { tags: ['ok', ' '] }, [[['input', 'tags', '1'], 'BLANK']]],
    ['a zip too long', { zip: '9'.repeat(21) }, [[['input', 'zip'], 'TOO_LONG']]],
    [
      'several problems at once',
      { name: '', projectIds: [], contractorComplianceScore: 500 },
      [
        [['input', 'name'], 'BLANK'],
        [['input', 'projectIds'], 'PROJECT_REQUIRED'],
        [['input', 'contractorComplianceScore'], 'OUT_OF_RANGE'],
      ],
    ],
  ] as const)('answers %s with userErrors and writes nothing', async (_case, change, expected) => {
    await expectUserErrors(
      acme.adminToken,
      'createContractor',
      { ...MUTATIONS.createContractor.input(), ...resolveChange(change) },
      expected as unknown as [string[], string][],
    );
  });

  it('a message about an item of a list names the list and the item', async () => {
    const res = await server.graphql(acme.adminToken, mutationDocument('createContractor', 'contractor { id }'), {
      input: { ...MUTATIONS.createContractor.input(), tags: ['ok', 't'.repeat(51)] },
    });
    expect(payloadOf(res, 'createContractor').userErrors).toEqual([
      { field: ['input', 'tags', '1'], code: 'TOO_LONG', message: 'tags[1] is too long (at most 50 characters).' },
    ]);
  });

  it("another organisation's project is NOT_FOUND, even next to a valid one; nothing is half-written", async () => {
    for (const projectIds of [[project(0, other)], [project(0), project(0, other)]]) {
      await expectUserErrors(acme.adminToken, 'createContractor', { name: unique('Mixed'), projectIds }, [
        [['input', 'projectIds'], 'NOT_FOUND'],
      ]);
    }
  });

  it('an id of the wrong type is a BAD_USER_INPUT error, not a server error', async () => {
    const res = await expectNothingWritten(() =>
      mutate(acme.adminToken, 'createContractor', { name: unique('Typed'), projectIds: [contractor(0)] }),
    );
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.status).not.toBe(500);
  });
});

describe('createWorker', () => {
  it('adds a worker to a contractor; node reads it back with its contractor', async () => {
    const lastName = unique('Lovelace');
    const worker = await created(
      acme.adminToken,
      'createWorker',
      {
        contractorId: contractor(2),
        firstName: ' Ada ',
        lastName,
        email: 'Ada@Example.COM',
        phone: '+1 503 555 0100',
        trade: 'Electrician',
      },
      'id firstName email',
    );
    expect(worker).toMatchObject({ firstName: 'Ada', email: 'ada@example.com' });
    const read = await readNode(acme.adminToken, worker.id, '... on Worker { lastName phone trade contractor { id } }');
    expect(read).toMatchObject({ lastName, phone: '+1 503 555 0100', trade: 'Electrician' });
    expect(read.contractor.id).toBe(contractor(2));
    const contractorWorkers = await readNode(
      acme.adminToken,
      contractor(2),
      '... on Contractor { workers { totalCount } }',
    );
    expect(contractorWorkers.workers.totalCount).toBe(2);
  });

  it.each([
    ['a blank first name', { firstName: '' }, [[['input', 'firstName'], 'BLANK']]],
    ['a last name over 100 characters', { lastName: 'x'.repeat(101) }, [[['input', 'lastName'], 'TOO_LONG']]],
    ['a phone over 40 characters', { phone: '1'.repeat(41) }, [[['input', 'phone'], 'TOO_LONG']]],
    [
      "another organisation's contractor",
      () => ({ contractorId: contractor(0, other) }),
      [[['input', 'contractorId'], 'NOT_FOUND']],
    ],
  ] as const)('answers %s with userErrors and writes nothing', async (_case, change, expected) => {
    await expectUserErrors(
      acme.adminToken,
      'createWorker',
      { ...MUTATIONS.createWorker.input(), ...resolveChange(change) },
      expected as unknown as [string[], string][],
    );
  });

  it('a malformed email is a BAD_USER_INPUT error and writes nothing', async () => {
    const res = await expectNothingWritten(() =>
      mutate(acme.adminToken, 'createWorker', { ...MUTATIONS.createWorker.input(), email: 'not-an-email' }),
    );
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('addQualification', () => {
  it('adds a qualification; an admin reads it back, licenseNumber included', async () => {
    const licenseNumber = unique('LIC');
    const qualification = await created(
      acme.adminToken,
      'addQualification',
      {
        workerId: worker(1),
        name: 'Forklift',
        issuer: 'OSHA',
        licenseNumber,
        issuedOn: '2025-01-01',
        expiresOn: '2028-01-01',
      },
      'id name status issuedOn expiresOn',
    );
    expect(qualification).toMatchObject({
      name: 'Forklift',
      status: 'VALID',
      issuedOn: '2025-01-01',
      expiresOn: '2028-01-01',
    });
    const read = await readNode(acme.adminToken, worker(1), '... on Worker { qualifications { id licenseNumber } }');
    expect(read.qualifications).toContainEqual({ id: qualification.id, licenseNumber });
  });

  it.each([
    ['2026-05-31', 'EXPIRED'],
    ['2026-06-20', 'EXPIRING'],
    ['2026-08-01', 'VALID'],
  ])('without a status, expiresOn %s (today 2026-06-01) gives %s', async (expiresOn, status) => {
    const q = await created(
      acme.adminToken,
      'addQualification',
      { ...MUTATIONS.addQualification.input(), expiresOn },
      'status',
    );
    expect(q.status).toBe(status);
  });

  it('an explicit status wins over the derived one', async () => {
    const q = await created(
      acme.adminToken,
      'addQualification',
      { ...MUTATIONS.addQualification.input(), expiresOn: '2020-01-01', status: 'REVOKED' },
      'status',
    );
    expect(q.status).toBe('REVOKED');
  });

  it.each([
    ['a blank license number', { licenseNumber: ' ' }, [[['input', 'licenseNumber'], 'BLANK']]],
    ['a blank issuer', { issuer: '' }, [[['input', 'issuer'], 'BLANK']]],
    ['a name over 200 characters', { name: 'n'.repeat(201) }, [[['input', 'name'], 'TOO_LONG']]],
    [
      'an expiry before issue',
      { issuedOn: '2026-01-02', expiresOn: '2026-01-01' },
      [[['input', 'expiresOn'], 'DATES_OUT_OF_ORDER']],
    ],
    ["another organisation's worker", () => ({ workerId: worker(0, other) }), [[['input', 'workerId'], 'NOT_FOUND']]],
  ] as const)('answers %s with userErrors and writes nothing', async (_case, change, expected) => {
    await expectUserErrors(
      acme.adminToken,
      'addQualification',
      { ...MUTATIONS.addQualification.input(), ...resolveChange(change) },
      expected as unknown as [string[], string][],
    );
  });
});
