/** The error codes clients switch on (docs/errors.md). */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'API_KEY_INACTIVE',
  'API_KEY_EXPIRED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'RATE_LIMITED',
  'IP_NOT_ALLOWED',
  'PERSISTED_DOCUMENT_REQUIRED',
  'PERSISTED_DOCUMENT_NOT_FOUND',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * A failure with a code from ERROR_CODES. Plain TypeScript: the HTTP edge
 * (http/error-contract.ts) turns it into the GraphQL error JSON and picks the status.
 */
export class CodedError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For RATE_LIMITED and SERVICE_UNAVAILABLE: when to try again (the Retry-After header). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'CodedError';
  }
}

/** No credential was sent at all: a 401 whose `WWW-Authenticate` names no error (RFC 6750 §3.1). */
export class CredentialRequired extends CodedError {}

export const credentialRequired = () =>
  new CredentialRequired(
    'UNAUTHENTICATED',
    'Authentication required: send `Authorization: Bearer <token>` with an admin token (cga_…), an API key (cgk_…) or an access token (cgt_…).',
  );

export const unauthenticated = (
  message: string,
  code: 'UNAUTHENTICATED' | 'API_KEY_INACTIVE' | 'API_KEY_EXPIRED' = 'UNAUTHENTICATED',
) => new CodedError(code, message);

export const ipNotAllowed = () =>
  new CodedError('IP_NOT_ALLOWED', 'This key does not accept requests from your address (its IP allow-list).');

export const forbidden = (message = 'You are not allowed to do this.') => new CodedError('FORBIDDEN', message);
export const notFound = (what: string) => new CodedError('NOT_FOUND', `${what} was not found.`);
export const badUserInput = (message: string) => new CodedError('BAD_USER_INPUT', message);
/** The database did not answer in time; the request changed nothing. */
export const serviceUnavailable = (retryAfterSeconds = 5) =>
  new CodedError(
    'SERVICE_UNAVAILABLE',
    `The database did not answer in time; nothing was changed. Retry in ${retryAfterSeconds} s.`,
    retryAfterSeconds,
  );
/** A key limited to trusted documents (persistedDocumentsOnly) sent a document's text instead of its id. */
export const persistedDocumentRequired = () =>
  new CodedError(
    'PERSISTED_DOCUMENT_REQUIRED',
    'This API key runs only trusted documents (persistedDocumentsOnly): send {"documentId": "sha256:<hash>"} of a document your organisation registered, not a query text.',
  );
/** `message` is APQ's PersistedQueryNotFound for APQ clients (they then send the text), ours otherwise. */
export const persistedDocumentNotFound = (message: string) => new CodedError('PERSISTED_DOCUMENT_NOT_FOUND', message);
export const rateLimited = (retryAfterSeconds: number) =>
  new CodedError('RATE_LIMITED', `Rate limit exceeded; retry in ${retryAfterSeconds} s.`, retryAfterSeconds);
