import { builder, pageSize } from '../../graphql/builder.ts';
import { scope } from '../../auth/scope.ts';
import { WebhookEndpointConnection } from './webhook.type.ts';

builder.queryField('webhookEndpoints', (t) =>
  t.prismaConnection(
    {
      type: 'WebhookEndpoint',
      cursor: 'id',
      description: "The organisation's webhook endpoints, oldest first. Owners and admins only.",
      authScopes: { organizationAdmin: true },
      maxSize: pageSize,
      totalCount: (_parent, _args, ctx) =>
        ctx.prisma.webhookEndpoint.count({ where: scope.webhookEndpoint(ctx.principal) }),
      resolve: (query, _parent, _args, ctx) =>
        ctx.prisma.webhookEndpoint.findMany({
          ...query,
          where: scope.webhookEndpoint(ctx.principal),
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        }),
    },
    WebhookEndpointConnection,
  ),
);
