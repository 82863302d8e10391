import { scope } from '../../auth/scope.ts';
import { builder, pageSize } from '../../graphql/builder.ts';
import { AdminConnection, AdminRef } from './admin.type.ts';

builder.queryField('admins', (t) =>
  t.prismaConnection(
    {
      type: AdminRef,
      cursor: 'id',
      description: "The organisation's admins (deactivated ones included), by email. Owners and admins only.",
      authScopes: { organizationAdmin: true },
      maxSize: pageSize,
      totalCount: (_parent, _args, ctx) => ctx.prisma.user.count({ where: scope.admin(ctx.principal) }),
      resolve: (query, _parent, _args, ctx) =>
        ctx.prisma.user.findMany({
          ...query,
          where: scope.admin(ctx.principal),
          orderBy: [{ email: 'asc' }, { id: 'asc' }],
        }),
    },
    AdminConnection,
  ),
);
