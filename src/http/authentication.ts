import type { Plugin } from 'graphql-yoga';
import type { IncomingMessage } from 'node:http';
import type { Database } from '../db/database.ts';
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
 * is counted when it fails, and an address this instance has already seen refused is answered
 * 429 up front, before any lookup. A valid credential never touches the address budget.
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
      if (refused) {
        info.rateLimit = refused;
        setResult(refusal(refused));
        return;
      }
      try {
        const at = now();
        const principal = await authenticate(db.credentials, credentialFrom(request.headers), at, ip);
        info.principal = principal;
        lastUsed.touch(principal, ip, at);
      } catch (error) {
        // Requests without an address (only in-process calls such as `yoga.fetch`) have no budget to spend.
        if (error instanceof CodedError && ip !== null) {
          info.rateLimit = await limiter.consumeAddress(ip);
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
