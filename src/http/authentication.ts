import type { Plugin } from 'graphql-yoga';
import type { IncomingMessage } from 'node:http';
import type { Database } from '../db/database.ts';
import type { NamedStatement } from '../db/named-statement.ts';
import { requestError, toGraphQLError } from './error-contract.ts';
import { requestInfo } from './request-info.ts';
import { authenticate, credentialFrom } from '../auth/authenticate.ts';
import { clientAddress, type TrustProxy } from '../auth/ip-allow-list.ts';
import type { LastUsedTracker } from '../auth/last-used.ts';
import type { Principal } from '../core/principal.ts';
import { CodedError, rateLimited } from '../core/errors.ts';
import type { RateLimitDecision, RateLimiter } from './limits/rate-limit.ts';

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

/** Credential lookups answered from the credential cache only: what it does not hold is not found. */
const inMemory =
  (db: Database) =>
  async <T>(statement: NamedStatement, values: unknown[]): Promise<T[]> =>
    db.credentials.cached<T>(statement, values) ?? [];

const refusal = (decision: RateLimitDecision) => ({
  errors: [toGraphQLError(rateLimited(decision.retryAfterSeconds), { beforeExecution: true })],
});

/**
 * Authenticates every GraphQL operation before it is parsed, so unauthenticated callers
 * learn nothing about the schema; failures answer 401 with a coded error.
 *
 * A request without a valid credential spends its client address's budget
 * (docs/limits.md#before-authentication): a request with no credential (or a malformed one)
 * fails without any database work and is counted at once; a token that has to be looked up
 * is counted when it fails. From an address this instance has already seen refused, a
 * credential is checked only against the credential cache (no database work): one held there
 * (a key in use on this instance) still passes, anything else is answered 429. A valid
 * credential never spends the address budget.
 */
export function useAuthentication(
  db: Database,
  now: () => Date,
  lastUsed: LastUsedTracker,
  trustProxy: TrustProxy,
  limiter: RateLimiter,
): Plugin {
  return {
    async onParams({ request, setResult, context }) {
      const info = requestInfo(request);
      const ip = clientIp(context, trustProxy);
      const refused = ip === null ? null : limiter.refusedAddress(ip);
      // From a refused address only what this instance holds in memory is checked: no database work.
      const credentials = refused ? { query: inMemory(db) } : db.credentials;
      try {
        const at = now();
        const principal = await authenticate(credentials, credentialFrom(request.headers), at, ip);
        info.principal = principal;
        lastUsed.touch(principal, ip, at);
      } catch (error) {
        // Requests without an address (only in-process calls such as `yoga.fetch`) have no budget to spend.
        if (error instanceof CodedError && ip !== null) {
          info.rateLimit = refused ?? (await limiter.consumeAddress(ip));
          if (!info.rateLimit.allowed) {
            setResult(refusal(info.rateLimit));
            return;
          }
        }
        setResult({ errors: [requestError(error)] });
      }
    },
  };
}
