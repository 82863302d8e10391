import { badUserInput } from './errors.ts';

/** Opaque global ids: base64url of "Type:uuid". */
export const toGlobalId = (typename: string, id: string) => Buffer.from(`${typename}:${id}`).toString('base64url');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The type name and row id of a global id; anything that cannot name a row is BAD_USER_INPUT. */
export function fromGlobalId(globalID: string): { typename: string; id: string } {
  const decoded = Buffer.from(globalID, 'base64url').toString('utf8');
  const separator = decoded.indexOf(':');
  // Every row id is a UUID; anything else cannot name a row, so it is a client error.
  if (separator < 1 || !/^[A-Za-z]+$/.test(decoded.slice(0, separator)) || !UUID.test(decoded.slice(separator + 1))) {
    throw badUserInput(`"${globalID.slice(0, 64)}" is not a valid ID.`);
  }
  return { typename: decoded.slice(0, separator), id: decoded.slice(separator + 1) };
}
