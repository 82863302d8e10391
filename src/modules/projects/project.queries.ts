import { scope } from '../../auth/scope.ts';
import { builder } from '../../graphql/builder.ts';
import { scopedConnection } from '../../graphql/connections.ts';
import { ProjectStatusEnum } from '../../graphql/enums.ts';
import { ProjectConnection } from './project.type.ts';

builder.queryField('projects', (t) =>
  scopedConnection(
    t,
    {
      type: 'Project',
      description: 'Projects of the organisation (for an API key: its projects), ordered by name.',
      authScopes: { authenticated: true },
      updatedSince: true,
      args: { status: t.arg({ type: ProjectStatusEnum, required: false }) },
      where: (principal, args) => ({ ...scope.project(principal), ...(args.status && { status: args.status }) }),
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    },
    ProjectConnection,
  ),
);
