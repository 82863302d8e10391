import { scope } from '../../auth/scope.ts';
import { builder, pageSize } from '../../graphql/builder.ts';
import { ApiKeyConnection } from './api-key.type.ts';

builder.queryField('apiKeys', (t) =>
  t.prismaConnection(
    {
      type: 'ApiKey',
      cursor: 'id',
      description:
        "The organisation's API keys (deleted ones excluded), by name. Admins only (a project admin: keys whose projects are all theirs).",
      authScopes: { admin: true },
      maxSize: pageSize,
      totalCount: (_parent, _args, ctx) => ctx.prisma.apiKey.count({ where: scope.apiKey(ctx.principal) }),
      resolve: (query, _parent, _args, ctx) =>
        ctx.prisma.apiKey.findMany({
          ...query,
          where: scope.apiKey(ctx.principal),
          orderBy: [{ name: 'asc' }, { id: 'asc' }],
        }),
    },
    ApiKeyConnection,
  ),
);
