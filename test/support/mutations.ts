import { expect } from 'vitest';
import type { GraphQLResponse, TestServer } from './server.ts';

export interface UserError {
  field: string[] | null;
  code: string;
  message: string;
}

export type Payload = { userErrors: UserError[] } & Record<string, any>;

/** `[field path, code]` pairs, as the tests' tables write expected userErrors. */
export type ExpectedUserErrors = [string[], string][];

/** it.each tables are built before the fixture exists, so rows naming fixture ids are thunks. */
export type Change = Record<string, unknown> | (() => Record<string, unknown>);
export const resolveChange = (change: Change) => (typeof change === 'function' ? change() : change);

/** The `extensions.code` of each GraphQL error of a response, in order. */
export const errorCodes = (res: GraphQLResponse): string[] => (res.body.errors ?? []).map((e) => e.extensions.code);

/** The uuid inside a global id. */
export const rawId = (globalID: string) => Buffer.from(globalID, 'base64url').toString().split(':')[1];

/** `mutation ($input: XInput!) { x(input: $input) { <selection> userErrors { field code message } } }` */
export function mutationDocument(name: string, selection: string): string {
  const inputType = `${name[0].toUpperCase()}${name.slice(1)}Input`;
  return `mutation ($input: ${inputType}!) { ${name}(input: $input) { ${selection} userErrors { field code message } } }`;
}

/** The payload of a mutation that answered HTTP 200 without GraphQL errors. */
export function payloadOf(res: GraphQLResponse, name: string): Payload {
  expect(res.body.errors).toBeUndefined();
  expect(res.status).toBe(200);
  return res.body.data[name];
}

/** Runs `act` and asserts that `snapshot` reads the same before and after it. */
export async function expectSnapshotUnchanged<T>(snapshot: () => Promise<unknown>, act: () => Promise<T>): Promise<T> {
  const before = await snapshot();
  const result = await act();
  expect(await snapshot()).toEqual(before);
  return result;
}

/** Reads a node by global id with the given selection (after `id`); no GraphQL errors allowed. */
export async function readNode(server: TestServer, token: string, globalID: string, fields: string) {
  const res = await server.graphql(token, `query ($id: ID!) { node(id: $id) { id ${fields} } }`, { id: globalID });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.node;
}

/**
 * The helpers of a file of mutation tests: `selections` is each mutation's default payload
 * selection (besides userErrors), `snapshot` what "nothing written" compares.
 */
export function mutationHelpers<Name extends string>({
  server,
  selections,
  snapshot,
}: {
  server: () => TestServer;
  selections: Record<Name, string>;
  snapshot: () => Promise<unknown>;
}) {
  function mutate(
    token: string,
    name: Name,
    input: Record<string, unknown>,
    selection: string = selections[name],
  ): Promise<GraphQLResponse> {
    return server().graphql(token, mutationDocument(name, selection), { input });
  }

  /** Runs a mutation that must succeed (no userErrors); returns its payload. */
  async function succeeded(token: string, name: Name, input: Record<string, unknown>, selection?: string) {
    const payload = payloadOf(await mutate(token, name, input, selection), name);
    expect(payload.userErrors).toEqual([]);
    return payload;
  }

  /** Runs `act` and asserts that nothing was written (as `snapshot` sees it). */
  const expectNothingWritten = <T>(act: () => Promise<T>): Promise<T> => expectSnapshotUnchanged(snapshot, act);

  /** Expects exactly these userErrors ([field path, code]), each with a message, a null result and nothing written. */
  async function expectUserErrors(
    token: string,
    name: Name,
    input: Record<string, unknown>,
    expected: ExpectedUserErrors,
  ) {
    const res = await expectNothingWritten(() => mutate(token, name, input));
    const payload = payloadOf(res, name);
    for (const [field, value] of Object.entries(payload)) if (field !== 'userErrors') expect(value).toBeNull();
    expect(payload.userErrors.map((e) => [e.field, e.code])).toEqual(expected);
    for (const error of payload.userErrors) expect(error.message).toMatch(/\w/);
  }

  /** Expects one GraphQL error with this code, no data, this HTTP status (FORBIDDEN: 403, else 200) and nothing written. */
  async function expectRefused(
    token: string,
    name: Name,
    input: Record<string, unknown>,
    code: string,
    status = code === 'FORBIDDEN' ? 403 : 200,
  ) {
    const res = await expectNothingWritten(() => mutate(token, name, input));
    expect(res.status).toBe(status);
    expect(res.body.data).toBeNull();
    expect(res.body.errors.map((e) => e.extensions.code)).toEqual([code]);
    return res;
  }

  return { mutate, succeeded, expectNothingWritten, expectUserErrors, expectRefused };
}
