import { builder } from '../../graphql/builder.ts';
import { connectionFor } from '../../graphql/connections.ts';
import { AdminRef } from './admin.type.ts';
import { adminTokenStatus, visibleAdminTokens } from './admin-token.service.ts';

const AdminTokenStatusEnum = builder.enumType('AdminTokenStatus', {
  description: 'Whether an admin token still works.',
  values: {
    ACTIVE: { description: 'The token works.' },
    REVOKED: {
      description: 'Revoked (by revokeAdminToken, or when its admin was deactivated); it never works again.',
    },
    EXPIRED: { description: 'Past its expiresAt; it never works again.' },
  },
});

export const AdminTokenRef = builder.prismaNode('AdminToken', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [visibleAdminTokens(ctx.principal)] }),
  description:
    'A token (cga_…) an admin signs in to the API with. An admin sees their own tokens, an owner every admin token of the organisation. The secret is never shown again after creation.',
  fields: (t) => ({
    name: t.exposeString('name', {
      nullable: true,
      description: 'What the token is for, as its creator named it (null for tokens made before tokens had names).',
    }),
    tokenPreview: t.string({
      description: 'How the token starts (its public id), to recognise it; the secret is never shown again.',
      resolve: (token) => `cga_${token.tokenId}_…`,
    }),
    status: t.field({
      type: AdminTokenStatusEnum,
      description: 'ACTIVE, REVOKED or EXPIRED (revoked wins when both apply).',
      resolve: (token, _args, ctx) => adminTokenStatus(token, ctx.now()),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the token was made.' }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the token was last used (recorded at most once a minute); null: never.',
    }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the token stops working by itself; null: it does not expire.',
    }),
    revokedAt: t.expose('revokedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the token was revoked; null while it is not.',
    }),
    admin: t.relation('user', { type: AdminRef, description: 'The admin whose token it is.' }),
    createdBy: t.relation('createdBy', {
      type: AdminRef,
      nullable: true,
      description:
        'The admin who made it through the API (createAdminToken, or createAdmin for a new admin); null when made by the command line.',
    }),
    current: t.boolean({
      description: 'True for the token this request was made with.',
      resolve: (token, _args, ctx) => ctx.principal.kind === 'ADMIN' && ctx.principal.tokenId === token.tokenId,
    }),
  }),
});

export const AdminTokenConnection = connectionFor(AdminTokenRef, 'AdminToken');
