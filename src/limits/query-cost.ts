import { getNamedType, type GraphQLSchema } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import type { Plugin } from 'graphql-yoga';
import { DEFAULT_PAGE_SIZE } from '../graphql/builder.ts';
import { codedError } from '../graphql/errors.ts';

/**
 * Cost = the number of objects a query can return (GitHub's node count, Shopify's cost):
 * every object field costs 1, scalars nothing, and a connection multiplies what is
 * under it by its page size (`first`/`last`, default 20).
 */
const objectCountEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  const type = getNamedType(field.type);
  if (type.name.endsWith('Connection')) {
    const pageSize = Number(args.first ?? args.last ?? DEFAULT_PAGE_SIZE);
    return 1 + childComplexity * Math.max(1, pageSize);
  }
  if ('getFields' in type) return 1 + childComplexity;
  return 0;
};

/**
 * Computes the cost of every operation before any resolver runs, refuses it above the
 * limit, and reports it in `extensions.cost` of every response.
 */
export function useQueryCost(schema: GraphQLSchema, maxCost: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      let cost: number;
      try {
        cost = getComplexity({
          schema,
          query: args.document,
          variables: args.variableValues ?? {},
          operationName: args.operationName ?? undefined,
          estimators: [objectCountEstimator],
        });
      } catch {
        return; // unknown operation or bad variables: execution reports those itself
      }
      const extensions = { cost: { requestedQueryCost: cost, maximumAvailable: maxCost } };
      if (cost > maxCost) {
        const error = codedError(
          'BAD_USER_INPUT',
          `This query could return ${cost} objects; the limit is ${maxCost}. Ask for smaller pages or fewer nested connections.`,
        );
        setResultAndStopExecution({ errors: [error], extensions });
        return;
      }
      return {
        onExecuteDone({ result, setResult }) {
          if ('data' in result || 'errors' in result) {
            setResult({ ...result, extensions: { ...result.extensions, ...extensions } });
          }
        },
      };
    },
  };
}
