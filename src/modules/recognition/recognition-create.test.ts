import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMutationKit } from '../../../test/support/create-mutations.ts';
import { writeScenario, type OrganizationScenario } from '../../../test/support/scenarios.ts';
import type { TestServer } from '../../../test/support/server.ts';

/*
 * createRecognition: new praise with its receivers and hashtags.
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

const { MUTATIONS, created, expectUserErrors, resolveChange, readNode, project, person } = createMutationKit(
  () => server,
  () => acme,
);

describe('createRecognition', () => {
  it('records praise with normalised hashtags; node and recognitions(hashtag:) read it back', async () => {
    const recognition = await created(
      acme.adminToken,
      'createRecognition',
      {
        projectId: project(0),
        giverId: person(0),
        receiverIds: [person(1), person(3), person(1)],
        message: ' Spotless site handover ',
        hashtags: ['#Housekeeping', 'housekeeping', ' #HandOver ', 'crew_2026'],
      },
      'id message hashtags',
    );
    expect(recognition).toMatchObject({
      message: 'Spotless site handover',
      hashtags: ['housekeeping', 'handover', 'crew_2026'],
    });
    const read = await readNode(
      acme.adminToken,
      recognition.id,
      '... on Recognition { giver { id } receivers { id } project { id } }',
    );
    expect(read.giver).toEqual({ id: person(0) });
    expect(read.receivers.map((r: { id: string }) => r.id).sort()).toEqual([person(1), person(3)].sort());
    expect(read.project).toEqual({ id: project(0) });
    const byTag = await server.graphql(
      acme.adminToken,
      '{ recognitions(hashtag: "handover") { edges { node { id } } } }',
    );
    expect(byTag.body.data.recognitions.edges).toEqual([{ node: { id: recognition.id } }]);
  });

  it.each([
    ['a blank message', { message: '  ' }, [[['input', 'message'], 'BLANK']]],
    ['a message over 2000 characters', { message: 'm'.repeat(2001) }, [[['input', 'message'], 'TOO_LONG']]],
    ['no receiver', { receiverIds: [] }, [[['input', 'receiverIds'], 'BLANK']]],
    ['the giver among the receivers', () => ({ receiverIds: [person(0)] }), [[['input', 'receiverIds'], 'INVALID']]],
    ['a hashtag that is only "#"', { hashtags: ['ok', '#'] }, [[['input', 'hashtags', '1'], 'BLANK']]],
    ['a hashtag with a space', { hashtags: ['#two words'] }, [[['input', 'hashtags', '0'], 'INVALID']]],
    [
      "another organisation's receiver",
      () => ({ receiverIds: [person(1), person(0, other)] }),
      [[['input', 'receiverIds'], 'NOT_FOUND']],
    ],
    ["another organisation's giver", () => ({ giverId: person(0, other) }), [[['input', 'giverId'], 'NOT_FOUND']]],
    [
      "another organisation's project",
      () => ({ projectId: project(0, other) }),
      [[['input', 'projectId'], 'NOT_FOUND']],
    ],
  ] as const)('answers %s with userErrors and writes nothing', async (_case, change, expected) => {
    await expectUserErrors(
      acme.adminToken,
      'createRecognition',
      { ...MUTATIONS.createRecognition.input(), ...resolveChange(change) },
      expected as unknown as [string[], string][],
    );
  });
});
