import type { Plugin } from 'graphql-yoga';
import type { ApiKeyPrincipal } from '../core/principal.ts';
import { issueAccessToken } from '../auth/access-tokens.ts';
import { parseToken } from '../auth/tokens.ts';
import { inOneTransaction } from '../db/joined-transaction.ts';
import { recordAccessTokenEvent } from '../modules/audit/access-token-events.ts';
import { json, OAuthError, oauthEndpoint, type OAuthEndpointOptions } from './oauth-common.ts';

export const TOKEN_PATH = '/oauth/token';

/** The scopes a token request may ask for (RFC 6749 §3.3). */
const SCOPES = new Set(['read', 'write']);

export interface GrantedScope {
  /** What the answer echoes: "read" or "read write". */
  granted: 'read' | 'read write';
  /** What the token stores: "read" narrows it to reads; null keeps the key's own rights at each use. */
  stored: 'read' | null;
}

/**
 * The scope a token request is granted (RFC 6749 §3.3): space-separated values out of
 * `read` and `write`. `read` alone narrows the token to reads, even for a key that may write;
 * `write` needs a key that allows writes (and includes reading); none (omitted or empty) gives
 * the key's own rights. Anything else is `invalid_scope`.
 */
export function grantedScope(requested: string | undefined, key: Pick<ApiKeyPrincipal, 'allowWrites'>): GrantedScope {
  const values = (requested ?? '').split(' ').filter((value) => value !== '');
  const own: GrantedScope = { granted: key.allowWrites ? 'read write' : 'read', stored: null };
  if (values.length === 0) return own;
  if (values.some((value) => !SCOPES.has(value))) {
    throw new OAuthError('invalid_scope', 'Unknown scope: ask for read, write or both, separated by a space.');
  }
  if (!values.includes('write')) return { granted: 'read', stored: 'read' };
  if (!key.allowWrites)
    throw new OAuthError('invalid_scope', 'This API key is read-only: the write scope cannot be granted.');
  return own;
}

export interface TokenEndpointOptions extends OAuthEndpointOptions {
  /** The server's access-token lifetime (ACCESS_TOKEN_TTL_SECONDS); a key's own lifetime takes precedence. */
  ttlSeconds: number;
}

/**
 * `POST /oauth/token`: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4). An API key
 * authenticates as the client and receives a short-lived bearer token for the same rights, or
 * for reads only (`scope=read`). Every request first spends its client address's budget; an
 * exchange then counts against the key's rate limit like any request (oauth-common.ts).
 */
export function useTokenEndpoint(options: TokenEndpointOptions): Plugin {
  const { ttlSeconds } = options;
  return oauthEndpoint(TOKEN_PATH, options, {
    failure: 'token exchange failed',
    checkParams(params) {
      if (!params.get('grant_type')) throw new OAuthError('invalid_request', 'grant_type is required.');
    },
    checkClient(params, key) {
      if (params.get('grant_type') !== 'client_credentials') {
        throw new OAuthError('unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
      }
      grantedScope(params.get('scope'), key);
    },
    async handle({ params, key, clientSecret, at, requestId }) {
      const scope = grantedScope(params.get('scope'), key);
      // The organisation's audit log records the issue in the transaction that stores the token.
      const issued = await inOneTransaction(options.db.prisma, async (client) => {
        const token = await issueAccessToken(client, key, clientSecret, {
          now: at,
          ttlSeconds: key.accessTokenTtlSeconds ?? ttlSeconds,
          scope: scope.stored,
          requestId,
        });
        const facts = {
          tokenId: parseToken(token.accessToken)?.id ?? '',
          expiresAt: new Date(at.getTime() + token.expiresIn * 1000).toISOString(),
          scope: scope.stored,
        };
        await recordAccessTokenEvent(client, key, { action: 'access_token.issued', token: facts, at, requestId });
        return token;
      });
      return json(
        { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn, scope: scope.granted },
        200,
      );
    },
  });
}
