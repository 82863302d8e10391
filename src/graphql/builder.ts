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
import { badUserInput, forbidden } from '../core/errors.ts';
import { fromGlobalId, toGlobalId } from '../core/ids.ts';
import { DEFAULT_PAGE_SIZE, MAX_NODE_IDS, MAX_PAGE_SIZE } from '../core/pages.ts';

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
    /** An admin, or an API key with allowWrites. */
    canWrite: boolean;
    /** An OWNER or ADMIN, or an API key with allowWrites and canWritePeople: the people directory. */
    canWritePeople: boolean;
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
      canWrite: principal.kind === 'ADMIN' || principal.allowWrites,
      canWritePeople: isOrganizationAdmin(principal) || (principal.kind === 'API_KEY' && principal.canWritePeople),
      canReadQualifications: principal.kind === 'ADMIN' || principal.canReadQualificationData,
    }),
    unauthorizedError: (_parent, _context, info) =>
      forbidden(`You are not allowed to access \`${info.parentType.name}.${info.fieldName}\`.`),
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
    nodeQueryOptions: { authScopes: { authenticated: true } },
    nodesQueryOptions: {
      authScopes: { authenticated: true },
      args: { ids: { description: `At most ${MAX_NODE_IDS} ids.` } },
      resolve: (_root, { ids }, _ctx, _info, resolveNodes) => {
        if (ids.length > MAX_NODE_IDS)
          throw badUserInput(`\`ids\` takes at most ${MAX_NODE_IDS} ids, got ${ids.length}.`);
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
