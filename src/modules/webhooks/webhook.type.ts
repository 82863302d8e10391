import { WebhookDeliveryStatus } from '../../generated/prisma/enums.ts';
import { scope } from '../../auth/scope.ts';
import { builder } from '../../graphql/builder.ts';
import { connectionFor } from '../../graphql/connections.ts';
import { WEBHOOK_EVENT_TYPES } from './webhook.events.ts';
import { relatedConnection } from '../../graphql/related-connection.ts';

const WebhookDeliveryStatusEnum = builder.enumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'Where one delivery of a webhook event stands.',
  values: {
    PENDING: { description: 'Not yet received by the endpoint; retried with backoff.' },
    SUCCEEDED: { description: 'The endpoint answered with a 2xx status.' },
    FAILED: { description: 'Given up: no 2xx answer within 24 hours.' },
  },
});

const WebhookDeliveryRef = builder.prismaNode('WebhookDelivery', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [{ endpoint: scope.webhookEndpoint(ctx.principal) }] }),
  description: 'One event sent to one endpoint, retried with backoff until a 2xx answer or 24 hours.',
  fields: (t) => ({
    eventId: t.exposeString('eventId', { description: 'The `id` in the delivered body.' }),
    eventType: t.string({
      description: `The event: ${WEBHOOK_EVENT_TYPES.join(', ')}.`,
      select: { event: { select: { type: true } } },
      resolve: (delivery) => delivery.event.type,
    }),
    status: t.expose('status', { type: WebhookDeliveryStatusEnum }),
    attempts: t.exposeInt('attempts', { description: 'Attempts so far.' }),
    responseCode: t.exposeInt('lastResponseCode', {
      nullable: true,
      description: 'HTTP status of the last attempt (null when none arrived).',
    }),
    lastError: t.exposeString('lastError', {
      nullable: true,
      description:
        'Why the last attempt failed, in general terms: "destination not allowed", "DNS lookup failed", "connection refused", "timed out", "TLS error", "HTTP <status>"… (the detail is in the server log).',
    }),
    nextAttemptAt: t.expose('nextAttemptAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the next attempt is due (null once SUCCEEDED or FAILED).',
    }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const WebhookDeliveryConnection = connectionFor(WebhookDeliveryRef, 'WebhookDelivery');

export const WebhookEndpointRef = builder.prismaNode('WebhookEndpoint', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [scope.webhookEndpoint(ctx.principal)] }),
  description:
    'A URL that receives signed key events. Owners and admins only. The signing secret is shown once, at creation.',
  fields: (t) => ({
    url: t.exposeString('url'),
    events: t.exposeStringList('events', { description: 'The event types it receives.' }),
    active: t.exposeBoolean('active', { description: 'Inactive endpoints receive nothing.' }),
    description: t.exposeString('description', { nullable: true }),
    previousSecretExpiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'After rollWebhookEndpointSecret with a grace period: until when deliveries are also signed with the previous secret; null when they are not.',
      select: { previousSecretExpiresAt: true },
      resolve: (endpoint, _args, ctx) =>
        endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > ctx.now()
          ? endpoint.previousSecretExpiresAt
          : null,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deliveries: relatedConnection(
      t,
      'deliveries',
      {
        description: 'Deliveries to this endpoint, newest first.',
        args: { status: t.arg({ type: WebhookDeliveryStatusEnum, required: false }) },
        query: (args) => ({
          where: args.status ? { status: args.status } : {},
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        }),
      },
      WebhookDeliveryConnection,
    ),
  }),
});

export const WebhookEndpointConnection = connectionFor(WebhookEndpointRef, 'WebhookEndpoint');
