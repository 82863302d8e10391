import { getNamedType, getNullableType, isListType, visit, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import type { Plugin } from 'graphql-yoga';
import { DEFAULT_PAGE_SIZE } from '../../core/pages.ts';
import { badUserInput } from '../../core/errors.ts';
import { toGraphQLError } from '../error-contract.ts';

/**
 * How many items a list field of objects can return: `nodes(ids:)` as many as it is given;
 * a list with a fixed maximum (its field's `extensions.listSize`) that many; any other list
 * as many as a page without `first`.
 */
function listSize(fieldName: string, extensions: Record<string, unknown>, args: Record<string, unknown>): number {
  if (fieldName === 'nodes' && Array.isArray(args.ids)) return args.ids.length;
  return typeof extensions.listSize === 'number' ? extensions.listSize : DEFAULT_PAGE_SIZE;
}

/**
 * Cost = the number of objects a query can return (GitHub's node count, Shopify's cost):
 * every object costs 1, scalars nothing; a connection multiplies what is under it by its
 * page size (`first`/`last`, default 20), and a list of objects by how many it can hold.
 */
const objectCountEstimator: ComplexityEstimator = ({ type: parent, field, args, childComplexity }) => {
  // Introspection (`__schema`, `__type`) reads the schema, not the database; its size is the schema's.
  if (field.name.startsWith('__')) return 0;
  const type = getNamedType(field.type);
  if (type.name.endsWith('Connection')) {
    const pageSize = Number(args.first ?? args.last ?? DEFAULT_PAGE_SIZE);
    return 1 + childComplexity * Math.max(1, pageSize);
  }
  if (!('getFields' in type)) return 0;
  // A connection's edges and nodes are counted by the connection's page size.
  if (isListType(getNullableType(field.type)) && !parent.name.endsWith('Connection')) {
    return listSize(field.name, field.extensions, args) * (1 + childComplexity);
  }
  return 1 + childComplexity;
};

/** Different variable values a document's cost is remembered for (beyond that it is recomputed). */
const MAX_COSTS_PER_DOCUMENT = 64;

/**
 * The variables a document's cost can depend on: those given to `first`/`last` (page
 * sizes), to `ids` (how many nodes) and to directives (`@include`/`@skip` decide what is
 * counted). Every other variable (filters, inputs) leaves the cost unchanged.
 */
function costVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  let inDirective = 0;
  visit(document, {
    Directive: { enter: () => void inDirective++, leave: () => void inDirective-- },
    Argument(node) {
      if (inDirective || ['first', 'last', 'ids'].includes(node.name.value)) {
        visit(node.value, {
          Variable(v) {
            names.add(v.name.value);
          },
        });
      }
    },
  });
  return [...names].sort();
}

interface DocumentCosts {
  variables: string[];
  costs: Map<string, number>;
}

/**
 * Computes the cost of every operation before any resolver runs, refuses it above the
 * limit, and reports it in `extensions.cost` of every response.
 *
 * The cost is a pure function of the document, the operation name and the variables
 * listed by `costVariables`, so it is computed once per distinct combination and then
 * read back (Yoga's parser cache hands out the same DocumentNode for the same query text,
 * and the WeakMap forgets it when that cache does).
 */
export function useQueryCost(schema: GraphQLSchema, maxCost: number): Plugin {
  const byDocument = new WeakMap<DocumentNode, DocumentCosts>();

  const costOf = (document: DocumentNode, variables: Record<string, unknown>, operationName?: string | null) => {
    let entry = byDocument.get(document);
    if (!entry) {
      entry = { variables: costVariables(document), costs: new Map() };
      byDocument.set(document, entry);
    }
    // An omitted variable (its default applies) and an explicit null are different keys; of a
    // list of ids only its length counts.
    const values = entry.variables.map((name) => {
      const value = variables[name];
      if (!(name in variables)) return '-';
      return Array.isArray(value) ? `[${value.length}]` : JSON.stringify(value);
    });
    const key = `${operationName ?? ''}\u0000${values.join('\u0000')}`;
    const known = entry.costs.get(key);
    if (known !== undefined) return known;
    const cost = getComplexity({
      schema,
      query: document,
      variables,
      operationName: operationName ?? undefined,
      estimators: [objectCountEstimator],
    });
    if (entry.costs.size < MAX_COSTS_PER_DOCUMENT) entry.costs.set(key, cost);
    return cost;
  };

  return {
    onExecute({ args, setResultAndStopExecution }) {
      let cost: number;
      try {
        cost = costOf(args.document, args.variableValues ?? {}, args.operationName);
      } catch {
        return; // unknown operation or bad variables: execution reports those itself
      }
      const extensions = { cost: { requestedQueryCost: cost, maximumAvailable: maxCost } };
      if (cost > maxCost) {
        const error = toGraphQLError(
          badUserInput(
            `This query could return ${cost} objects; the limit is ${maxCost}. Ask for smaller pages or fewer nested connections.`,
          ),
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
