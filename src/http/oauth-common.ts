import type { Plugin } from 'graphql-yoga';
import { authenticate } from '../auth/authenticate.ts';
import type { TrustProxy } from '../auth/ip-allow-list.ts';
import type { LastUsedTracker } from '../auth/last-used.ts';
import { CodedError, serviceUnavailable } from '../core/errors.ts';
import type { ApiKeyPrincipal } from '../core/principal.ts';
import type { Database } from '../db/database.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import type { Logger } from '../logger.ts';
import { clientIp } from './authentication.ts';
import type { RateLimiter } from './limits/rate-limit.ts';
import { requestInfo } from './request-info.ts';

/**
 * What the OAuth endpoints (`POST /oauth/token`, `POST /oauth/revoke`) share: form parsing,
 * client authentication by an API key (RFC 6749 §2.3.1), the address and key budgets, and
 * errors in OAuth's JSON format (RFC 6749 §5.2, RFC 7009 §2.2.1).
 */

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_scope'
  | 'unsupported_grant_type'
  | 'unsupported_token_type'
  | 'temporarily_unavailable'
  | 'access_denied';

/** RFC 6749 §5.2: a JSON error body, never cached. */
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status = error === 'invalid_client' ? 401 : 400,
    readonly headers: Record<string, string> = {},
    /** The contract's error code, where one applies (IP_NOT_ALLOWED, RATE_LIMITED). */
    readonly code?: string,
  ) {
    super(description);
  }
}

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

export function json(body: object, status: number, headers: Record<string, string> = {}) {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

/** A 200 without a body (RFC 7009 §2.2), never cached. */
export function emptyOk() {
  return new Response(null, { status: 200, headers: NO_STORE });
}

/** RFC 6749 §2.3.1: client id and secret, form-urlencoded, then Basic-encoded. */
function basicCredentials(header: string): { clientId: string; clientSecret: string } {
  const match = /^Basic\s+([A-Za-z0-9+/]+=*)\s*$/i.exec(header);
  const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  if (colon < 0) throw invalidClient('The Authorization header is not valid HTTP Basic client authentication.');
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      clientSecret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    throw invalidClient('The Basic credentials are not correctly encoded.');
  }
}

function invalidClient(description: string) {
  return new OAuthError('invalid_client', description, 401, { 'WWW-Authenticate': 'Basic realm="crewgraph"' });
}

/** The form parameters; each may appear at most once (RFC 6749 §3.2). */
async function formParameters(request: Request): Promise<Map<string, string>> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) {
    throw new OAuthError('invalid_request', 'Send the parameters as application/x-www-form-urlencoded.');
  }
  const params = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(await request.text())) {
    if (params.has(name)) throw new OAuthError('invalid_request', `The parameter "${name}" is repeated.`);
    params.set(name, value);
  }
  return params;
}

function clientCredentials(request: Request, params: Map<string, string>) {
  const header = request.headers.get('authorization');
  const inForm = params.has('client_id') || params.has('client_secret');
  if (header && inForm) {
    throw new OAuthError('invalid_request', 'Use one client authentication method: HTTP Basic or form fields.');
  }
  if (header) return basicCredentials(header);
  const clientId = params.get('client_id');
  const clientSecret = params.get('client_secret');
  if (!clientId || !clientSecret) {
    throw invalidClient('Client authentication required: the key id as client_id and its token as client_secret.');
  }
  return { clientId, clientSecret };
}

/** The key behind the credentials; any failure is invalid_client with the reason authentication gave. */
async function authenticateClient(db: Database, clientId: string, clientSecret: string, now: Date, ip: string | null) {
  if (!clientSecret.startsWith('cgk_')) throw invalidClient('client_secret must be an API key token (cgk_…).');
  let principal;
  try {
    principal = await authenticate(db, clientSecret, now, ip);
  } catch (error) {
    if (error instanceof CodedError && error.code === 'IP_NOT_ALLOWED') {
      throw new OAuthError('access_denied', error.message, 403, {}, 'IP_NOT_ALLOWED');
    }
    if (error instanceof CodedError) throw invalidClient(error.message);
    throw error;
  }
  if (principal.kind !== 'API_KEY' || principal.keyId !== clientId) {
    throw invalidClient('client_id does not match the key of client_secret.');
  }
  return principal;
}

const rateLimited = (description: string, retryAfterSeconds: number) =>
  new OAuthError(
    'temporarily_unavailable',
    description,
    429,
    { 'Retry-After': String(retryAfterSeconds) },
    'RATE_LIMITED',
  );

export interface OAuthEndpointOptions {
  db: Database;
  now: () => Date;
  rateLimiter: RateLimiter;
  lastUsed: LastUsedTracker;
  logger: Logger;
  trustProxy: TrustProxy;
}

/** A request to an OAuth endpoint, its parameters read and its client (an API key) authenticated. */
export interface OAuthClientRequest {
  request: Request;
  params: Map<string, string>;
  key: ApiKeyPrincipal;
  /** The key token that authenticated (client_secret). */
  clientSecret: string;
  at: Date;
  requestId: string;
}

/**
 * Steps every OAuth request takes, in this order:
 * 1. it spends its client address's budget, before the body is read or any database work
 *    (the key is not known yet; docs/limits.md#before-authentication);
 * 2. POST only, form-encoded, no repeated parameter, one client authentication method;
 * 3. `checkParams` (what can be refused before the key is looked up, e.g. grant_type missing);
 * 4. the key authenticates as the client (invalid_client / access_denied otherwise);
 * 5. `checkClient` (refusals once the key is known, e.g. an unsupported grant or scope);
 * 6. the request counts against the key's rate limit like any request, and as its last use.
 */
export function oauthEndpoint(
  path: string,
  options: OAuthEndpointOptions,
  handler: {
    checkParams?: (params: Map<string, string>) => void;
    checkClient?: (params: Map<string, string>, key: ApiKeyPrincipal) => void;
    handle: (client: OAuthClientRequest) => Promise<Response>;
    /** The log message of an unexpected failure. */
    failure: string;
  },
): Plugin {
  const { db, now, rateLimiter, lastUsed, logger, trustProxy } = options;
  const serve = async (request: Request, ip: string | null): Promise<Response> => {
    // Requests without an address (only in-process calls such as `yoga.fetch`) have no budget to spend.
    if (ip !== null) {
      const address = await rateLimiter.consumeAddress(ip);
      if (!address.allowed) {
        throw rateLimited('Too many OAuth requests from this address; retry later.', address.retryAfterSeconds);
      }
    }
    if (request.method !== 'POST') {
      throw new OAuthError('invalid_request', 'Use POST.', 405, { Allow: 'POST' });
    }
    const params = await formParameters(request);
    const { clientId, clientSecret } = clientCredentials(request, params);
    handler.checkParams?.(params);
    const at = now();
    const key = await authenticateClient(db, clientId, clientSecret, at, ip);
    handler.checkClient?.(params, key);
    const info = requestInfo(request);
    info.principal = key;
    const budget = await rateLimiter.consume(key);
    info.rateLimit = budget;
    if (!budget.allowed) {
      throw rateLimited("The key's rate limit is spent; retry later.", budget.retryAfterSeconds);
    }
    lastUsed.touch(key, ip, at);
    return handler.handle({ request, params, key, clientSecret, at, requestId: info.id });
  };

  return {
    async onRequest({ request, url, endResponse, serverContext }) {
      if (url.pathname !== path) return;
      try {
        endResponse(await serve(request, clientIp(serverContext, trustProxy)));
      } catch (error) {
        if (error instanceof OAuthError) {
          const body = { error: error.error, error_description: error.description, code: error.code };
          endResponse(json(body, error.status, error.headers));
          return;
        }
        if (isDatabaseUnavailable(error)) {
          const unavailable = serviceUnavailable();
          const body = {
            error: 'temporarily_unavailable',
            error_description: unavailable.message,
            code: unavailable.code,
          };
          endResponse(json(body, 503, { 'Retry-After': String(unavailable.retryAfterSeconds) }));
          return;
        }
        logger.error({ err: error, requestId: requestInfo(request).id }, handler.failure);
        endResponse(json({ error: 'server_error', error_description: 'Unexpected error.' }, 500));
      }
    },
  };
}
