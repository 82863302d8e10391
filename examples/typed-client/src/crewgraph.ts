import type { TypedDocumentString } from './generated/graphql.js';

/** One entry of a GraphQL response's `errors`, as Crewgraph sends it. */
export interface GraphQLErrorEntry {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; requestId?: string };
}

/** Any answer that is not the data asked for: the caller decides what to tell the user. */
export class CrewgraphError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly errors: GraphQLErrorEntry[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** HTTP 401: the token is missing, not valid, revoked or expired. Retrying cannot help. */
export class AuthenticationError extends CrewgraphError {}

/** The response's `errors`: a field the key may not read, a bad argument, a query over a limit. */
export class GraphQLResponseError extends CrewgraphError {}

/** HTTP 429 or 503 still, after the retries allowed (or a `Retry-After` longer than we wait). */
export class RetryLaterError extends CrewgraphError {
  constructor(
    message: string,
    status: number,
    errors: GraphQLErrorEntry[],
    readonly retryAfterSeconds: number,
  ) {
    super(message, status, errors);
  }
}

export interface RetryNotice {
  status: number;
  waitSeconds: number;
  retry: number;
  maxRetries: number;
}

export interface ClientOptions {
  url: string;
  token: string;
  /** How many times a request refused with 429 or 503 is sent again. */
  maxRetries?: number;
  /** A `Retry-After` longer than this is not waited for: the request fails at once. */
  maxWaitSeconds?: number;
  /** Seconds to wait for each answer. */
  timeoutSeconds?: number;
  onRetry?: (notice: RetryNotice) => void;
}

interface GraphQLResponse<TResult> {
  data?: TResult | null;
  errors?: GraphQLErrorEntry[];
}

/** Operations without variables take none; the others require theirs. */
type VariablesArgument<TVariables> = TVariables extends Record<string, never> ? [] : [variables: TVariables];

/**
 * A typed request function over plain `fetch`: `request(Document, variables)` resolves to the
 * document's result type or throws one of the errors above.
 */
export function createClient(options: ClientOptions) {
  const { url, token, maxRetries = 3, maxWaitSeconds = 60, timeoutSeconds = 30, onRetry } = options;

  return async function request<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    ...[variables]: VariablesArgument<TVariables>
  ): Promise<TResult> {
    const body = JSON.stringify({ query: document.toString(), variables });
    for (let retry = 0; ; retry++) {
      const response = await post(url, token, body, timeoutSeconds);
      const answer = await readAnswer<TResult>(response);
      const errors = answer?.errors ?? [];

      // 429: a request budget is spent; 503: the database did not answer. Either way nothing
      // ran, so sending the same request again (a mutation too) is safe.
      if (response.status === 429 || response.status === 503) {
        const waitSeconds = retryAfterSeconds(response.headers.get('retry-after'));
        const what = response.status === 429 ? 'rate limited' : 'temporarily unavailable';
        if (retry >= maxRetries || waitSeconds > maxWaitSeconds) {
          const why = retry >= maxRetries ? `after ${retry} retries` : `and asks to wait ${waitSeconds} s`;
          throw new RetryLaterError(
            `Crewgraph is ${what} (HTTP ${response.status}) ${why}`,
            response.status,
            errors,
            waitSeconds,
          );
        }
        onRetry?.({ status: response.status, waitSeconds, retry: retry + 1, maxRetries });
        await new Promise((resolve) => setTimeout(resolve, waitSeconds * 1000));
        continue;
      }
      if (response.status === 401) {
        throw new AuthenticationError(errors[0]?.message ?? 'HTTP 401 Unauthorized', 401, errors);
      }
      if (errors.length) {
        throw new GraphQLResponseError(`${errors.length} GraphQL error(s)`, response.status, errors);
      }
      if (!response.ok || answer?.data == null) {
        throw new CrewgraphError(`Unexpected answer: HTTP ${response.status} without data`, response.status);
      }
      return answer.data;
    }
  };
}

async function post(url: string, token: string, body: string, timeoutSeconds: number): Promise<Response> {
  try {
    return await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${token}`,
      },
      body,
      signal: AbortSignal.timeout(timeoutSeconds * 1000),
    });
  } catch (error) {
    const cause = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : error;
    throw new CrewgraphError(`Could not reach ${url}: ${String(cause)}`);
  }
}

/** The JSON body, or null when the answer is not JSON (a proxy's error page, say). */
async function readAnswer<TResult>(response: Response): Promise<GraphQLResponse<TResult> | null> {
  try {
    return (await response.json()) as GraphQLResponse<TResult>;
  } catch {
    return null;
  }
}

/** `Retry-After` is seconds or an HTTP date; without one, wait a second. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number {
  if (header === null || header.trim() === '') return 1;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  return Number.isNaN(date) ? 1 : Math.max(0, Math.ceil((date - now) / 1000));
}
