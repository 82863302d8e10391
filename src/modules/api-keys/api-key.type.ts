import { scope } from '../../auth/scope.ts';
import { builder } from '../../graphql/builder.ts';
import { connectionFor } from '../../graphql/connections.ts';
import { AdminRef } from '../admins/admin.type.ts';
import { ProjectConnection } from '../projects/project.type.ts';
import { apiKeyListStatus } from './api-key.status.ts';
import {
  DEFAULT_SERVER_KEY_BUDGET,
  KEY_POLICY_SELECT,
  ORGANIZATION_BUDGET_SELECT,
  expiryViolations,
  rateLimitInForce,
} from './api-key.policy.ts';
import { relatedConnection } from '../../graphql/related-connection.ts';
import { keyAccess, permissionListFromJson } from '../../core/permissions.ts';
import { ApiKeyPermissionRef, permissionsOf } from './api-key-permissions.type.ts';

export const ApiKeyStatusEnum = builder.enumType('ApiKeyStatus', {
  values: {
    ACTIVE: { description: 'The key works.' },
    INACTIVE: { description: 'Revoked or deactivated by an admin; can be reactivated.' },
    EXPIRED: { description: 'Past its expiresAt.' },
    DELETED: {
      description: 'Deleted: the token never works again; the key is kept for its audit trail (read-only).',
    },
  },
});

const RateLimitSourceEnum = builder.enumType('RateLimitSource', {
  description: 'Where the request budget in force comes from.',
  values: {
    KEY: { description: "The key's own budget (rateLimit on createApiKey / updateApiKey)." },
    ORGANIZATION: { description: "The organisation's default budget for keys." },
    SERVER: { description: "The server's budget (RATE_LIMIT_KEY_REQUESTS per RATE_LIMIT_WINDOW_SECONDS)." },
  },
});

const RateLimitRef = builder
  .objectRef<{ requests: number; perSeconds: number; source: 'KEY' | 'ORGANIZATION' | 'SERVER' }>('RateLimit')
  .implement({
    description: 'A request budget: at most `requests` requests per `perSeconds` seconds.',
    fields: (t) => ({
      requests: t.exposeInt('requests', { description: 'Requests allowed per window.' }),
      perSeconds: t.exposeInt('perSeconds', { description: 'The window, in seconds.' }),
      source: t.field({
        type: RateLimitSourceEnum,
        description: "Whose budget this is: the key's own, the organisation's default or the server's.",
        resolve: (budget) => budget.source,
      }),
    }),
  });

export const ApiKeyRef = builder.prismaNode('ApiKey', {
  id: { field: 'id' },
  nullable: true,
  // Deleted keys too: their history stays readable (every mutation on them is NOT_FOUND).
  findUnique: (id, ctx) => ({ id, AND: [scope.apiKeyWithDeleted(ctx.principal)] }),
  description: 'A credential for an integration, limited to its projects and flags. Admins only.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Unique within the organisation.' }),
    keyId: t.exposeString('keyId', { description: 'The public part of the token; safe to show and log.' }),
    tokenPreview: t.string({
      description: 'How the token starts, to recognise it (the secret is never shown again).',
      resolve: (key) => `cgk_${key.keyId}_…`,
    }),
    description: t.exposeString('description', {
      nullable: true,
      description: 'Free text: the contact or purpose (at most 1000 characters).',
    }),
    status: t.field({
      type: ApiKeyStatusEnum,
      description: 'ACTIVE, INACTIVE, EXPIRED (from state and expiresAt, now) or DELETED.',
      resolve: (key, _args, ctx) => apiKeyListStatus(key, ctx.now()),
    }),
    deletedAt: t.expose('deletedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the key was deleted (status DELETED); null for a key that is not.',
    }),
    rateLimit: t.field({
      type: RateLimitRef,
      description:
        "The request budget in force for this key: its own, else the organisation's default, else the server's.",
      select: {
        rateLimitRequests: true,
        rateLimitPerSeconds: true,
        organization: { select: ORGANIZATION_BUDGET_SELECT },
      },
      resolve: (key, _args, ctx) =>
        rateLimitInForce(key, key.organization, ctx.keyRateLimit ?? DEFAULT_SERVER_KEY_BUDGET),
    }),
    accessTokenTtlSeconds: t.exposeInt('accessTokenTtlSeconds', {
      nullable: true,
      description:
        "Lifetime, in seconds, of the access tokens issued for this key (POST /oauth/token); null: the server's.",
    }),
    policyViolations: t.stringList({
      description:
        "How the key breaks the organisation's key policies today: NO_EXPIRY (an expiry is required), EXPIRES_AFTER_MAX_LIFETIME (expires later than maxKeyLifetimeDays from now). Empty when it complies, and for a deleted key. Existing keys keep working; a change of expiresAt must comply.",
      select: { expiresAt: true, deletedAt: true, organization: { select: KEY_POLICY_SELECT } },
      resolve: (key, _args, ctx) => (key.deletedAt ? [] : expiryViolations(key.organization, key.expiresAt, ctx.now())),
    }),
    allowWrites: t.exposeBoolean('allowWrites', { description: 'Off: read-only; every mutation is FORBIDDEN.' }),
    canReadQualificationData: t.exposeBoolean('canReadQualificationData', {
      description: "May read workers' (non-sensitive) qualification data.",
    }),
    canWritePeople: t.exposeBoolean('canWritePeople', {
      description:
        "May create and update the organisation's people: organisation-wide, beyond the key's projects (only with allowWrites).",
    }),
    permissions: t.field({
      type: [ApiKeyPermissionRef],
      description:
        'What the key may do with each resource now: its permissions list (a resource it leaves out is NONE), or without a list everything its flags allow; never above its flags (allowWrites: false caps every resource at READ).',
      select: { allowWrites: true, canWritePeople: true, permissions: true },
      resolve: (key) =>
        permissionsOf((resource) =>
          keyAccess({ ...key, permissions: permissionListFromJson(key.permissions) }, resource),
        ),
    }),
    persistedDocumentsOnly: t.exposeBoolean('persistedDocumentsOnly', {
      description:
        'Runs only trusted documents the organisation registered (sent by documentId); a query text is refused with PERSISTED_DOCUMENT_REQUIRED. A leaked key can then run only the integration\'s own operations.',
    }),
    permissionsRestricted: t.boolean({
      description: 'Whether the key has its own permissions list; false: its flags alone decide.',
      select: { permissions: true },
      resolve: (key) => permissionListFromJson(key.permissions) !== null,
    }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    allowedIps: t.exposeStringList('allowedIps', {
      description: 'CIDR ranges the key may be used from (canonical form); empty: any address.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    createdBy: t.relation('createdBy', {
      type: AdminRef,
      nullable: true,
      description: 'The admin who created the key (the key belongs to the organisation).',
    }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Recorded at most once a minute.',
    }),
    lastUsedIp: t.exposeString('lastUsedIp', { nullable: true }),
    lastCycledAt: t.expose('lastCycledAt', { type: 'DateTime', nullable: true }),
    previousTokenExpiresAt: t.expose('previousSecretExpiresAt', {
      type: 'DateTime',
      nullable: true,
      description: 'While a cycle grace period runs, the replaced token works until then.',
    }),
  }),
});

const ApiKeyEventRef = builder.prismaObject('ApiKeyEvent', {
  description: 'One change in the life of an API key (audit trail). Never holds a secret.',
  fields: (t) => ({
    id: t.exposeID('id'),
    action: t.exposeString('action', {
      description:
        'CREATED, UPDATED, CYCLED, REVOKED, REACTIVATED, DELETED or TOKEN_ISSUED (an access token was issued for the key).',
    }),
    actor: t.relation('actor', { type: AdminRef, nullable: true, description: 'The admin who made the change.' }),
    changes: t.expose('changes', { type: 'JSON', description: '{ field: { before, after } } of what changed.' }),
    requestId: t.exposeString('requestId', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const ApiKeyConnection = connectionFor(ApiKeyRef, 'ApiKey');
const ApiKeyEventConnection = connectionFor(ApiKeyEventRef, 'ApiKeyEvent');

builder.prismaObjectFields(ApiKeyRef, (t) => ({
  projects: relatedConnection(
    t,
    'projects',
    {
      description: 'The projects whose data the key can reach (at least one).',
      query: (_args, ctx) => ({ where: scope.project(ctx.principal), orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    },
    ProjectConnection,
  ),
  events: relatedConnection(
    t,
    'events',
    { description: 'Audit trail, oldest first.', query: { orderBy: { id: 'asc' } } },
    ApiKeyEventConnection,
  ),
}));
