import type { Plugin } from 'graphql-yoga';
import type { IncomingMessage } from 'node:http';
import type { Database } from '../db/database.ts';
import { requestError } from './error-contract.ts';
import { requestInfo } from './request-info.ts';
import { authenticate, credentialFrom } from '../auth/authenticate.ts';
import { clientAddress, type TrustProxy } from '../auth/ip-allow-list.ts';
import type { LastUsedTracker } from '../auth/last-used.ts';
import type { Principal } from '../core/principal.ts';

/** The client address of a request served by node:http (null when called in-process, e.g. `yoga.fetch`). */
export function clientIp(serverContext: unknown, trustProxy: TrustProxy): string | null {
  return clientAddress((serverContext as { req?: IncomingMessage } | undefined)?.req, trustProxy);
}

/** The principal of a request that passed authentication. */
export function principalOf(request: Request): Principal {
  const principal = requestInfo(request).principal;
  if (!principal) throw new Error('request reached execution without a principal');
  return principal;
}

/**
 * Authenticates every GraphQL operation before it is parsed, so unauthenticated callers
 * learn nothing about the schema; failures answer 401 with a coded error.
 */
export function useAuthentication(
  db: Database,
  now: () => Date,
  lastUsed: LastUsedTracker,
  trustProxy: TrustProxy,
): Plugin {
  return {
    async onParams({ request, setResult, context }) {
      try {
        const at = now();
        const ip = clientIp(context, trustProxy);
        const principal = await authenticate(db.credentials, credentialFrom(request.headers), at, ip);
        requestInfo(request).principal = principal;
        lastUsed.touch(principal, ip, at);
      } catch (error) {
        setResult({ errors: [requestError(error)] });
      }
    },
  };
}
