import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { requestInfo } from './request-info.ts';
import type { UsageCounter } from '../modules/usage/usage-counter.ts';

function hasErrors(result: unknown): boolean {
  if (Array.isArray(result)) return result.some(hasErrors);
  const errors = (result as ExecutionResult | null | undefined)?.errors;
  return Array.isArray(errors) && errors.length > 0;
}

/**
 * Counts every request an API key makes (itself or through an access token issued for it,
 * including `POST /oauth/token` exchanges once the key is authenticated) in memory:
 * `requests` always; `rateLimited` when the rate limiter refused it (429); `errors` when
 * it was not rate-limited and answered with status >= 400 or a GraphQL result with
 * `errors` (partial results too). Requests that fail authentication have no key and are
 * not counted; nor are admin requests.
 */
export function useUsageCounting(counter: UsageCounter, now: () => Date): Plugin<{ usage?: UsageCounter }> {
  const withErrors = new WeakSet<Request>();
  return {
    onContextBuilding({ extendContext }) {
      extendContext({ usage: counter });
    },
    onResultProcess({ request, result }) {
      if (hasErrors(result)) withErrors.add(request);
    },
    onResponse({ request, response }) {
      const info = requestInfo(request);
      if (info.principal?.kind !== 'API_KEY') return;
      const rateLimited = info.rateLimit?.allowed === false;
      counter.record(info.principal, now(), {
        rateLimited,
        error: !rateLimited && (response.status >= 400 || withErrors.has(request)),
      });
    },
  };
}
