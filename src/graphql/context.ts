import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Principal } from '../core/principal.ts';
import type { Loaders } from './loaders.ts';

export interface GraphQLContext {
  prisma: PrismaClient;
  principal: Principal;
  requestId: string;
  loaders: Loaders;
  /** The clock (injected in tests, e.g. to cross a key's expiry). */
  now: () => Date;
  /** WEBHOOKS_ALLOW_HTTP: endpoints may use http:// and loopback/private addresses (development). */
  webhooksAllowHttp?: boolean;
}
