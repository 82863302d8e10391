import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { QueryLimits } from '../../config.ts';
import { badUserInput, rateLimited } from '../../core/errors.ts';
import { toGraphQLError } from '../error-contract.ts';
import { requestInfo } from '../request-info.ts';
import { useBodyLimit } from './body-limit.ts';
import { useQueryCost } from './query-cost.ts';
import { rateLimitHeaders, type RateLimiter } from './rate-limit.ts';

/** Deeper than this, even parsing is refused (the parser recurses per level). */
const MAX_NESTING = 200;

function nestingOf(query: string): number {
  let depth = 0;
  let max = 0;
  for (const char of query) {
    if (char === '{' || char === '[' || char === '(') max = Math.max(max, ++depth);
    else if (char === '}' || char === ']' || char === ')') depth--;
  }
  return max;
}

/**
 * Refuses absurdly nested documents before the GraphQL parser sees them: the parser is
 * recursive, and thousands of levels would overflow the stack (found by the fuzz test).
 */
function useNestingGuard(): Plugin {
  return {
    onParams({ request, params, setResult }) {
      if (!requestInfo(request).principal) return; // authentication already answered
      if (typeof params?.query === 'string' && nestingOf(params.query) > MAX_NESTING) {
        setResult({
          errors: [
            toGraphQLError(badUserInput(`The document is nested more than ${MAX_NESTING} levels deep.`), {
              beforeExecution: true,
            }),
          ],
        });
      }
    },
  };
}

/** Spends one request of the principal's budget; refuses with 429 when it is spent. */
function useRateLimit(limiter: RateLimiter): Plugin {
  return {
    async onParams({ request, setResult }) {
      const info = requestInfo(request);
      if (!info.principal || info.rateLimit) return;
      info.rateLimit = await limiter.consume(info.principal);
      if (!info.rateLimit.allowed) {
        setResult({
          errors: [toGraphQLError(rateLimited(info.rateLimit.retryAfterSeconds), { beforeExecution: true })],
        });
      }
    },
    onResponse({ request, response }) {
      const decision = requestInfo(request).rateLimit;
      if (!decision) return;
      for (const [name, value] of Object.entries(rateLimitHeaders(decision))) response.headers.set(name, value);
    },
  };
}

/**
 * Everything that bounds what one request may cost: body size, per-principal rate,
 * and the shape of the query (graphql-armor for depth, aliases, tokens and directives;
 * our object-count cost for pagination). Query checks run before any resolver.
 */
export function useLimits(
  schema: GraphQLSchema,
  limits: QueryLimits,
  limiter: RateLimiter,
  introspection: boolean,
): Plugin[] {
  const armor = EnvelopArmorPlugin({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true },
    maxAliases: { n: limits.maxAliases },
    maxTokens: { n: limits.maxTokens },
    maxDirectives: { n: limits.maxDirectives },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: !introspection },
  });
  return [
    useBodyLimit(limits.maxBodyBytes),
    useNestingGuard(),
    useRateLimit(limiter),
    armor as Plugin,
    useQueryCost(schema, limits.maxCost),
  ];
}
