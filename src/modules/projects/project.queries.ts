import { ProjectConnection } from '../projects/project.type.ts';
import { scope } from '../../auth/scope.ts';
import { builder, pageSize } from '../../graphql/builder.ts';
import { ProjectStatusEnum } from '../../graphql/enums.ts';
import type { Prisma } from '../../generated/prisma/client.ts';

builder.queryField('projects', (t) =>
  t.prismaConnection(
    {
      type: 'Project',
      cursor: 'id',
      description: 'Projects of the organisation (for an API key: its projects), ordered by name.',
      authScopes: { authenticated: true },
      maxSize: pageSize,
      args: { status: t.arg({ type: ProjectStatusEnum, required: false }) },
      totalCount: (_parent, args, ctx) => ctx.prisma.project.count({ where: where(args, ctx.principal) }),
      resolve: (query, _parent, args, ctx) =>
        ctx.prisma.project.findMany({
          ...query,
          where: where(args, ctx.principal),
          orderBy: [{ name: 'asc' }, { id: 'asc' }],
        }),
    },
    ProjectConnection,
  ),
);

function where(
  args: { status?: Prisma.ProjectWhereInput['status'] | null },
  principal: Parameters<typeof scope.project>[0],
) {
  return { ...scope.project(principal), ...(args.status && { status: args.status }) };
}
