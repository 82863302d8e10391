import { builder } from '../../graphql/builder.ts';
import { scopedConnection } from '../../graphql/connections.ts';
import type { GraphQLContext } from '../../graphql/context.ts';
import { ApiKeyConnection } from './api-key.type.ts';
import { CREATED_AND_UPDATED_AT, sortableBy } from '../../graphql/ordering.ts';
import { apiKeyFilterArgs, apiKeyWhere, type ApiKeyFilter, type ApiKeyFilterContext } from './api-key.filters.ts';
import { KEY_POLICY_SELECT } from './api-key.policy.ts';

const apiKeySorts = sortableBy(
  'ApiKey',
  'API keys',
  {
    NAME: { description: 'Name.', columns: ['name'] },
    ...CREATED_AND_UPDATED_AT,
    EXPIRES_AT: { description: 'Expiry; keys that never expire come last.', columns: ['expiresAt'], nullable: true },
    LAST_USED_AT: { description: 'Last use; keys never used come last.', columns: ['lastUsedAt'], nullable: true },
  },
  [{ name: 'asc' }, { id: 'asc' }],
);

type Resolve = (parent: unknown, args: object, ctx: GraphQLContext, info: unknown) => unknown;
interface FieldBuilder {
  arg: unknown;
  connection(options: never, connection: never): unknown;
}

/**
 * The status filter compares with the request's clock (`ctx.now()`, as `ApiKey.status` does)
 * and violatingPolicy with the organisation's key policies, which a list's `where` does not
 * receive: the resolver hands them over as the `filterContext` argument.
 */
function withClock<T extends FieldBuilder>(t: T): T {
  return {
    arg: t.arg,
    connection: (options: { resolve: Resolve }, connection: never) =>
      t.connection(
        {
          ...options,
          resolve: async (parent: unknown, args: ApiKeyFilter, ctx: GraphQLContext, info: unknown) => {
            const filterContext: ApiKeyFilterContext = {
              now: ctx.now(),
              policy:
                args.violatingPolicy == null
                  ? undefined
                  : await ctx.prisma.organization.findUniqueOrThrow({
                      where: { id: ctx.principal.organizationId },
                      select: KEY_POLICY_SELECT,
                    }),
            };
            return options.resolve(parent, { ...args, filterContext }, ctx, info);
          },
        } as never,
        connection,
      ),
  } as unknown as T;
}

builder.queryField('apiKeys', (t) =>
  scopedConnection(
    withClock(t),
    {
      type: 'ApiKey',
      description:
        "The organisation's API keys (deleted ones only with includeDeleted or status DELETED), by name unless `orderBy` says otherwise. Filters combine with AND. Admins only (a project admin: keys whose projects are all theirs).",
      authScopes: { admin: true },
      updatedSince: true,
      args: apiKeyFilterArgs(t.arg),
      where: (principal, args) =>
        apiKeyWhere(principal, args, (args as { filterContext: ApiKeyFilterContext }).filterContext),
      sortable: apiKeySorts,
    },
    ApiKeyConnection,
  ),
);
