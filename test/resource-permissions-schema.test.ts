import {
  getNamedType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/schema.ts';
import { RESOURCE_OF_TYPE } from '../src/graphql/resources.ts';

/** Types only admins reach (a key is FORBIDDEN before it gets there), and the viewer (a key always sees its own projects). */
const NOT_A_KEY_PATH = new Set([
  'ApiKey',
  'ApiKeyEvent',
  'Admin',
  'AdminToken',
  'AuditEvent',
  'WebhookEndpoint',
  'WebhookDelivery',
  'Viewer',
]);
/** Root fields that return no single resource: `node` checks the id's type, `viewer` is the caller itself. */
const ROOT_EXCEPTIONS = new Set(['node', 'nodes', 'viewer']);

/** The type a field leads to: a connection's node type, a list's item type. */
function reachedType(field: GraphQLField<unknown, unknown>): GraphQLNamedType {
  const type = getNamedType(field.type);
  if (isObjectType(type) && type.name.endsWith('Connection')) {
    const edges = type.getFields().edges;
    return getNamedType((getNamedType(edges!.type) as GraphQLObjectType).getFields().node!.type);
  }
  return type;
}

const readScope = (field: GraphQLField<unknown, unknown>) =>
  (field.extensions as { pothosOptions?: { authScopes?: { read?: string } } }).pothosOptions?.authScopes?.read;

describe('every way into a resource checks the key may read it', () => {
  const types = Object.values(schema.getTypeMap()).filter(
    (type): type is GraphQLObjectType =>
      isObjectType(type) && !type.name.startsWith('__') && !/(Connection|Edge)$/.test(type.name),
  );

  it('root fields returning a resource need READ on it', () => {
    const wrong: string[] = [];
    for (const root of [schema.getQueryType()!]) {
      for (const field of Object.values(root.getFields())) {
        const resource = RESOURCE_OF_TYPE[reachedType(field).name];
        if (resource && !ROOT_EXCEPTIONS.has(field.name) && readScope(field) !== resource)
          wrong.push(`${root.name}.${field.name} (needs read: ${resource})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('a field leading from one resource (or a payload) into another is nullable and needs READ on the other', () => {
    const wrong: string[] = [];
    for (const type of types) {
      if (type.name === 'Query' || type.name === 'Mutation' || NOT_A_KEY_PATH.has(type.name)) continue;
      const own = RESOURCE_OF_TYPE[type.name];
      for (const field of Object.values(type.getFields())) {
        const resource = RESOURCE_OF_TYPE[reachedType(field).name];
        if (!resource || resource === own) continue;
        // The contract fixes a few plain lists as non-null: they are empty without READ instead.
        if ((field.extensions as { emptyWithoutRead?: string }).emptyWithoutRead === resource) continue;
        if (isNonNullType(field.type) || readScope(field) !== resource)
          wrong.push(`${type.name}.${field.name} (needs nullable + read: ${resource})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the map names only types of the schema', () => {
    expect(Object.keys(RESOURCE_OF_TYPE).filter((name) => !schema.getType(name))).toEqual([]);
  });
});
