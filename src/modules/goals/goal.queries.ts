import { scope } from '../../auth/scope.ts';
import { builder, pageSize } from '../../graphql/builder.ts';
import { goalFilter, goalFilterArgs } from './goal.filters.ts';
import { GoalConnection } from './goal.type.ts';

builder.queryField('goals', (t) =>
  t.prismaConnection(
    {
      type: 'Goal',
      cursor: 'id',
      description: 'Goals in the visible projects, oldest first. Filters combine with AND.',
      authScopes: { authenticated: true },
      maxSize: pageSize,
      args: goalFilterArgs(t.arg),
      totalCount: (_parent, args, ctx) =>
        ctx.prisma.goal.count({ where: { AND: [scope.goal(ctx.principal), ...goalFilter(args)] } }),
      resolve: (query, _parent, args, ctx) =>
        ctx.prisma.goal.findMany({
          ...query,
          where: { AND: [scope.goal(ctx.principal), ...goalFilter(args)] },
          orderBy: { id: 'asc' },
        }),
    },
    GoalConnection,
  ),
);
