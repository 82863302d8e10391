import { builder, pageSize } from '../../graphql/builder.ts';
import { WebhookEndpointConnection, webhookEndpointScope } from './webhook.type.ts';

builder.queryField('webhookEndpoints', (t) =>
  t.prismaConnection(
    {
      type: 'WebhookEndpoint',
      cursor: 'id',
      description: "The organisation's webhook endpoints, oldest first. Owners and admins only.",
      authScopes: { organizationAdmin: true },
      maxSize: pageSize,
      totalCount: (_parent, _args, ctx) =>
        ctx.prisma.webhookEndpoint.count({ where: webhookEndpointScope(ctx.principal) }),
      resolve: (query, _parent, _args, ctx) =>
        ctx.prisma.webhookEndpoint.findMany({
          ...query,
          where: webhookEndpointScope(ctx.principal),
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        }),
    },
    WebhookEndpointConnection,
  ),
);
