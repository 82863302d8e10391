import { builder } from '../../graphql/builder.ts';
import { withUserErrors } from '../../core/user-errors.ts';
import { deletedIdField, payloadFields } from '../../graphql/payloads.ts';
import { rowId, rowIds } from '../../graphql/input-ids.ts';
import { ProjectRef } from '../projects/project.type.ts';
import { ApiKeyRef } from './api-key.type.ts';
import { ApiKeyPermissionInput } from './api-key-permissions.type.ts';
import {
  ACCESS_TOKEN_TTL_RANGE,
  MAX_DESCRIPTION_LENGTH,
  MAX_GRACE_PERIOD_SECONDS,
  RATE_LIMIT_PER_SECONDS_RANGE,
  RATE_LIMIT_REQUESTS_RANGE,
  createApiKey,
  cycleApiKey,
  deleteApiKey,
  setApiKeyActive,
  updateApiKey,
} from './api-key.service.ts';

const ADMIN_ONLY = { admin: true } as const;
const ALLOWED_IPS_DESCRIPTION =
  'CIDR ranges or single addresses, IPv4 and IPv6 (at most 100); requests from elsewhere get IP_NOT_ALLOWED. Empty or omitted: any address.';
const PEOPLE_FLAG_DESCRIPTION =
  "Creates and updates the organisation's people (the whole directory, not only the key's projects). Only with allowWrites; only owners and admins may grant it. Defaults to false.";
const TOKEN_DESCRIPTION = 'The token. Shown only in this response: store it now, only its hash is kept.';
const DESCRIPTION_DESCRIPTION = `Free text, the contact or purpose (at most ${MAX_DESCRIPTION_LENGTH} characters); trimmed, blank means none.`;
const EXPIRY_POLICY =
  "must obey the organisation's key policies (maxKeyLifetimeDays, requireKeyExpiry): POLICY otherwise.";
const PERMISSIONS_DESCRIPTION =
  'Finer permissions: the access the key gets per resource; a resource left out is NONE. WRITE only on CONTRACTORS, WORKERS, GOALS, PEOPLE; capped by the flags (allowWrites: false caps every resource at READ, PEOPLE WRITE needs canWritePeople).';
const PERSISTED_ONLY_DESCRIPTION =
  'Runs only trusted documents registered for the organisation (registerPersistedDocuments), sent by documentId; a query text is refused (PERSISTED_DOCUMENT_REQUIRED).';
const TTL_DESCRIPTION = `Lifetime of the access tokens issued for this key, ${ACCESS_TOKEN_TTL_RANGE[0]}–${ACCESS_TOKEN_TTL_RANGE[1]} seconds; null: the server's.`;

const ApiKeyRateLimitInput = builder.inputType('ApiKeyRateLimitInput', {
  description: "A key's own request budget: at most `requests` requests per `perSeconds` seconds.",
  fields: (t) => ({
    requests: t.int({
      required: true,
      description: `Requests per window, ${RATE_LIMIT_REQUESTS_RANGE[0]}–${RATE_LIMIT_REQUESTS_RANGE[1]}.`,
    }),
    perSeconds: t.int({
      required: true,
      description: `The window in seconds, ${RATE_LIMIT_PER_SECONDS_RANGE[0]}–${RATE_LIMIT_PER_SECONDS_RANGE[1]}.`,
    }),
  }),
});

builder.relayMutationField(
  'createApiKey',
  {
    inputFields: (t) => ({
      name: t.string({ required: true, description: 'Unique within the organisation, at most 100 characters.' }),
      projectIds: t.globalIDList({ for: ProjectRef, required: true, description: 'At least one project.' }),
      allowWrites: t.boolean({ required: false, description: 'Defaults to false (read-only).' }),
      canReadQualificationData: t.boolean({ required: false, description: 'Defaults to false.' }),
      canWritePeople: t.boolean({ required: false, description: PEOPLE_FLAG_DESCRIPTION }),
      expiresAt: t.field({
        type: 'DateTime',
        required: false,
        description: `Any future instant; none by default. It ${EXPIRY_POLICY}`,
      }),
      allowedIps: t.stringList({ required: false, description: ALLOWED_IPS_DESCRIPTION }),
      description: t.string({ required: false, description: DESCRIPTION_DESCRIPTION }),
      rateLimit: t.field({
        type: ApiKeyRateLimitInput,
        required: false,
        description: "The key's own request budget; omitted: the organisation's default.",
      }),
      accessTokenTtlSeconds: t.int({ required: false, description: TTL_DESCRIPTION }),
      permissions: t.field({
        type: [ApiKeyPermissionInput],
        required: false,
        description: `${PERMISSIONS_DESCRIPTION} Omitted or null: no list, the flags alone decide.`,
      }),
      persistedDocumentsOnly: t.boolean({
        required: false,
        description: `${PERSISTED_ONLY_DESCRIPTION} Defaults to false.`,
      }),
    }),
  },
  {
    description:
      'Creates an API key and returns its token, once. Admins only (a project admin: keys whose projects are all theirs).',
    authScopes: ADMIN_ONLY,
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() => createApiKey(ctx, { ...input, projectIds: rowIds(input.projectIds) })),
  },
  {
    outputFields: (t) => ({
      ...payloadFields(t, { apiKey: ApiKeyRef }),
      token: t.string({ nullable: true, description: TOKEN_DESCRIPTION, resolve: (p) => p.token }),
    }),
  },
);

builder.relayMutationField(
  'updateApiKey',
  {
    inputFields: (t) => ({
      id: t.globalID({ for: ApiKeyRef, required: true }),
      name: t.string({ required: false }),
      projectIds: t.globalIDList({
        for: ProjectRef,
        required: false,
        description: 'Replaces the projects; not empty.',
      }),
      allowWrites: t.boolean({ required: false }),
      canReadQualificationData: t.boolean({ required: false }),
      canWritePeople: t.boolean({ required: false, description: PEOPLE_FLAG_DESCRIPTION }),
      expiresAt: t.field({
        type: 'DateTime',
        required: false,
        description: `null removes the expiry. A new value (or null) ${EXPIRY_POLICY}`,
      }),
      active: t.boolean({ required: false, description: 'false deactivates the key, true reactivates it.' }),
      allowedIps: t.stringList({
        required: false,
        description: `${ALLOWED_IPS_DESCRIPTION} Replaces the list; [] allows any address again.`,
      }),
      description: t.string({ required: false, description: `${DESCRIPTION_DESCRIPTION} null clears it.` }),
      rateLimit: t.field({
        type: ApiKeyRateLimitInput,
        required: false,
        description: "The key's own request budget; null returns the key to the organisation's default.",
      }),
      accessTokenTtlSeconds: t.int({ required: false, description: `${TTL_DESCRIPTION} null clears it.` }),
      permissions: t.field({
        type: [ApiKeyPermissionInput],
        required: false,
        description: `${PERMISSIONS_DESCRIPTION} Replaces the list; null removes it (the flags alone decide); omitted: unchanged.`,
      }),
      persistedDocumentsOnly: t.boolean({ required: false, description: PERSISTED_ONLY_DESCRIPTION }),
    }),
  },
  {
    description:
      'Changes a key. Omitted fields stay as they are. Admins only (a project admin: keys whose projects are all theirs).',
    authScopes: ADMIN_ONLY,
    resolve: (_root, { input: { id, projectIds, ...rest } }, ctx) =>
      withUserErrors(() => updateApiKey(ctx, rowId(id), { ...rest, projectIds: rowIds(projectIds) })),
  },
  { outputFields: (t) => payloadFields(t, { apiKey: ApiKeyRef }) },
);

builder.relayMutationField(
  'cycleApiKey',
  {
    inputFields: (t) => ({
      id: t.globalID({ for: ApiKeyRef, required: true }),
      gracePeriodSeconds: t.int({
        required: false,
        description: `How long the old token keeps working (0–${MAX_GRACE_PERIOD_SECONDS}); 0 (default) stops it at once.`,
      }),
    }),
  },
  {
    description:
      'Issues a new token for the key (same keyId). Admins only (a project admin: keys whose projects are all theirs).',
    authScopes: ADMIN_ONLY,
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() => cycleApiKey(ctx, rowId(input.id), input.gracePeriodSeconds ?? 0)),
  },
  {
    outputFields: (t) => ({
      ...payloadFields(t, { apiKey: ApiKeyRef }),
      token: t.string({ nullable: true, description: TOKEN_DESCRIPTION, resolve: (p) => p.token }),
    }),
  },
);

for (const [name, active, description] of [
  [
    'revokeApiKey',
    false,
    'Deactivates the key at once (status INACTIVE). Admins only (a project admin: keys whose projects are all theirs).',
  ],
  [
    'reactivateApiKey',
    true,
    'Makes an inactive key ACTIVE again, unless it has expired. Admins only (a project admin: keys whose projects are all theirs).',
  ],
] as const) {
  builder.relayMutationField(
    name,
    { inputFields: (t) => ({ id: t.globalID({ for: ApiKeyRef, required: true }) }) },
    {
      description,
      authScopes: ADMIN_ONLY,
      resolve: (_root, { input }, ctx) => withUserErrors(() => setApiKeyActive(ctx, rowId(input.id), active)),
    },
    { outputFields: (t) => payloadFields(t, { apiKey: ApiKeyRef }) },
  );
}

builder.relayMutationField(
  'deleteApiKey',
  { inputFields: (t) => ({ id: t.globalID({ for: ApiKeyRef, required: true }) }) },
  {
    description:
      'Deletes the key: its token never works again, its name is free, its audit trail stays. Admins only (a project admin: keys whose projects are all theirs).',
    authScopes: ADMIN_ONLY,
    resolve: (_root, { input }, ctx) => withUserErrors(() => deleteApiKey(ctx, rowId(input.id))),
  },
  {
    outputFields: (t) => ({
      ...payloadFields(t),
      ...deletedIdField(t, 'ApiKey'),
    }),
  },
);
