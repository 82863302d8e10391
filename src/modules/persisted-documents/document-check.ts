import { Kind, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { DocumentCheck } from './persisted-document.service.ts';

/**
 * A registered document must parse, hold at least one operation and validate against the
 * schema the server runs (the mutation's) or ships (schema.graphql, for the command line).
 * The operation's name is kept when the document holds one operation (the manifest's case).
 */
export function documentCheck(schema: GraphQLSchema): DocumentCheck {
  return (body) => {
    let document: DocumentNode;
    try {
      document = parse(body);
    } catch (error) {
      return { error: `body does not parse: ${(error as Error).message}` };
    }
    const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    if (!operations.length) return { error: 'body holds no operation (only fragments).' };
    const [first] = validate(schema, document);
    if (first) return { error: `body does not validate against the schema: ${first.message}` };
    return { operationName: operations.length === 1 ? (operations[0].name?.value ?? null) : null };
  };
}
