import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMutationKit } from '../../../test/support/create-mutations.ts';
import { writeScenario, type OrganizationScenario } from '../../../test/support/scenarios.ts';
import type { TestServer } from '../../../test/support/server.ts';

/*
 * createPerson: new people of the directory.
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

const {
  MUTATIONS,
  mutate,
  created,
  payloadOf,
  expectNothingWritten,
  expectUserErrors,
  resolveChange,
  readNode,
  person,
} = createMutationKit(
  () => server,
  () => acme,
);

describe('createPerson', () => {
  it('adds a person with a manager; email stored lower-case; node reads it back', async () => {
    const grace = await created(
      acme.adminToken,
      'createPerson',
      {
        name: 'Grace Hopper',
        email: 'Grace.Hopper@Acme.test',
        employeeId: 'E-1001',
        title: 'Site lead',
        department: 'Operations',
        managerId: person(0),
      },
      'id email',
    );
    expect(grace.email).toBe('grace.hopper@acme.test');
    const read = await readNode(
      acme.adminToken,
      grace.id,
      '... on Person { name employeeId title department manager { id } }',
    );
    expect(read).toMatchObject({
      name: 'Grace Hopper',
      employeeId: 'E-1001',
      title: 'Site lead',
      department: 'Operations',
      manager: { id: person(0) },
    });
  });

  it('a taken email (in any case) and a taken employee id are both TAKEN; nothing is written', async () => {
    await created(acme.adminToken, 'createPerson', { name: 'First', email: 'dup@acme.test', employeeId: 'E-DUP' });
    await expectUserErrors(acme.adminToken, 'createPerson', { name: 'Second', email: 'DUP@acme.test' }, [
      [['input', 'email'], 'TAKEN'],
    ]);
    await expectUserErrors(
      acme.adminToken,
      'createPerson',
      { name: 'Second', email: 'fresh@acme.test', employeeId: 'E-DUP' },
      [[['input', 'employeeId'], 'TAKEN']],
    );
    await expectUserErrors(
      acme.adminToken,
      'createPerson',
      { name: 'Second', email: 'dup@acme.test', employeeId: 'E-DUP' },
      [
        [['input', 'email'], 'TAKEN'],
        [['input', 'employeeId'], 'TAKEN'],
      ],
    );
  });

  it('the same email is free in another organisation', async () => {
    await created(other.adminToken, 'createPerson', { name: 'Twin', email: 'dup2@acme.test' });
    await created(acme.adminToken, 'createPerson', { name: 'Twin', email: 'dup2@acme.test' });
  });

  it('two requests racing for one email: one person, one TAKEN', async () => {
    const input = { name: 'Racer', email: 'race@acme.test' };
    const results = await Promise.all([0, 1, 2].map(() => mutate(acme.adminToken, 'createPerson', input)));
    const payloads = results.map((res) => payloadOf(res, 'createPerson'));
    expect(payloads.filter((p) => p.person !== null)).toHaveLength(1);
    expect(payloads.flatMap((p) => p.userErrors.map((e) => [e.field, e.code]))).toEqual([
      [['input', 'email'], 'TAKEN'],
      [['input', 'email'], 'TAKEN'],
    ]);
    expect(await server.db.prisma.person.count({ where: { email: 'race@acme.test' } })).toBe(1);
  });

  it.each([
    ['a blank name', { name: ' ' }, [[['input', 'name'], 'BLANK']]],
    ['a title over 200 characters', { title: 't'.repeat(201) }, [[['input', 'title'], 'TOO_LONG']]],
    [
      "another organisation's manager",
      () => ({ managerId: person(0, other) }),
      [[['input', 'managerId'], 'NOT_FOUND']],
    ],
  ] as const)('answers %s with userErrors and writes nothing', async (_case, change, expected) => {
    await expectUserErrors(
      acme.adminToken,
      'createPerson',
      { ...MUTATIONS.createPerson.input(), ...resolveChange(change) },
      expected as unknown as [string[], string][],
    );
  });

  it('a malformed email is a BAD_USER_INPUT error and writes nothing', async () => {
    const res = await expectNothingWritten(() =>
      mutate(acme.adminToken, 'createPerson', { name: 'Nobody', email: 'nobody-at-acme' }),
    );
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});
