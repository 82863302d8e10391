import { scope } from '../../auth/scope.ts';
import { builder } from '../../graphql/builder.ts';
import { scopedConnection } from '../../graphql/connections.ts';
import { WebhookEndpointConnection } from './webhook.type.ts';
import { CREATED_AND_UPDATED_AT, sortableBy } from '../../graphql/ordering.ts';

const webhookEndpointSorts = sortableBy(
  'WebhookEndpoint',
  'webhook endpoints',
  {
    ...CREATED_AND_UPDATED_AT,
  },
  [{ createdAt: 'asc' }, { id: 'asc' }],
);

builder.queryField('webhookEndpoints', (t) =>
  scopedConnection(
    t,
    {
      type: 'WebhookEndpoint',
      description: "The organisation's webhook endpoints, oldest first. Owners and admins only.",
      authScopes: { organizationAdmin: true },
      updatedSince: true,
      where: scope.webhookEndpoint,
      sortable: webhookEndpointSorts,
    },
    WebhookEndpointConnection,
  ),
);
