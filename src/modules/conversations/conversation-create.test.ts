import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMutationKit } from '../../../test/support/create-mutations.ts';
import { writeScenario, type OrganizationScenario } from '../../../test/support/scenarios.ts';
import type { TestServer } from '../../../test/support/server.ts';

/*
 * createConversationTemplate and createConversation: new templates (with questions) and conversations.
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

const { MUTATIONS, created, expectUserErrors, resolveChange, readNode, project, person, template } = createMutationKit(
  () => server,
  () => acme,
);

describe('createConversationTemplate', () => {
  it('creates a template with its questions in order; node reads it back', async () => {
    const template = await created(
      acme.adminToken,
      'createConversationTemplate',
      { name: ' Weekly check-in ', questions: ['What went well?', ' What is blocked? ', 'Next steps?'] },
      'id name',
    );
    expect(template.name).toBe('Weekly check-in');
    const read = await readNode(
      acme.adminToken,
      template.id,
      '... on ConversationTemplate { questions { position text } }',
    );
    expect(read.questions).toEqual([
      { position: 0, text: 'What went well?' },
      { position: 1, text: 'What is blocked?' },
      { position: 2, text: 'Next steps?' },
    ]);
  });

  it('a name already used in the organisation is TAKEN and no question is written', async () => {
    await expectUserErrors(
      acme.adminToken,
      'createConversationTemplate',
      { name: 'Acme check-in', questions: ['A?', 'B?'] },
      [[['input', 'name'], 'TAKEN']],
    );
  });

  it('the name is free in another organisation', async () => {
    await created(other.adminToken, 'createConversationTemplate', { name: 'Acme check-in', questions: ['A?'] });
  });

  it.each([
    ['a blank name', { name: '' }, [[['input', 'name'], 'BLANK']]],
    ['no question', { questions: [] }, [[['input', 'questions'], 'BLANK']]],
    ['a blank question', { questions: ['Fine?', '   '] }, [[['input', 'questions', '1'], 'BLANK']]],
    ['a question over 1000 characters', { questions: ['q'.repeat(1001)] }, [[['input', 'questions', '0'], 'TOO_LONG']]],
  ] as const)('answers %s with userErrors and writes nothing', async (_case, change, expected) => {
    await expectUserErrors(
      acme.adminToken,
      'createConversationTemplate',
      { ...MUTATIONS.createConversationTemplate.input(), ...resolveChange(change) },
      expected as unknown as [string[], string][],
    );
  });
});

describe('createConversation', () => {
  it('creates a conversation; node reads back template, project and participants', async () => {
    const conversation = await created(
      acme.adminToken,
      'createConversation',
      {
        projectId: project(1),
        templateId: template(),
        participantIds: [person(2), person(3), person(2)],
        status: 'IN_PROGRESS',
        scheduledFor: '2026-06-02T09:30:00.000Z',
      },
      'id status scheduledFor',
    );
    expect(conversation).toMatchObject({ status: 'IN_PROGRESS', scheduledFor: '2026-06-02T09:30:00.000Z' });
    const read = await readNode(
      acme.adminToken,
      conversation.id,
      '... on Conversation { template { id } project { id } participants { id } responses { id } }',
    );
    expect(read.template).toEqual({ id: template() });
    expect(read.project).toEqual({ id: project(1) });
    expect(read.participants.map((p: { id: string }) => p.id).sort()).toEqual([person(2), person(3)].sort());
    expect(read.responses).toEqual([]);
  });

  it('defaults to SCHEDULED', async () => {
    const conversation = await created(
      acme.adminToken,
      'createConversation',
      MUTATIONS.createConversation.input(),
      'status',
    );
    expect(conversation.status).toBe('SCHEDULED');
  });

  it.each([
    ['no participant', { participantIds: [] }, [[['input', 'participantIds'], 'BLANK']]],
    [
      "another organisation's template",
      () => ({ templateId: template(other) }),
      [[['input', 'templateId'], 'NOT_FOUND']],
    ],
    [
      "another organisation's participant",
      () => ({ participantIds: [person(0), person(0, other)] }),
      [[['input', 'participantIds'], 'NOT_FOUND']],
    ],
    [
      "another organisation's project",
      () => ({ projectId: project(0, other) }),
      [[['input', 'projectId'], 'NOT_FOUND']],
    ],
  ] as const)('answers %s with userErrors and writes nothing', async (_case, change, expected) => {
    await expectUserErrors(
      acme.adminToken,
      'createConversation',
      { ...MUTATIONS.createConversation.input(), ...resolveChange(change) },
      expected as unknown as [string[], string][],
    );
  });
});
