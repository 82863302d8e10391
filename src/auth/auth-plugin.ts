import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Database } from '../db/database.ts';
import { maskError } from '../graphql/error-plugin.ts';
import { requestInfo } from '../graphql/request-info.ts';
import { authenticate, credentialFrom } from './authenticate.ts';
import type { LastUsedTracker } from './last-used.ts';
import type { Principal } from './principal.ts';

/** The client address: the socket's (proxies are not trusted yet). */
export function clientIp(serverContext: unknown): string | null {
  const req = (serverContext as { req?: { socket?: { remoteAddress?: string } } } | undefined)?.req;
  return req?.socket?.remoteAddress ?? null;
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
export function useAuthentication(db: Database, now: () => Date, lastUsed: LastUsedTracker): Plugin {
  return {
    async onParams({ request, setResult, context }) {
      try {
        const at = now();
        const principal = await authenticate(db.prisma, credentialFrom(request.headers), at);
        requestInfo(request).principal = principal;
        lastUsed.touch(principal, clientIp(context), at);
      } catch (error) {
        const coded = error instanceof GraphQLError ? error : maskError(error, 'Unexpected error.');
        setResult({ errors: [coded] });
      }
    },
  };
}
