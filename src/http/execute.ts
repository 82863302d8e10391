import { execute, getOperationAST, type ExecutionArgs } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { CredentialCache } from '../db/credential-cache.ts';

/**
 * Runs operations with graphql-js's own `execute` instead of Yoga's default
 * (@graphql-tools/executor). This API has no subscriptions, `@defer` or `@stream`, which
 * are what that executor adds; without its promise helpers a deeply nested read costs
 * less Node CPU (bench/README.md).
 * With `credentials` (the server; not the benchmark's bare stack), a mutation answers only once
 * no instance can still answer from credentials its writes changed (db/credential-cache.ts):
 * a revoked key is refused by the very next request.
 */
export function useGraphqlJsExecute(credentials?: CredentialCache): Plugin {
  const executeMutation =
    credentials &&
    (async (args: ExecutionArgs) => {
      const mark = credentials.mark();
      try {
        return await execute(args);
      } finally {
        await credentials.settle(mark);
      }
    });
  return {
    onExecute({ args, setExecuteFn }) {
      const mutation = getOperationAST(args.document, args.operationName)?.operation === 'mutation';
      setExecuteFn(executeMutation && mutation ? executeMutation : execute);
    },
  };
}
