import { GraphQLError } from 'graphql';

/** The error codes of the contract (section 5). Clients switch on these. */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'API_KEY_INACTIVE',
  'API_KEY_EXPIRED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'RATE_LIMITED',
  'IP_NOT_ALLOWED',
  'INTERNAL_SERVER_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * A coded error. The HTTP status is only fixed here for errors that stop a request
 * before execution (401, 429); for execution errors the server derives it from
 * whether any data could be returned (see graphql/error-plugin.ts).
 */
export function codedError(
  code: ErrorCode,
  message: string,
  http?: { status: number; headers?: Record<string, string> },
) {
  return new GraphQLError(message, { extensions: { code, ...(http && { http }) } });
}

export const unauthenticated = (
  message: string,
  code: 'UNAUTHENTICATED' | 'API_KEY_INACTIVE' | 'API_KEY_EXPIRED' = 'UNAUTHENTICATED',
) =>
  codedError(code, message, {
    status: 401,
    headers: { 'WWW-Authenticate': 'Bearer realm="crewgraph", error="invalid_token"' },
  });

export const ipNotAllowed = () =>
  codedError('IP_NOT_ALLOWED', 'This key does not accept requests from your address (its IP allow-list).', {
    status: 403,
  });

export const forbidden = (message = 'You are not allowed to do this.') => codedError('FORBIDDEN', message);
export const notFound = (what: string) => codedError('NOT_FOUND', `${what} was not found.`);
export const badUserInput = (message: string) => codedError('BAD_USER_INPUT', message);
