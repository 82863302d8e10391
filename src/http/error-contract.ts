import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.ts';
import { ERROR_CODES, type ErrorCode } from '../core/errors.ts';
import { requestIdOf } from './request-info.ts';

const KNOWN = new Set<string>(ERROR_CODES);

/**
 * Anything that is not a deliberate GraphQLError is masked: the client sees
 * INTERNAL_SERVER_ERROR and the request id, the log gets the details.
 */
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

export function maskError(error: unknown, message: string): GraphQLError {
  const graphqlError = error instanceof GraphQLError ? error : undefined;
  const original = graphqlError ? graphqlError.originalError : (error as Error);
  const fault = clientFault(original ?? error);
  if (fault) {
    return new GraphQLError(fault, {
      nodes: graphqlError?.nodes,
      path: graphqlError?.path,
      extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
    });
  }
  if (graphqlError && (!original || original instanceof GraphQLError)) {
    const source = (original as GraphQLError | undefined) ?? graphqlError;
    return new GraphQLError(source.message, {
      nodes: graphqlError.nodes,
      source: graphqlError.source,
      positions: graphqlError.positions,
      path: graphqlError.path,
      extensions: { ...source.extensions },
    });
  }
  return new GraphQLError(message, {
    nodes: graphqlError?.nodes,
    path: graphqlError?.path,
    originalError: original ?? undefined,
    extensions: { code: 'INTERNAL_SERVER_ERROR', unexpected: true },
  });
}

function statusFor(codes: ErrorCode[], hasData: boolean): number | undefined {
  if (hasData) return undefined;
  if (codes.includes('INTERNAL_SERVER_ERROR')) return 500;
  if (codes.includes('FORBIDDEN')) return 403;
  return undefined;
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
        const extensions = { ...error.extensions } as Record<string, unknown>;
        if (extensions.unexpected) {
          logger.error({ err: error.originalError, requestId, path: error.path?.join('.') }, 'unexpected error');
          delete extensions.unexpected;
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
      const status = statusFor(
        errors.map((e) => e.extensions.code as ErrorCode),
        hasData,
      );
      if (status) errors[0].extensions.http = { ...(errors[0].extensions.http as object), status };
      setResult({ ...execution, errors });
    },
  };
}
