import { execute } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Runs operations with graphql-js's own `execute` instead of Yoga's default
 * (@graphql-tools/executor). This API has no subscriptions, `@defer` or `@stream`, which
 * are what that executor adds; without its promise helpers a deeply nested read costs
 * less Node CPU (bench/README.md).
 */
export function useGraphqlJsExecute(): Plugin {
  return {
    onExecute({ setExecuteFn }) {
      setExecuteFn(execute);
    },
  };
}
