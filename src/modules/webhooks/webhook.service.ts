import { randomBytes } from 'node:crypto';
import type { RequestScope } from '../../core/request-scope.ts';
import { notFound } from '../../core/errors.ts';
import { InputCheck, userError, UserErrors } from '../../core/user-errors.ts';
import { isWebhookEventType, WEBHOOK_EVENT_TYPES } from './webhook.events.ts';
import { checkWebhookUrl, MAX_URL_LENGTH } from './webhook-url.ts';
import { scope as rowScope } from '../../auth/scope.ts';
import type { Prisma, WebhookEndpoint } from '../../generated/prisma/client.ts';
import { changedFields, recordAudit } from '../audit/audit.record.ts';

const MAX_DESCRIPTION_LENGTH = 500;
/** The longest a rolled secret keeps signing deliveries beside the new one: 7 days. */
export const MAX_SECRET_GRACE_SECONDS = 7 * 24 * 60 * 60;

export interface WebhookEndpointInput {
  url?: string | null;
  events?: string[] | null;
  description?: string | null;
  active?: boolean | null;
}

/** `whsec_` + 32 random bytes in hex: the HMAC key receivers verify signatures with. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('hex')}`;

function validate(input: WebhookEndpointInput, allowHttp: boolean) {
  const check = new InputCheck();
  const url = check.text(['input', 'url'], input.url, { max: MAX_URL_LENGTH });
  if (url && url.length <= MAX_URL_LENGTH) {
    const { problem } = checkWebhookUrl(url, allowHttp);
    if (problem) check.add(['input', 'url'], 'INVALID', problem);
  }
  let events: string[] | undefined;
  if (input.events) {
    events = [...new Set(input.events.map((e) => e.trim()))];
    if (!events.length) check.add(['input', 'events'], 'BLANK', 'Choose at least one event.');
    const unknown = events.filter((e) => !isWebhookEventType(e));
    if (unknown.length) {
      check.add(
        ['input', 'events'],
        'INVALID',
        `Unknown event type(s): ${unknown.join(', ')}. Known: ${WEBHOOK_EVENT_TYPES.join(', ')}.`,
      );
    }
  }
  const description = check.text(['input', 'description'], input.description, {
    max: MAX_DESCRIPTION_LENGTH,
    required: false,
  });
  check.throwIfAny();
  return { url, events, description: description === undefined ? undefined : description || null };
}

async function findEndpoint(ctx: RequestScope, id: string) {
  const endpoint = await ctx.prisma.webhookEndpoint.findFirst({
    where: { id, AND: [rowScope.webhookEndpoint(ctx.principal)] },
  });
  if (!endpoint) throw notFound('Webhook endpoint');
  return endpoint;
}

/** The endpoint a change acts on, locked for its transaction and read under the principal's scope. */
async function lockEndpoint(tx: Prisma.TransactionClient, ctx: RequestScope, id: string) {
  await tx.$queryRaw`SELECT id FROM "WebhookEndpoint"
    WHERE id = ${id}::uuid AND "organizationId" = ${ctx.principal.organizationId}::uuid FOR UPDATE`;
  const endpoint = await tx.webhookEndpoint.findFirst({
    where: { id, AND: [rowScope.webhookEndpoint(ctx.principal)] },
  });
  if (!endpoint) throw notFound('Webhook endpoint');
  return endpoint;
}

/** What the audit log shows of an endpoint: never its secrets. */
const auditView = (endpoint: WebhookEndpoint) => ({
  url: endpoint.url,
  events: endpoint.events,
  description: endpoint.description,
  active: endpoint.active,
});

const auditEndpoint = (
  tx: Prisma.TransactionClient,
  ctx: RequestScope,
  verb: string,
  id: string,
  changes: Record<string, unknown>,
) => recordAudit(tx, ctx, { action: `webhook_endpoint.${verb}`, targetType: 'WebhookEndpoint', targetId: id, changes });

export async function createWebhookEndpoint(
  ctx: RequestScope,
  input: WebhookEndpointInput & { url: string; events: string[] },
  allowHttp: boolean,
) {
  const { url, events, description } = validate(input, allowHttp);
  const secret = newWebhookSecret();
  return ctx.prisma.$transaction(async (tx) => {
    const webhookEndpoint = await tx.webhookEndpoint.create({
      data: {
        organizationId: ctx.principal.organizationId,
        url: url!,
        events: events!,
        description: description ?? null,
        secret,
        active: input.active ?? true,
        createdById: ctx.principal.kind === 'ADMIN' ? ctx.principal.userId : null,
      },
    });
    await auditEndpoint(tx, ctx, 'created', webhookEndpoint.id, changedFields(null, auditView(webhookEndpoint)));
    return { webhookEndpoint, secret };
  });
}

export async function updateWebhookEndpoint(
  ctx: RequestScope,
  id: string,
  input: WebhookEndpointInput,
  allowHttp: boolean,
) {
  const { url, events, description } = validate(input, allowHttp);
  return ctx.prisma.$transaction(async (tx) => {
    const before = await lockEndpoint(tx, ctx, id);
    const webhookEndpoint = await tx.webhookEndpoint.update({
      where: { id },
      data: { url: url ?? undefined, events, description, active: input.active ?? undefined },
    });
    const changes = changedFields(auditView(before), auditView(webhookEndpoint));
    if (Object.keys(changes).length) await auditEndpoint(tx, ctx, 'updated', id, changes);
    return { webhookEndpoint };
  });
}

/** Deletes the endpoint and its deliveries (the events stay in the outbox). */
export async function deleteWebhookEndpoint(ctx: RequestScope, id: string) {
  return ctx.prisma.$transaction(async (tx) => {
    const before = await lockEndpoint(tx, ctx, id);
    await tx.webhookEndpoint.delete({ where: { id } });
    await auditEndpoint(tx, ctx, 'deleted', id, changedFields(auditView(before), null));
    return { deletedWebhookEndpointId: id };
  });
}

/**
 * A new signing secret, returned once. During `gracePeriodSeconds` deliveries are signed with
 * both (the old one stored as `previousSecret`, like `secret`), so receivers can switch without
 * missing one; 0 drops the old secret at once. A roll during a grace replaces the previous secret.
 */
export async function rollWebhookEndpointSecret(ctx: RequestScope, id: string, gracePeriodSeconds: number) {
  if (
    !Number.isInteger(gracePeriodSeconds) ||
    gracePeriodSeconds < 0 ||
    gracePeriodSeconds > MAX_SECRET_GRACE_SECONDS
  ) {
    throw new UserErrors([
      userError(
        ['input', 'gracePeriodSeconds'],
        'OUT_OF_RANGE',
        `gracePeriodSeconds must be between 0 and ${MAX_SECRET_GRACE_SECONDS} (7 days).`,
      ),
    ]);
  }
  await findEndpoint(ctx, id);
  return ctx.prisma.$transaction(async (tx) => {
    // Two rolls at once: the second keeps the first's new secret as the previous one.
    const [current] = await tx.$queryRaw<{ secret: string }[]>`
      SELECT secret FROM "WebhookEndpoint" WHERE id = ${id}::uuid FOR UPDATE`;
    if (!current) throw notFound('Webhook endpoint');
    const graceEndsAt = gracePeriodSeconds > 0 ? new Date(ctx.now().getTime() + gracePeriodSeconds * 1000) : null;
    const secret = newWebhookSecret();
    const webhookEndpoint = await tx.webhookEndpoint.update({
      where: { id },
      data: { secret, previousSecret: graceEndsAt && current.secret, previousSecretExpiresAt: graceEndsAt },
    });
    await auditEndpoint(tx, ctx, 'secret_rolled', id, {
      gracePeriodSeconds,
      previousSecretExpiresAt: (graceEndsAt ?? ctx.now()).toISOString(),
    });
    return { webhookEndpoint, secret };
  });
}
