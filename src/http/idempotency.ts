import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { GraphQLError, getOperationAST, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { v7 as uuidv7 } from 'uuid';
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import { badUserInput, serviceUnavailable } from '../core/errors.ts';
import type { RequestScope } from '../core/request-scope.ts';
import { maskError, toGraphQLError } from './error-contract.ts';

/**
 * The `Idempotency-Key` request header (as Stripe's): a mutation request sent again with the
 * same key and the same body within 24 hours gets the first answer back, and does not run
 * again; the same key with another body is BAD_USER_INPUT. Keys are per principal (a key's
 * access tokens share the key's) and live in the database, so every instance sees them.
 * docs/idempotency.md tells clients how to use it.
 */

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
export const REPLAYED_HEADER = 'Idempotent-Replayed';
const VALID_KEY = /^[\x21-\x7e]{1,255}$/;
/** A first request still without an answer after this long died before it could store one. */
const ABANDONED_AFTER_MS = 2 * 60 * 1000;
/** How long a repeat waits (real time) for the first request, still running, to answer. */
const WAIT_FOR_FIRST_MS = 60 * 1000;

type Context = RequestScope & {
  request: Request;
  params?: { query?: string; operationName?: string | null; variables?: unknown };
};
interface StoredAnswer {
  data: unknown;
  errors?: { message: string; path?: readonly (string | number)[]; extensions: { code: unknown } }[];
}
type Claim = { owner: string } | { answer: StoredAnswer } | { refused: GraphQLError };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** JSON with object keys sorted, so the same variables in another order are the same body. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const requestHash = (params: Context['params']) =>
  createHash('sha256')
    .update(
      canonical({
        query: params?.query ?? '',
        operationName: params?.operationName ?? null,
        variables: params?.variables ?? {},
      }),
    )
    .digest('hex');

const principalKey = ({ principal }: RequestScope) =>
  principal.kind === 'API_KEY' ? `API_KEY:${principal.apiKeyId}` : `ADMIN:${principal.userId}`;

const refusal = (message: string) => toGraphQLError(badUserInput(message), { beforeExecution: true });

/**
 * The first request with a key claims it (a row without an answer); a repeat replays the
 * stored answer, waits while the first still runs, or takes over a claim abandoned by a
 * process that died. An expired key is free again.
 */
async function claim(prisma: PrismaClient, ctx: Context, key: string, hash: string): Promise<Claim> {
  const principal = principalKey(ctx);
  const started = performance.now();
  for (let round = 0; ; round++) {
    const now = ctx.now();
    const id = uuidv7();
    const { count } = await prisma.idempotencyKey.createMany({
      data: {
        id,
        organizationId: ctx.principal.organizationId,
        principal,
        key,
        requestHash: hash,
        createdAt: now,
        expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
      },
      skipDuplicates: true,
    });
    if (count === 1) return { owner: id };
    const row = await prisma.idempotencyKey.findUnique({ where: { principal_key: { principal, key } } });
    if (!row) continue;
    if (row.expiresAt <= now) {
      await prisma.idempotencyKey.deleteMany({ where: { id: row.id, expiresAt: { lte: now } } });
      continue;
    }
    if (row.requestHash !== hash) {
      return {
        refused: refusal(
          'This Idempotency-Key was used with a different request in the last 24 hours; use a new key for a new request.',
        ),
      };
    }
    if (row.response !== null) return { answer: row.response as unknown as StoredAnswer };
    if (now.getTime() - row.createdAt.getTime() > ABANDONED_AFTER_MS) {
      const { count: taken } = await prisma.idempotencyKey.updateMany({
        where: { id: row.id, response: { equals: Prisma.DbNull }, createdAt: row.createdAt },
        data: { createdAt: now },
      });
      if (taken) return { owner: row.id };
      continue;
    }
    if (performance.now() - started > WAIT_FOR_FIRST_MS) {
      return { refused: toGraphQLError(serviceUnavailable(), { beforeExecution: true }) };
    }
    await sleep(Math.min(25 * 2 ** round, 500));
  }
}

/**
 * What is stored of an answer: only one that ran (it has data) and did not fail on our side.
 * An answer with INTERNAL_SERVER_ERROR or SERVICE_UNAVAILABLE releases the key: its
 * transaction rolled back, so running the request again is safe and is what a retry wants.
 */
function storable(result: ExecutionResult): StoredAnswer | null {
  if (result.data == null) return null;
  const errors = (result.errors ?? []).map((error) => maskError(error, 'Unexpected error.'));
  const codes = errors.map((error) => error.extensions.code);
  if (codes.includes('INTERNAL_SERVER_ERROR') || codes.includes('SERVICE_UNAVAILABLE')) return null;
  const answer: StoredAnswer = { data: JSON.parse(JSON.stringify(result.data)) };
  if (errors.length) {
    answer.errors = errors.map((error) => ({
      message: error.message,
      ...(error.path && { path: error.path }),
      extensions: { code: error.extensions.code },
    }));
  }
  return answer;
}

const replay = (answer: StoredAnswer): ExecutionResult => ({
  data: answer.data as ExecutionResult['data'],
  ...(answer.errors && {
    errors: answer.errors.map(
      (error) => new GraphQLError(error.message, { path: error.path, extensions: error.extensions }),
    ),
  }),
});

export function useIdempotencyKeys(prisma: PrismaClient): Plugin {
  const replayed = new WeakSet<Request>();
  return {
    async onExecute({ args, executeFn, setExecuteFn, setResultAndStopExecution }) {
      const ctx = args.contextValue as unknown as Context;
      const key = ctx.request?.headers.get('idempotency-key');
      if (key == null || getOperationAST(args.document, args.operationName)?.operation !== 'mutation') return;
      if (!VALID_KEY.test(key)) {
        setResultAndStopExecution({
          errors: [refusal('Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is a good choice).')],
        });
        return;
      }
      const claimed = await claim(prisma, ctx, key, requestHash(ctx.params));
      if ('refused' in claimed) return setResultAndStopExecution({ errors: [claimed.refused] });
      if ('answer' in claimed) {
        replayed.add(ctx.request);
        return setResultAndStopExecution(replay(claimed.answer));
      }
      setExecuteFn(async (executionArgs) => {
        let answer: StoredAnswer | null = null;
        try {
          const result = (await executeFn(executionArgs)) as ExecutionResult;
          answer = storable(result);
          return result;
        } finally {
          // Before the client hears the answer, so a retry after it never runs the mutation again.
          if (answer) {
            await prisma.idempotencyKey.update({
              where: { id: claimed.owner },
              data: { response: answer as unknown as Prisma.InputJsonValue },
            });
          } else await prisma.idempotencyKey.deleteMany({ where: { id: claimed.owner } });
        }
      });
    },
    onResponse({ request, response }) {
      if (replayed.has(request)) response.headers.set(REPLAYED_HEADER, 'true');
    },
  };
}
