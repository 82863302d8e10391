import { scope } from '../../auth/scope.ts';
import { builder } from '../../graphql/builder.ts';
import { scopedConnection } from '../../graphql/connections.ts';
import { WebhookEndpointConnection } from './webhook.type.ts';

builder.queryField('webhookEndpoints', (t) =>
  scopedConnection(
    t,
    {
      type: 'WebhookEndpoint',
      description: "The organisation's webhook endpoints, oldest first. Owners and admins only.",
      authScopes: { organizationAdmin: true },
      updatedSince: true,
      where: scope.webhookEndpoint,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    },
    WebhookEndpointConnection,
  ),
);
