import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import pino from 'pino';
import { createServer, type ServerDeps } from '../../src/http/server.ts';
import { api } from '../../src/schema.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { DEFAULTS } from '../../src/config.ts';
import { createRateLimiter } from '../../src/http/limits/rate-limit.ts';

/** A result as tests read it: they assert on presence, so nulls are not in the way. */
type Present<T> = T extends (infer U)[]
  ? Present<U>[]
  : T extends object
    ? { [K in keyof T]-?: Present<NonNullable<T[K]>> }
    : NonNullable<T>;

export interface GraphQLResponse<T = any> {
  status: number;
  headers: Headers;
  // errors is absent on success; typed as present so tests can index it after asserting.
  body: {
    data: Present<T>;
    errors: { message: string; path?: (string | number)[]; extensions: Record<string, any> }[];
  };
}

export interface TestServer {
  db: TestDatabase;
  yoga: ReturnType<typeof createServer>;
  /**
   * POSTs a GraphQL operation through the HTTP layer, as a client would. Given a typed
   * document from the generated client, the variables and the result are typed too.
   */
  graphql<T = any, V = Record<string, unknown>>(
    token: string | null,
    query: string | TypedDocumentNode<T, V>,
    variables?: V,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export async function startTestServer(options: Omit<ServerDeps, 'db' | 'api' | 'logger'> = {}): Promise<TestServer> {
  const db = await createTestDatabase();
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  // The production budgets without the burst counter: a test client sends as fast as the
  // machine lets it, and a time-based burst would make results depend on the machine's speed.
  // Bursts are tested on their own, with a frozen clock (test/hardening-http.test.ts).
  const rateLimiter = createRateLimiter({ ...DEFAULTS.rateLimits, burst: undefined }, logger);
  const yoga = createServer({ db, api, logger, rateLimiter, ...options });
  return {
    db,
    yoga,
    async graphql(token, query, variables, headers = {}) {
      const response = await yoga.fetch('http://crewgraph.test/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: JSON.stringify({ query: typeof query === 'string' ? query : print(query), variables }),
      });
      return { status: response.status, headers: response.headers, body: await response.json() };
    },
    close: () => db.drop(),
  };
}
