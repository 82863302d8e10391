import { builder } from '../../graphql/builder.ts';
import { scopedConnection } from '../../graphql/connections.ts';
import { rowId } from '../../graphql/input-ids.ts';
import { AdminRef } from './admin.type.ts';
import { AdminTokenConnection, AdminTokenRef } from './admin-token.type.ts';
import { visibleAdminTokens } from './admin-token.service.ts';

builder.queryField('adminTokens', (t) =>
  scopedConnection(
    t,
    {
      type: AdminTokenRef,
      description:
        "Admin tokens, newest first: an admin's own; an owner's list holds every admin token of the organisation (narrow it with adminId). Revoked tokens only with includeRevoked. Admins only.",
      authScopes: { admin: true },
      args: {
        adminId: t.arg.globalID({
          for: AdminRef,
          required: false,
          description: "Only this admin's tokens (an admin other than an owner only ever sees their own).",
        }),
        includeRevoked: t.arg.boolean({
          required: false,
          defaultValue: false,
          description:
            'Also list revoked tokens (those of deactivated admins included). Expired tokens are always listed.',
        }),
      },
      where: (principal, args) => ({
        AND: [
          visibleAdminTokens(principal),
          ...(args.adminId ? [{ userId: rowId(args.adminId) }] : []),
          ...(args.includeRevoked ? [] : [{ revokedAt: null }]),
        ],
      }),
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    },
    AdminTokenConnection,
  ),
);
