import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Principal } from './principal.ts';

/** What a service needs to act for one request: the database, who asks, the clock, and the id for logs. */
export interface RequestScope {
  prisma: PrismaClient;
  principal: Principal;
  /** The clock (injected in tests, e.g. to cross a key's expiry). */
  now: () => Date;
  requestId: string;
}
