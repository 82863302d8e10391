import type { Plugin } from 'graphql-yoga';
import { revokeAccessToken } from '../auth/access-tokens.ts';
import { parseToken } from '../auth/tokens.ts';
import { inOneTransaction } from '../db/joined-transaction.ts';
import { recordAccessTokenEvent } from '../modules/audit/access-token-events.ts';
import { emptyOk, OAuthError, oauthEndpoint, type OAuthEndpointOptions } from './oauth-common.ts';

export const REVOKE_PATH = '/oauth/revoke';

/**
 * `POST /oauth/revoke`: token revocation (RFC 7009). The key authenticates as the client,
 * exactly as at `POST /oauth/token`, and revokes one of its own access tokens (`cgt_…`).
 * The answer is 200 with an empty body whether or not there was such a token (unknown,
 * malformed, expired, already revoked, or another key's, which stays untouched: §2.2), so it
 * tells nothing about other keys' tokens. Keys themselves (`cgk_…`) and admin tokens are
 * revoked in the API by admins: `unsupported_token_type`. `token_type_hint` is accepted and
 * not needed (only access tokens are revoked here).
 *
 * Like a mutation, the answer waits until no instance can still accept the token from its
 * credential cache: the very next request with it is refused (401) on every instance.
 */
export function useRevokeEndpoint(options: OAuthEndpointOptions): Plugin {
  const { credentials, prisma } = options.db;
  return oauthEndpoint(REVOKE_PATH, options, {
    failure: 'token revocation failed',
    checkParams(params) {
      if (!params.get('token')) throw new OAuthError('invalid_request', 'token is required.');
    },
    checkClient(params) {
      const token = params.get('token') ?? '';
      if (token.startsWith('cgk_') || token.startsWith('cga_')) {
        throw new OAuthError(
          'unsupported_token_type',
          'Only access tokens (cgt_) are revoked here; API keys and admin tokens are revoked by admins in the API.',
        );
      }
    },
    async handle({ params, key, requestId, at }) {
      const token = params.get('token') ?? '';
      const mark = credentials.mark();
      try {
        // A revocation is recorded in the organisation's audit log in its transaction; nothing revoked, nothing recorded.
        await inOneTransaction(prisma, async (client) => {
          if (!(await revokeAccessToken(client, key, token, { requestId }))) return;
          const facts = { tokenId: parseToken(token)?.id ?? '' };
          await recordAccessTokenEvent(client, key, { action: 'access_token.revoked', token: facts, at, requestId });
        });
      } finally {
        await credentials.settle(mark);
      }
      return emptyOk();
    },
  });
}
