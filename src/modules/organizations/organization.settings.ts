import type { Organization } from '../../generated/prisma/client.ts';
import { DEFAULTS } from '../../config.ts';
import { withUserErrors } from '../../core/user-errors.ts';
import { builder } from '../../graphql/builder.ts';
import type { GraphQLContext } from '../../graphql/context.ts';
import { UserErrorRef } from '../../graphql/user-errors.ts';
import {
  SETTING_RANGES,
  settingsOf,
  updateOrganizationSettings,
  type RequestBudget,
} from './organization-settings.service.ts';

const range = (field: keyof typeof SETTING_RANGES) => `${SETTING_RANGES[field][0]}–${SETTING_RANGES[field][1]}`;

/** The server's budget of a key (RATE_LIMIT_KEY_REQUESTS per RATE_LIMIT_WINDOW_SECONDS), as this server runs. */
const serverKeyBudget = (ctx: GraphQLContext): RequestBudget =>
  ctx.keyRateLimit ?? {
    requests: DEFAULTS.rateLimits.keyRequests,
    perSeconds: DEFAULTS.rateLimits.windowSeconds,
  };

const RequestBudgetRef = builder.objectRef<RequestBudget>('RequestBudget').implement({
  description: 'A request budget: at most `requests` requests per `perSeconds` seconds, per key.',
  fields: (t) => ({
    requests: t.exposeInt('requests', { description: 'Requests allowed per window.' }),
    perSeconds: t.exposeInt('perSeconds', { description: 'The window, in seconds.' }),
  }),
});

const OrganizationSettingsRef = builder.objectRef<Organization>('OrganizationSettings').implement({
  description:
    "The organisation's key policies and defaults. Owners change them (updateOrganizationSettings); every admin reads them.",
  fields: (t) => ({
    maxKeyLifetimeDays: t.int({
      nullable: true,
      description:
        'The longest a key may live, in days from its creation or update: an expiresAt beyond it is refused (POLICY). Keys created before the limit stay as they are and are reported by ApiKey.policyViolations. null: no limit.',
      resolve: (o) => o.maxKeyLifetimeDays,
    }),
    requireKeyExpiry: t.boolean({
      description: 'Whether every new or updated key must have an expiresAt (otherwise POLICY).',
      resolve: (o) => o.requireKeyExpiry,
    }),
    revokeIdleKeysAfterDays: t.int({
      nullable: true,
      description:
        'Keys not used for this many days (counted from their creation when never used) are revoked by the server, with the reason IDLE (audit log and an api_key.revoked webhook). null: never.',
      resolve: (o) => o.revokeIdleKeysAfterDays,
    }),
    defaultRateLimit: t.field({
      type: RequestBudgetRef,
      nullable: true,
      description:
        "The request budget of every key without its own (rateLimit on the key). null: the server's (serverRateLimit).",
      resolve: (o) => settingsOf(o).defaultRateLimit,
    }),
    serverRateLimit: t.field({
      type: RequestBudgetRef,
      description:
        "The server's request budget of a key (set by the operator), which applies when defaultRateLimit is null and the key has none of its own.",
      resolve: (_o, _args, ctx) => serverKeyBudget(ctx),
    }),
    maxAdminTokenLifetimeDays: t.int({
      nullable: true,
      description: 'The longest an admin token may live, in days. null: no limit (tokens without expiry allowed).',
      resolve: (o) => o.maxAdminTokenLifetimeDays,
    }),
  }),
});

builder.prismaObjectField('Organization', 'settings', (t) =>
  t.field({
    type: OrganizationSettingsRef,
    nullable: true,
    description: "The organisation's key policies and defaults. Admins of any role; a key gets null and FORBIDDEN.",
    authScopes: { admin: true },
    resolve: (organization) => organization,
  }),
);

const RequestBudgetInput = builder.inputType('RequestBudgetInput', {
  description: 'A request budget: at most `requests` requests per `perSeconds` seconds.',
  fields: (t) => ({
    requests: t.int({ required: true, description: `Requests allowed per window (${range('requests')}).` }),
    perSeconds: t.int({ required: true, description: `The window, in seconds (${range('perSeconds')}).` }),
  }),
});

builder.relayMutationField(
  'updateOrganizationSettings',
  {
    description: 'The settings to change; omitted fields stay as they are, null clears.',
    inputFields: (t) => ({
      maxKeyLifetimeDays: t.int({
        required: false,
        description: `Days (${range('maxKeyLifetimeDays')}); null: no limit. Existing keys are not changed.`,
      }),
      requireKeyExpiry: t.boolean({ required: false, description: 'Whether keys must have an expiresAt.' }),
      revokeIdleKeysAfterDays: t.int({
        required: false,
        description: `Days (${range('revokeIdleKeysAfterDays')}); null: idle keys are never revoked.`,
      }),
      defaultRateLimit: t.field({
        type: RequestBudgetInput,
        required: false,
        description: "The budget of keys without their own; null: the server's.",
      }),
      maxAdminTokenLifetimeDays: t.int({
        required: false,
        description: `Days (${range('maxAdminTokenLifetimeDays')}); null: no limit.`,
      }),
    }),
  },
  {
    description:
      "Changes the organisation's key policies and defaults, recorded in the audit log (organization.settings_updated). Owners only.",
    authScopes: { owner: true },
    resolve: (_root, { input }, ctx) => withUserErrors(() => updateOrganizationSettings(ctx, input)),
  },
  {
    outputFields: (t) => ({
      organization: t.prismaField({
        type: 'Organization',
        nullable: true,
        description: 'The organisation with its new settings; null when userErrors is not empty.',
        // The whole row is loaded: Organization has no relations to select.
        resolve: (_query, payload) => payload.organization ?? null,
      }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (payload) => payload.userErrors }),
    }),
  },
);
