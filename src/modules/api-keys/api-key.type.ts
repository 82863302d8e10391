import { scope } from '../../auth/scope.ts';
import { builder } from '../../graphql/builder.ts';
import { connectionFor } from '../../graphql/connections.ts';
import { AdminRef } from '../admins/admin.type.ts';
import { ProjectConnection } from '../projects/project.type.ts';
import { apiKeyStatus } from './api-key.status.ts';
import { relatedConnection } from '../../graphql/related-connection.ts';

const ApiKeyStatusEnum = builder.enumType('ApiKeyStatus', {
  values: {
    ACTIVE: { description: 'The key works.' },
    INACTIVE: { description: 'Revoked or deactivated by an admin; can be reactivated.' },
    EXPIRED: { description: 'Past its expiresAt.' },
  },
});

export const ApiKeyRef = builder.prismaNode('ApiKey', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [scope.apiKey(ctx.principal)] }),
  description: 'A credential for an integration, limited to its projects and flags. Admins only.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Unique within the organisation.' }),
    keyId: t.exposeString('keyId', { description: 'The public part of the token; safe to show and log.' }),
    tokenPreview: t.string({
      description: 'How the token starts, to recognise it (the secret is never shown again).',
      resolve: (key) => `cgk_${key.keyId}_…`,
    }),
    status: t.field({ type: ApiKeyStatusEnum, resolve: (key, _args, ctx) => apiKeyStatus(key, ctx.now()) }),
    allowWrites: t.exposeBoolean('allowWrites', { description: 'Off: read-only; every mutation is FORBIDDEN.' }),
    canReadQualificationData: t.exposeBoolean('canReadQualificationData', {
      description: "May read workers' (non-sensitive) qualification data.",
    }),
    canWritePeople: t.exposeBoolean('canWritePeople', {
      description:
        "May create and update the organisation's people: organisation-wide, beyond the key's projects (only with allowWrites).",
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
