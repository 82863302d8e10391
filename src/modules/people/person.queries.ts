import { scope } from '../../auth/scope.ts';
import { builder, pageSize } from '../../graphql/builder.ts';
import { personFilter, personFilterArgs, personOrder } from './person.filters.ts';
import { PersonConnection } from './person.type.ts';

builder.queryField('people', (t) =>
  t.prismaConnection(
    {
      type: 'Person',
      cursor: 'id',
      description: 'The people directory, by name. Filters combine with AND.',
      authScopes: { authenticated: true },
      maxSize: pageSize,
      args: personFilterArgs(t.arg),
      totalCount: (_parent, args, ctx) =>
        ctx.prisma.person.count({ where: { AND: [scope.person(ctx.principal), ...personFilter(args)] } }),
      resolve: (query, _parent, args, ctx) =>
        ctx.prisma.person.findMany({
          ...query,
          where: { AND: [scope.person(ctx.principal), ...personFilter(args)] },
          orderBy: personOrder,
        }),
    },
    PersonConnection,
  ),
);
