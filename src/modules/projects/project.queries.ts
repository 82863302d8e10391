import { scope } from '../../auth/scope.ts';
import { builder } from '../../graphql/builder.ts';
import { scopedConnection } from '../../graphql/connections.ts';
import { ProjectStatusEnum } from '../../graphql/enums.ts';
import { CREATED_AND_UPDATED_AT, sortableBy } from '../../graphql/ordering.ts';
import { ProjectConnection } from './project.type.ts';

const projectSorts = sortableBy(
  'Project',
  'projects',
  {
    NAME: { description: 'Name.', columns: ['name'] },
    CODE: { description: 'Short code.', columns: ['code'] },
    ...CREATED_AND_UPDATED_AT,
  },
  [{ name: 'asc' }, { id: 'asc' }],
);

builder.queryField('projects', (t) =>
  scopedConnection(
    t,
    {
      type: 'Project',
      description:
        'Projects of the organisation (for an API key: its projects), by name unless `orderBy` says otherwise.',
      authScopes: { read: 'PROJECTS' },
      updatedSince: true,
      args: { status: t.arg({ type: ProjectStatusEnum, required: false }) },
      where: (principal, args) => ({ ...scope.project(principal), ...(args.status && { status: args.status }) }),
      sortable: projectSorts,
    },
    ProjectConnection,
  ),
);
