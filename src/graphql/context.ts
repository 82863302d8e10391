import type { RequestScope } from '../core/request-scope.ts';
import { createLoaders, type Loaders } from './loaders.ts';

/** A resolver's context: the request's scope, which services take, plus per-request DataLoaders. */
export interface GraphQLContext extends RequestScope {
  loaders: Loaders;
  /** WEBHOOKS_ALLOW_HTTP: endpoints may use http:// and loopback/private addresses (development). */
  webhooksAllowHttp?: boolean;
  /** The server's request budget of a key (RATE_LIMIT_KEY_REQUESTS per RATE_LIMIT_WINDOW_SECONDS), shown by `ApiKey.rateLimit`. */
  keyRateLimit?: { requests: number; perSeconds: number };
}

export const graphqlContext = (scope: RequestScope): GraphQLContext => ({ ...scope, loaders: createLoaders(scope) });
