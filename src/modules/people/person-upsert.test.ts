import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin } from '../admins/admin.service.ts';
import { mutationHelpers } from '../../../test/support/mutations.ts';
import {
  apiKeyFixture,
  globalId,
  lonePerson,
  writeScenario,
  type WriteScenario,
} from '../../../test/support/scenarios.ts';

/*
 * Person.externalId: createPerson, updatePerson, personByExternalId, upsertPerson and the
 * bulk upsertPeople, for owners and admins and for keys with canWritePeople (an HR system
 * pushing its employees). Through HTTP; rows are compared with Prisma directly.
 */

let s: WriteScenario;
let hr: string;
let projectAdmin: string;
let loner: string;
let clock = new Date('2026-06-01T12:00:00Z');

beforeAll(async () => {
  s = await writeScenario({ now: () => clock });
  const prisma = s.server.db.prisma;
  const p0 = [s.acme.projectIds[0]];
  hr = (await apiKeyFixture(prisma, s.acme.organizationId, { projectIds: p0, allowWrites: true, canWritePeople: true }))
    .token;
  projectAdmin = (
    await createAdmin(prisma, {
      organizationName: 'Acme',
      email: 'site@acme.test',
      role: 'PROJECT_ADMIN',
      projects: p0,
    })
  ).token;
  loner = await lonePerson(prisma, s.acme);
});
afterAll(() => s?.server.close());

/** Every person, row by row, with the row counts of the other tables. */
const rows = async () => {
  const prisma = s.server.db.prisma;
  return JSON.stringify([await prisma.person.findMany({ orderBy: { id: 'asc' } }), await prisma.goal.count()]);
};

const { succeeded, expectUserErrors, expectRefused } = mutationHelpers({
  server: () => s.server,
  selections: {
    createPerson: 'person { id externalId }',
    updatePerson: 'person { id externalId }',
    upsertPerson: 'person { id }',
    upsertPeople: 'people { id }',
  },
  snapshot: rows,
});

const person = (n: number, extra: Record<string, unknown> = {}) => ({
  externalId: `hr-${n}`,
  name: `Person ${n}`,
  email: `person.${n}@acme.test`,
  ...extra,
});

describe('externalId in createPerson and updatePerson', () => {
  it('is set trimmed, kept when omitted, cleared by null; a duplicate is TAKEN beside the other clashes', async () => {
    const made = await succeeded(s.acme.adminToken, 'createPerson', { ...person(1), externalId: ' hr-1 ' });
    expect(made.person.externalId).toBe('hr-1');
    await expectUserErrors(s.acme.adminToken, 'createPerson', person(1), [
      [['input', 'email'], 'TAKEN'],
      [['input', 'externalId'], 'TAKEN'],
    ]);
    await expectUserErrors(s.acme.adminToken, 'updatePerson', { id: globalId('Person', loner), externalId: 'hr-1' }, [
      [['input', 'externalId'], 'TAKEN'],
    ]);
    expect((await succeeded(hr, 'updatePerson', { id: made.person.id, title: 'Foreman' })).person.externalId).toBe(
      'hr-1',
    );
    expect(
      (await succeeded(hr, 'updatePerson', { id: made.person.id, externalId: null })).person.externalId,
    ).toBeNull();
    await succeeded(s.other.adminToken, 'createPerson', { ...person(2), email: 'p2@other.test' });
  });
});

describe('personByExternalId', () => {
  it('finds people in scope: a key without canWritePeople only those linked to its projects', async () => {
    const prisma = s.server.db.prisma;
    await prisma.person.update({ where: { id: s.acme.personIds[0] }, data: { externalId: 'look-owner0' } });
    await prisma.person.update({ where: { id: loner }, data: { externalId: 'look-loner' } });
    const read = async (token: string, e: string) =>
      (await s.server.graphql(token, 'query ($e: String!) { personByExternalId(externalId: $e) { id } }', { e })).body
        .data.personByExternalId;
    expect(await read(s.acme.adminToken, 'look-loner')).toEqual({ id: globalId('Person', loner) });
    expect(await read(s.keys.readOnly, 'look-owner0')).toEqual({ id: globalId('Person', s.acme.personIds[0]) });
    expect(await read(s.keys.readOnly, 'look-loner')).toBeNull();
    expect(await read(hr, 'look-loner')).toEqual({ id: globalId('Person', loner) });
    expect(await read(s.other.adminToken, 'look-loner')).toBeNull();
    expect(await read(s.acme.adminToken, 'look-none')).toBeNull();
  });
});

describe('upsertPerson', () => {
  it('creates, a replay changes nothing, an update changes only what differs', async () => {
    const input = person(10, {
      email: 'Ten@Acme.test',
      title: ' Welder ',
      managerId: globalId('Person', s.acme.personIds[0]),
    });
    const first = await succeeded(hr, 'upsertPerson', input, 'person { id email title manager { id } } created');
    expect(first).toMatchObject({ created: true, person: { email: 'ten@acme.test', title: 'Welder' } });
    const before = await rows();
    clock = new Date('2026-06-02T12:00:00Z');
    expect(await succeeded(hr, 'upsertPerson', input, 'created')).toEqual({ created: false, userErrors: [] });
    expect(await rows()).toEqual(before);
    const changed = await succeeded(
      s.acme.adminToken,
      'upsertPerson',
      { ...input, department: 'Steel', managerId: null },
      'person { id department manager { id } } created',
    );
    expect(changed).toEqual({
      created: false,
      person: { id: first.person.id, department: 'Steel', manager: null },
      userErrors: [],
    });
  });

  it('keeps the rules of createPerson and updatePerson', async () => {
    await expectUserErrors(hr, 'upsertPerson', person(11, { name: '' }), [[['input', 'name'], 'BLANK']]);
    await expectUserErrors(hr, 'upsertPerson', person(11, { email: 'ten@acme.test' }), [[['input', 'email'], 'TAKEN']]);
    // A manager cycle: 10's manager may not be someone who reports to 10.
    const eleven = await succeeded(hr, 'upsertPerson', person(11, { managerId: globalId('Person', loner) }));
    await succeeded(hr, 'upsertPerson', person(12, { managerId: eleven.person.id }));
    const twelve = (await s.server.db.prisma.person.findFirstOrThrow({ where: { externalId: 'hr-12' } })).id;
    await expectUserErrors(hr, 'upsertPerson', person(11, { managerId: globalId('Person', twelve) }), [
      [['input', 'managerId'], 'INVALID'],
    ]);
  });

  it('needs canWritePeople: other keys and project admins are FORBIDDEN and write nothing', async () => {
    await expectRefused(s.keys.writer, 'upsertPerson', person(20), 'FORBIDDEN');
    await expectRefused(s.keys.readOnly, 'upsertPerson', person(20), 'FORBIDDEN');
    await expectRefused(projectAdmin, 'upsertPerson', person(20), 'FORBIDDEN');
  });
});

describe('upsertPeople', () => {
  it('refuses more than 100 people; FORBIDDEN without canWritePeople', async () => {
    await expectUserErrors(hr, 'upsertPeople', { people: Array.from({ length: 101 }, (_, n) => person(100 + n)) }, [
      [['input', 'people'], 'TOO_LONG'],
    ]);
    await expectRefused(s.keys.writer, 'upsertPeople', { people: [person(30)] }, 'FORBIDDEN');
    await expectRefused(projectAdmin, 'upsertPeople', { people: [person(30)] }, 'FORBIDDEN');
  });

  it('one bad person among good ones: nothing written, every bad one reported at its index', async () => {
    await expectUserErrors(
      hr,
      'upsertPeople',
      {
        people: [
          person(31),
          person(32, { email: 'person.31@acme.test' }),
          person(33, { name: ' ' }),
          person(31, { name: 'Twice' }),
          person(34, { managerId: globalId('Person', s.other.personIds[0]) }),
          person(35),
        ],
      },
      [
        [['input', 'people', '1', 'email'], 'TAKEN'],
        [['input', 'people', '2', 'name'], 'BLANK'],
        [['input', 'people', '3', 'externalId'], 'TAKEN'],
        [['input', 'people', '4', 'managerId'], 'NOT_FOUND'],
      ],
    );
  });

  it('an HR batch creates and updates; a replay of the batch changes nothing', async () => {
    const batch = Array.from({ length: 40 }, (_, n) => person(200 + n, { department: n % 2 ? 'Field' : 'Office' }));
    batch.push(person(10, { email: 'ten@acme.test', name: 'Ten, renamed' }));
    const first = await succeeded(hr, 'upsertPeople', { people: batch }, 'people { externalId name }');
    expect(first.people).toHaveLength(41);
    expect(first.people[40]).toEqual({ externalId: 'hr-10', name: 'Ten, renamed' });
    const before = await rows();
    clock = new Date('2026-06-03T12:00:00Z');
    await succeeded(hr, 'upsertPeople', { people: batch });
    expect(await rows()).toEqual(before);
  });
});
