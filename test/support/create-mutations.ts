import { expect } from 'vitest';
import { mutationHelpers, payloadOf, readNode, resolveChange } from './mutations.ts';
import { globalId, scenarioIds, type OrganizationScenario } from './scenarios.ts';
import type { GraphQLResponse, TestServer } from './server.ts';
import { rowCounts } from './snapshots.ts';

/**
 * What the tests of the create mutations share: each mutation's payload field and a valid
 * input against Acme's fixture (read when called; names made unique by a counter of the
 * test file), and helpers whose "nothing written" means no row count changed anywhere.
 */
export function createMutationKit(server: () => TestServer, acme: () => OrganizationScenario) {
  const { project, person, contractor, worker, template } = scenarioIds(acme);
  let serial = 0;
  const unique = (prefix: string) => `${prefix} ${++serial}`;
  const MUTATIONS = {
    createContractor: {
      payload: 'contractor',
      input: () => ({ name: unique('Contractor'), projectIds: [project(0)] }),
    },
    createWorker: {
      payload: 'worker',
      input: () => ({ contractorId: contractor(0), firstName: 'Ada', lastName: unique('Worker') }),
    },
    addQualification: {
      payload: 'qualification',
      input: () => ({ workerId: worker(0), name: 'First aid', issuer: 'Red Cross', licenseNumber: unique('FA') }),
    },
    createPerson: {
      payload: 'person',
      input: () => ({ name: unique('Person'), email: `${unique('p').replace(' ', '')}@acme.test` }),
    },
    createGoal: {
      payload: 'goal',
      input: () => ({ projectId: project(0), title: unique('Goal'), ownerId: person(0) }),
    },
    createRecognition: {
      payload: 'recognition',
      input: () => ({ projectId: project(0), giverId: person(0), receiverIds: [person(1)], message: 'Great work' }),
    },
    createConversationTemplate: {
      payload: 'conversationTemplate',
      input: () => ({ name: unique('Template'), questions: ['How are you?'] }),
    },
    createConversation: {
      payload: 'conversation',
      input: () => ({ projectId: project(0), templateId: template(), participantIds: [person(0), person(1)] }),
    },
    createProject: {
      payload: 'project',
      input: () => ({ name: unique('Project'), code: unique('C').replace(' ', '') }),
    },
  } as const;
  type Name = keyof typeof MUTATIONS;
  /** Each create mutation's default selection: the id of what it created. */
  const selections = Object.fromEntries(
    Object.entries(MUTATIONS).map(([name, { payload }]) => [name, `${payload} { id }`]),
  ) as Record<Name, string>;
  const helpers = mutationHelpers({ server, selections, snapshot: () => rowCounts(server().db.prisma) });

  /** The mutation, selecting `selection` of what it created (and userErrors). */
  function mutate(
    token: string,
    name: Name,
    input: Record<string, unknown>,
    selection = 'id',
  ): Promise<GraphQLResponse> {
    return helpers.mutate(token, name, input, `${MUTATIONS[name].payload} { ${selection} }`);
  }

  /** Runs a create that must succeed; returns what it created. */
  async function created(token: string, name: Name, input: Record<string, unknown>, selection = 'id') {
    const payload = payloadOf(await mutate(token, name, input, selection), name);
    expect(payload.userErrors).toEqual([]);
    expect(payload[MUTATIONS[name].payload]).not.toBeNull();
    return payload[MUTATIONS[name].payload];
  }

  return {
    ...scenarioIds(acme),
    id: globalId,
    MUTATIONS,
    selections,
    unique,
    mutate,
    created,
    payloadOf,
    resolveChange,
    expectNothingWritten: helpers.expectNothingWritten,
    expectUserErrors: helpers.expectUserErrors,
    readNode: (token: string, globalID: string, fields: string) => readNode(server(), token, globalID, fields),
  };
}

export type CreateMutationName = keyof ReturnType<typeof createMutationKit>['MUTATIONS'];
