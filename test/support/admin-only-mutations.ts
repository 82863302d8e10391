import {
  mutationHelpers,
  payloadOf,
  readNode,
  resolveChange,
  type Change,
  type ExpectedUserErrors,
} from './mutations.ts';
import type { OrganizationScenario } from './scenarios.ts';
import type { TestServer } from './server.ts';
import { projectPersonConversationRows } from './snapshots.ts';

/** The mutations only admins may call, each with the payload it selects by default. */
export const ADMIN_ONLY_PAYLOAD = {
  updateProject: 'project { id }',
  updatePerson: 'person { id }',
  addConversationResponse: 'conversation { id } response { id }',
} as const;
export type AdminOnlyMutationName = keyof typeof ADMIN_ONLY_PAYLOAD;

/** it.each rows: [case, change of a valid input, expected userErrors]. */
export type Cases = readonly (readonly [string, Change, readonly (readonly [readonly string[], string])[]])[];
export const expected = (list: Cases[number][2]) => list as unknown as ExpectedUserErrors;

/**
 * What the tests of updateProject, updatePerson and addConversationResponse share; "unchanged"
 * compares every project, person, conversation and response row.
 */
export function adminOnlyMutationKit(server: () => TestServer, acme: () => OrganizationScenario) {
  const helpers = mutationHelpers({
    server,
    selections: ADMIN_ONLY_PAYLOAD,
    snapshot: () => projectPersonConversationRows(server().db.prisma),
  });
  return {
    mutate: helpers.mutate,
    succeeded: helpers.succeeded,
    payloadOf,
    resolveChange,
    expected,
    expectUnchanged: helpers.expectNothingWritten,
    /** Expects exactly these userErrors ([field path, code]), a null object and nothing written. */
    expectUserErrors: (
      name: AdminOnlyMutationName,
      input: Record<string, unknown>,
      list: ExpectedUserErrors,
      token = acme().adminToken,
    ) => helpers.expectUserErrors(token, name, input, list),
    readNode: (token: string, globalID: string, fields: string) => readNode(server(), token, globalID, fields),
  };
}
