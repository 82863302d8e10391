import SchemaBuilder, { type ArgBuilder } from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import {
  DateResolver,
  DateTimeResolver,
  EmailAddressResolver,
  JSONResolver,
  NonNegativeIntResolver,
} from 'graphql-scalars';
import PrismaTypes, { getDatamodel } from '../generated/pothos-types.ts';
import { isOrganizationAdmin } from '../auth/scope.ts';
import type { GraphQLContext } from './context.ts';
import type { Principal } from '../core/principal.ts';
import { badUserInput, forbidden } from '../core/errors.ts';
import { fromGlobalId, toGlobalId } from '../core/ids.ts';
import { canRead, canWriteTo, type Resource } from '../core/permissions.ts';
import { RESOURCE_OF_TYPE } from './resources.ts';
import { lacking, refusalMessage } from './refusals.ts';
import { DEFAULT_PAGE_SIZE, MAX_NODE_IDS, MAX_PAGE_SIZE } from '../core/pages.ts';

/** `node`/`nodes` with the id of a type whose resource the key may not read: FORBIDDEN (the type is in the id the client sent). */
function mayReadType(principal: Principal, typename: string) {
  const resource = RESOURCE_OF_TYPE[typename];
  if (resource && principal.kind === 'API_KEY' && !canRead(principal, resource))
    throw forbidden(lacking(`Reading a ${typename}`, principal, resource));
}

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  AuthScopes: {
    /** Any authenticated principal; root fields readable by keys and admins. */
    authenticated: boolean;
    /** An administrator of the organisation (portal front end), of any role; project admins are limited by scope.ts. */
    admin: boolean;
    /** An OWNER or ADMIN: organisation-wide settings (projects, people, templates); not a project admin. */
    organizationAdmin: boolean;
    /** An OWNER: manages the organisation's admins. */
    owner: boolean;
    /** An API key (integration). */
    apiKey: boolean;
    /** Reads a resource: every admin; an API key whose permissions give it READ or WRITE (core/permissions.ts). */
    read: Resource;
    /** Writes a resource: an admin whose role writes it; an API key whose permissions and flags give it WRITE. */
    write: Resource;
    /** An admin, or an API key with canReadQualificationData. */
    canReadQualifications: boolean;
  };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Date: { Input: Date; Output: Date };
    EmailAddress: { Input: string; Output: string };
    NonNegativeInt: { Input: number; Output: number };
    JSON: { Input: unknown; Output: unknown };
    ID: { Input: string; Output: string };
  };
}>({
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: ({ principal }) => ({
      authenticated: true,
      admin: principal.kind === 'ADMIN',
      organizationAdmin: isOrganizationAdmin(principal),
      owner: principal.kind === 'ADMIN' && principal.role === 'OWNER',
      apiKey: principal.kind === 'API_KEY',
      read: (resource) => canRead(principal, resource),
      write: (resource) => canWriteTo(principal, resource),
      canReadQualifications: principal.kind === 'ADMIN' || principal.canReadQualificationData,
    }),
    unauthorizedError: (_parent, { principal }, info, { failure }) =>
      forbidden(refusalMessage(principal, failure, `\`${info.parentType.name}.${info.fieldName}\``)),
  },
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'warn',
    defaultConnectionSize: DEFAULT_PAGE_SIZE,
    maxConnectionSize: MAX_PAGE_SIZE,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
    nodeQueryOptions: {
      authScopes: { authenticated: true },
      resolve: (_root, { id }, ctx, _info, resolveNode) => {
        mayReadType(ctx.principal, id.typename);
        return resolveNode(id);
      },
    },
    nodesQueryOptions: {
      authScopes: { authenticated: true },
      args: { ids: { description: `At most ${MAX_NODE_IDS} ids.` } },
      resolve: (_root, { ids }, ctx, _info, resolveNodes) => {
        if (ids.length > MAX_NODE_IDS)
          throw badUserInput(`\`ids\` takes at most ${MAX_NODE_IDS} ids, got ${ids.length}.`);
        for (const id of ids) mayReadType(ctx.principal, id.typename);
        return resolveNodes(ids);
      },
    },
    decodeGlobalID: fromGlobalId,
    encodeGlobalID: (typename, id) => toGlobalId(typename, String(id)),
  },
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('Date', DateResolver);
builder.addScalarType('EmailAddress', EmailAddressResolver);
builder.addScalarType('NonNegativeInt', NonNegativeIntResolver);
builder.addScalarType('JSON', JSONResolver);

builder.queryType({});
builder.mutationType({});

export type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
/** The `t.arg` of a field, for argument sets shared by a root field and relation fields. */
export type Arg = ArgBuilder<BuilderTypes>;
