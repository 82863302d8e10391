import type { Plugin } from 'graphql-yoga';
import { authenticate } from '../auth/authenticate.ts';
import { clientIp } from './authentication.ts';
import type { TrustProxy } from '../auth/ip-allow-list.ts';
import type { LastUsedTracker } from '../auth/last-used.ts';
import { CodedError, serviceUnavailable } from '../core/errors.ts';
import type { ApiKeyPrincipal } from '../core/principal.ts';
import type { Database } from '../db/database.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { requestInfo } from './request-info.ts';
import type { RateLimiter } from './limits/rate-limit.ts';
import type { Logger } from '../logger.ts';
import { issueAccessToken } from '../auth/access-tokens.ts';

export const TOKEN_PATH = '/oauth/token';

type OAuthError =
  'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'temporarily_unavailable' | 'access_denied';

/** RFC 6749 §5.2: a JSON error body, never cached. */
class TokenError extends Error {
  constructor(
    readonly error: OAuthError,
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

function json(body: object, status: number, headers: Record<string, string> = {}) {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
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
  return new TokenError('invalid_client', description, 401, { 'WWW-Authenticate': 'Basic realm="crewgraph"' });
}

/** The form parameters; each may appear at most once (RFC 6749 §3.2). */
async function formParameters(request: Request): Promise<Map<string, string>> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) {
    throw new TokenError('invalid_request', 'Send the parameters as application/x-www-form-urlencoded.');
  }
  const params = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(await request.text())) {
    if (params.has(name)) throw new TokenError('invalid_request', `The parameter "${name}" is repeated.`);
    params.set(name, value);
  }
  return params;
}

function clientCredentials(request: Request, params: Map<string, string>) {
  const header = request.headers.get('authorization');
  const inForm = params.has('client_id') || params.has('client_secret');
  if (header && inForm) {
    throw new TokenError('invalid_request', 'Use one client authentication method: HTTP Basic or form fields.');
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
      throw new TokenError('access_denied', error.message, 403, {}, 'IP_NOT_ALLOWED');
    }
    if (error instanceof CodedError) throw invalidClient(error.message);
    throw error;
  }
  if (principal.kind !== 'API_KEY' || principal.keyId !== clientId) {
    throw invalidClient('client_id does not match the key of client_secret.');
  }
  return principal;
}

export interface TokenEndpointOptions {
  db: Database;
  now: () => Date;
  ttlSeconds: number;
  rateLimiter: RateLimiter;
  lastUsed: LastUsedTracker;
  logger: Logger;
  trustProxy: TrustProxy;
}

const rateLimitedExchange = (description: string, retryAfterSeconds: number) =>
  new TokenError(
    'temporarily_unavailable',
    description,
    429,
    { 'Retry-After': String(retryAfterSeconds) },
    'RATE_LIMITED',
  );

/**
 * `POST /oauth/token`: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4). An API key
 * authenticates as the client and receives a short-lived bearer token for the same rights.
 * Every request here first spends its client address's budget, before the body is read or
 * any database work (the key is not known yet); an exchange then counts against the key's
 * rate limit like any request.
 */
export function useTokenEndpoint(options: TokenEndpointOptions): Plugin {
  const { db, now, ttlSeconds, rateLimiter, lastUsed, logger, trustProxy } = options;
  const exchange = async (request: Request, ip: string | null): Promise<Response> => {
    // Requests without an address (only in-process calls such as `yoga.fetch`) have no budget to spend.
    if (ip !== null) {
      const address = await rateLimiter.consumeAddress(ip);
      if (!address.allowed) {
        throw rateLimitedExchange('Too many token requests from this address; retry later.', address.retryAfterSeconds);
      }
    }
    if (request.method !== 'POST') {
      throw new TokenError('invalid_request', 'Use POST.', 405, { Allow: 'POST' });
    }
    const params = await formParameters(request);
    const { clientId, clientSecret } = clientCredentials(request, params);
    const grantType = params.get('grant_type');
    if (!grantType) throw new TokenError('invalid_request', 'grant_type is required.');
    const at = now();
    const key: ApiKeyPrincipal = await authenticateClient(db, clientId, clientSecret, at, ip);
    if (grantType !== 'client_credentials') {
      throw new TokenError('unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
    }
    const info = requestInfo(request);
    info.principal = key;
    const budget = await rateLimiter.consume(key);
    info.rateLimit = budget;
    if (!budget.allowed) {
      throw rateLimitedExchange("The key's rate limit is spent; retry later.", budget.retryAfterSeconds);
    }
    lastUsed.touch(key, ip, at);
    const issued = await issueAccessToken(db.prisma, key, clientSecret, { now: at, ttlSeconds, requestId: info.id });
    return json({ access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn }, 200);
  };

  return {
    async onRequest({ request, url, endResponse, serverContext }) {
      if (url.pathname !== TOKEN_PATH) return;
      try {
        endResponse(await exchange(request, clientIp(serverContext, trustProxy)));
      } catch (error) {
        if (error instanceof TokenError) {
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
        logger.error({ err: error, requestId: requestInfo(request).id }, 'token exchange failed');
        endResponse(json({ error: 'server_error', error_description: 'Unexpected error.' }, 500));
      }
    },
  };
}
