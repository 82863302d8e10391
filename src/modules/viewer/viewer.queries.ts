import type { Principal } from '../../core/principal.ts';
import { scope } from '../../auth/scope.ts';
import { builder } from '../../graphql/builder.ts';
import { scopedConnection } from '../../graphql/connections.ts';
import { AdminRef } from '../admins/admin.type.ts';
import { AdminTokenRef } from '../admins/admin-token.type.ts';
import { ProjectConnection } from '../projects/project.type.ts';
import { accessTo } from '../../core/permissions.ts';
import { ApiKeyPermissionRef, permissionsOf } from '../api-keys/api-key-permissions.type.ts';

const PrincipalKind = builder.enumType('PrincipalKind', {
  values: {
    ADMIN: { description: 'An administrator token (cga_…).' },
    API_KEY: { description: 'An API key (cgk_…).' },
  },
});

const TokenKind = builder.enumType('TokenKind', {
  values: {
    ADMIN_TOKEN: { description: 'An admin token (cga_…).' },
    API_KEY: { description: 'An API key itself (cgk_…).' },
    ACCESS_TOKEN: { description: 'A short-lived access token (cgt_…) issued for an API key by POST /oauth/token.' },
  },
});

function tokenKind(p: Principal) {
  if (p.kind === 'ADMIN') return 'ADMIN_TOKEN' as const;
  return p.accessToken ? ('ACCESS_TOKEN' as const) : ('API_KEY' as const);
}

/** When the credential of this request stops working by itself: the sooner of its own and its key's expiry. */
function tokenExpiresAt(p: Principal): Date | null {
  if (p.kind === 'ADMIN') return null;
  const token = p.accessToken?.expiresAt;
  if (token && p.expiresAt) return token < p.expiresAt ? token : p.expiresAt;
  return token ?? p.expiresAt;
}

const OrganizationRef = builder.prismaObject('Organization', {
  description: 'The tenant: everything a principal sees belongs to its organisation.',
  fields: (t) => ({ id: t.exposeID('id'), name: t.exposeString('name') }),
});

const keyOnly = <T>(principal: Principal, value: (key: Extract<Principal, { kind: 'API_KEY' }>) => T) =>
  principal.kind === 'API_KEY' ? value(principal) : null;

const Viewer = builder.objectRef<Principal>('Viewer').implement({
  description: 'Who is calling: the principal behind the token of this request. Never shows a secret.',
  fields: (t) => ({
    kind: t.field({ type: PrincipalKind, resolve: (p) => p.kind }),
    tokenKind: t.field({
      type: TokenKind,
      description: 'The kind of token this request was made with.',
      resolve: tokenKind,
    }),
    tokenExpiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the token of this request expires by itself (null: it does not).',
      resolve: async (p, _args, ctx) =>
        p.kind === 'ADMIN'
          ? ((await ctx.prisma.adminToken.findUnique({ where: { tokenId: p.tokenId }, select: { expiresAt: true } }))
              ?.expiresAt ?? null)
          : tokenExpiresAt(p),
    }),
    organizationId: t.exposeID('organizationId'),
    organization: t.prismaField({
      type: OrganizationRef,
      resolve: (query, p, _args, ctx) =>
        ctx.prisma.organization.findUniqueOrThrow({ ...query, where: { id: p.organizationId } }),
    }),
    token: t.field({
      type: AdminTokenRef,
      nullable: true,
      description:
        'For an admin token: the token of this request (its name, expiry, last use); null for an API key or an access token.',
      resolve: (p, _args, ctx) =>
        p.kind === 'ADMIN' ? ctx.prisma.adminToken.findUnique({ where: { tokenId: p.tokenId } }) : null,
    }),
    admin: t.prismaField({
      type: AdminRef,
      nullable: true,
      description: 'For an admin token: the admin.',
      resolve: (query, p, _args, ctx) =>
        p.kind === 'ADMIN' ? ctx.prisma.user.findUnique({ ...query, where: { id: p.userId } }) : null,
    }),
    keyId: t.string({
      nullable: true,
      description: 'For an API key (or an access token issued for one): the public id of the key.',
      resolve: (p) => keyOnly(p, (k) => k.keyId),
    }),
    allowWrites: t.boolean({
      description: 'Whether this principal may call mutations (always true for admins).',
      resolve: (p) => p.kind === 'ADMIN' || p.allowWrites,
    }),
    canReadQualificationData: t.boolean({
      description: "Whether this principal may read workers' qualifications (always true for admins).",
      resolve: (p) => p.kind === 'ADMIN' || p.canReadQualificationData,
    }),
    canWritePeople: t.boolean({
      description:
        "Whether this principal may create and update the organisation's people (owners and admins; a key with canWritePeople).",
      resolve: (p) => (p.kind === 'ADMIN' ? p.role !== 'PROJECT_ADMIN' : p.canWritePeople),
    }),
    permissions: t.field({
      type: [ApiKeyPermissionRef],
      description:
        "What this principal may do with each resource: for a key, its permissions within its flags (and a token's scope); admins read everything and write what their role allows.",
      resolve: (p) => permissionsOf((resource) => accessTo(p, resource)),
    }),
    expiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'For an API key (or an access token issued for one): when the key expires.',
      resolve: (p) => keyOnly(p, (k) => k.expiresAt),
    }),
    projects: scopedConnection(
      t,
      {
        type: 'Project',
        description: 'The projects this principal can reach (for a key: its projects), by name.',
        authScopes: { authenticated: true },
        where: (principal) => scope.project(principal),
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      },
      ProjectConnection,
    ),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    type: Viewer,
    description: 'Who am I: principal kind, organisation, and for a key its flags and projects.',
    authScopes: { authenticated: true },
    resolve: (_root, _args, ctx) => ctx.principal,
  }),
);
