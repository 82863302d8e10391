import { builder } from '../../graphql/builder.ts';
import { withUserErrors } from '../../core/user-errors.ts';
import { deletedIdField, payloadFields } from '../../graphql/payloads.ts';
import { rowId } from '../../graphql/input-ids.ts';
import { WEBHOOK_EVENT_TYPES } from './webhook.events.ts';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  MAX_SECRET_GRACE_SECONDS,
  rollWebhookEndpointSecret,
  updateWebhookEndpoint,
} from './webhook.service.ts';
import { WebhookEndpointRef } from './webhook.type.ts';

const ORGANIZATION_ADMINS = { organizationAdmin: true } as const;
const EVENTS_DESCRIPTION = `Event types to receive, among: ${WEBHOOK_EVENT_TYPES.join(', ')}.`;
const URL_DESCRIPTION =
  'https:// URL (http:// and private addresses only when the server runs with WEBHOOKS_ALLOW_HTTP=1); never link-local or metadata addresses.';

builder.relayMutationField(
  'createWebhookEndpoint',
  {
    inputFields: (t) => ({
      url: t.string({ required: true, description: URL_DESCRIPTION }),
      events: t.stringList({ required: true, description: EVENTS_DESCRIPTION }),
      description: t.string({ required: false, description: 'At most 500 characters.' }),
    }),
  },
  {
    description: 'Registers a URL for signed key events and returns its signing secret, once. Owners and admins only.',
    authScopes: ORGANIZATION_ADMINS,
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() => createWebhookEndpoint(ctx, input, ctx.webhooksAllowHttp ?? false)),
  },
  {
    outputFields: (t) => ({
      ...payloadFields(t, { webhookEndpoint: WebhookEndpointRef }),
      secret: t.string({
        nullable: true,
        description:
          'The HMAC-SHA256 key of the Crewgraph-Signature header. Shown only in this response: store it now.',
        resolve: (p) => p.secret,
      }),
    }),
  },
);

builder.relayMutationField(
  'updateWebhookEndpoint',
  {
    inputFields: (t) => ({
      id: t.globalID({ for: WebhookEndpointRef, required: true }),
      url: t.string({ required: false, description: URL_DESCRIPTION }),
      events: t.stringList({ required: false, description: EVENTS_DESCRIPTION }),
      description: t.string({ required: false, description: 'null clears it.' }),
      active: t.boolean({ required: false, description: 'false pauses deliveries (pending ones fail).' }),
    }),
  },
  {
    description: 'Changes an endpoint; omitted fields stay as they are. Owners and admins only.',
    authScopes: ORGANIZATION_ADMINS,
    resolve: (_root, { input: { id, ...rest } }, ctx) =>
      withUserErrors(() => updateWebhookEndpoint(ctx, rowId(id), rest, ctx.webhooksAllowHttp ?? false)),
  },
  { outputFields: (t) => payloadFields(t, { webhookEndpoint: WebhookEndpointRef }) },
);

builder.relayMutationField(
  'rollWebhookEndpointSecret',
  {
    inputFields: (t) => ({
      id: t.globalID({ for: WebhookEndpointRef, required: true }),
      gracePeriodSeconds: t.int({
        required: false,
        description: `How long deliveries stay signed with the old secret too (0–${MAX_SECRET_GRACE_SECONDS}); 0 (default) drops it at once.`,
      }),
    }),
  },
  {
    description:
      'Replaces the signing secret and returns the new one, once. During the grace period deliveries carry a v1 signature for each secret. Owners and admins only.',
    authScopes: ORGANIZATION_ADMINS,
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() => rollWebhookEndpointSecret(ctx, rowId(input.id), input.gracePeriodSeconds ?? 0)),
  },
  {
    outputFields: (t) => ({
      ...payloadFields(t, { webhookEndpoint: WebhookEndpointRef }),
      secret: t.string({
        nullable: true,
        description: 'The new HMAC-SHA256 key of the Crewgraph-Signature header. Shown only in this response.',
        resolve: (p) => p.secret,
      }),
    }),
  },
);

builder.relayMutationField(
  'deleteWebhookEndpoint',
  { inputFields: (t) => ({ id: t.globalID({ for: WebhookEndpointRef, required: true }) }) },
  {
    description: 'Deletes an endpoint and its delivery history. Owners and admins only.',
    authScopes: ORGANIZATION_ADMINS,
    resolve: (_root, { input }, ctx) => withUserErrors(() => deleteWebhookEndpoint(ctx, rowId(input.id))),
  },
  {
    outputFields: (t) => ({
      ...payloadFields(t),
      ...deletedIdField(t, 'WebhookEndpoint'),
    }),
  },
);
