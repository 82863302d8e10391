import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { CodedError, CredentialRequired, ERROR_CODES, serviceUnavailable, type ErrorCode } from '../core/errors.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { clip, type Logger } from '../logger.ts';
import { requestIdOf } from './request-info.ts';

/**
 * The error contract, in one place: how a coded error looks as JSON and which HTTP status
 * it gives (docs/errors.md).
 */

const KNOWN = new Set<string>(ERROR_CODES);

/** The status of a response that an error stops before any data could be returned. */
const STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  API_KEY_INACTIVE: 401,
  API_KEY_EXPIRED: 401,
  IP_NOT_ALLOWED: 403,
  PERSISTED_DOCUMENT_REQUIRED: 403,
  PERSISTED_DOCUMENT_NOT_FOUND: 404,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
};

/** Codes that set the status of an executed operation that returned no data; others answer 200. */
const EXECUTION_STATUS_CODES: ErrorCode[] = ['SERVICE_UNAVAILABLE', 'INTERNAL_SERVER_ERROR', 'FORBIDDEN'];

function headersFor(error: CodedError): Record<string, string> | undefined {
  // RFC 6750 §3.1: no error code when the request carried no credential at all.
  if (error instanceof CredentialRequired) return { 'WWW-Authenticate': 'Bearer realm="crewgraph"' };
  if (STATUS[error.code] === 401) return { 'WWW-Authenticate': 'Bearer realm="crewgraph", error="invalid_token"' };
  if (error.retryAfterSeconds !== undefined) return { 'Retry-After': String(error.retryAfterSeconds) };
  return undefined;
}

/**
 * A coded error as a GraphQL error. One raised before the operation runs (authentication,
 * rate limit, a document refused unparsed) also fixes the response's status and headers.
 */
export function toGraphQLError(
  error: CodedError,
  { beforeExecution = false, at }: { beforeExecution?: boolean; at?: GraphQLError } = {},
): GraphQLError {
  const headers = headersFor(error);
  const http = beforeExecution ? { http: { status: STATUS[error.code], ...(headers && { headers }) } } : {};
  return new GraphQLError(error.message, {
    nodes: at?.nodes,
    source: at?.source,
    positions: at?.positions,
    path: at?.path,
    extensions: { code: error.code, ...http },
  });
}

/** A whole response for a request refused before GraphQL sees it (body too large, media types). */
export function errorResponse(request: Request, status: number, code: ErrorCode, message: string): Response {
  return Response.json({ errors: [{ message, extensions: { code, requestId: requestIdOf(request) } }] }, { status });
}

/** PostgreSQL SQLSTATE of a failed query, as Prisma's driver adapters report it. */
function sqlState(error: unknown): string | undefined {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { code?: string } } } } | undefined)?.meta;
  return meta?.driverAdapterError?.cause?.code;
}

/**
 * Client mistakes that surface below GraphQL: JSON that does not parse (request
 * parameters), and values PostgreSQL refuses as data (class 22: NUL bytes, invalid
 * UTF-8, out-of-range dates, malformed uuids).
 */
function clientFault(error: unknown): string | undefined {
  if (error instanceof SyntaxError) return 'The request holds JSON that does not parse.';
  if (sqlState(error)?.startsWith('22')) {
    return 'An argument holds a value that cannot be stored or compared (e.g. a NUL character, invalid text or a date out of range).';
  }
  return undefined;
}

/**
 * Yoga's error masking: coded errors keep their code, client faults below GraphQL become
 * BAD_USER_INPUT, and anything else is masked: the client sees INTERNAL_SERVER_ERROR and
 * the request id, the log gets the details.
 */
export function maskError(error: unknown, message: string): GraphQLError {
  const graphqlError = error instanceof GraphQLError ? error : undefined;
  const original = graphqlError ? graphqlError.originalError : (error as Error);
  if (original instanceof CodedError) return toGraphQLError(original, { at: graphqlError });
  if (isDatabaseUnavailable(original ?? error)) return toGraphQLError(serviceUnavailable(), { at: graphqlError });
  const fault = clientFault(original ?? error);
  if (fault) {
    return new GraphQLError(fault, {
      nodes: graphqlError?.nodes,
      path: graphqlError?.path,
      extensions: { code: 'BAD_USER_INPUT', http: { status: STATUS.BAD_USER_INPUT } },
    });
  }
  if (graphqlError && (!original || original instanceof GraphQLError)) {
    const source = (original as GraphQLError | undefined) ?? graphqlError;
    // Yoga puts the JSON parser's own message in `extensions.originalError` (which also made it
    // answer 400 rather than 200 to application/json): the message stays here, the 400 is ours.
    const parserDetail = 'originalError' in source.extensions;
    return new GraphQLError(parserDetail ? 'The request holds JSON that does not parse.' : source.message, {
      nodes: graphqlError.nodes,
      source: graphqlError.source,
      positions: graphqlError.positions,
      path: graphqlError.path,
      extensions: {
        code: source.extensions.code,
        http: parserDetail ? { status: STATUS.BAD_USER_INPUT } : source.extensions.http,
      },
    });
  }
  return new GraphQLError(message, {
    nodes: graphqlError?.nodes,
    path: graphqlError?.path,
    originalError: original ?? undefined,
    extensions: { code: 'INTERNAL_SERVER_ERROR', unexpected: true },
  });
}

/** The error of a request stopped before execution: coded as it is, or masked when unexpected. */
export const requestError = (error: unknown) =>
  error instanceof CodedError
    ? toGraphQLError(error, { beforeExecution: true })
    : isDatabaseUnavailable(error)
      ? toGraphQLError(serviceUnavailable(), { beforeExecution: true })
      : maskError(error, 'Unexpected error.');

function executionStatus(codes: ErrorCode[], hasData: boolean): number | undefined {
  if (hasData) return undefined;
  const code = EXECUTION_STATUS_CODES.find((candidate) => codes.includes(candidate));
  return code && STATUS[code];
}

/**
 * Gives every error a contract code and the request id, logs unexpected ones, and picks
 * the HTTP status: 403/500 only when nothing could run, 200 with partial data otherwise.
 */
export function useErrorContract(logger: Logger): Plugin {
  return {
    onResultProcess({ request, result, setResult }) {
      if (Array.isArray(result) || !('errors' in (result as object))) return;
      const execution = result as ExecutionResult;
      if (!execution.errors?.length) return;
      const requestId = requestIdOf(request);
      const hasData = execution.data != null;
      const errors = execution.errors.map((error) => {
        // Only the contract's keys reach the client (and `http`, which Yoga turns into the status and drops).
        const { code, http, unexpected } = error.extensions as Record<string, unknown>;
        const extensions: Record<string, unknown> = { code, ...(http ? { http } : {}) };
        if (unexpected) {
          logger.error(
            { err: error.originalError, requestId, path: error.path && clip(error.path.join('.')) },
            'unexpected error',
          );
        }
        if (!KNOWN.has(String(extensions.code))) extensions.code = 'BAD_USER_INPUT';
        extensions.requestId = requestId;
        return new GraphQLError(error.message, {
          nodes: error.nodes,
          source: error.source,
          positions: error.positions,
          path: error.path,
          extensions,
        });
      });
      const status = executionStatus(
        errors.map((e) => e.extensions.code as ErrorCode),
        hasData,
      );
      const retryAfter = status === STATUS.SERVICE_UNAVAILABLE && {
        'Retry-After': String(serviceUnavailable().retryAfterSeconds),
      };
      if (status) {
        errors[0].extensions.http = {
          ...(errors[0].extensions.http as object),
          status,
          ...(retryAfter && { headers: retryAfter }),
        };
      }
      setResult({ ...execution, errors });
    },
  };
}
