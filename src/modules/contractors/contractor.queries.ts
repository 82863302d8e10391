import { builder } from '../../graphql/builder.ts';
import { scopedConnection } from '../../graphql/connections.ts';
import { ProjectRef } from '../projects/project.type.ts';
import { contractorFilterArgs, contractorSorts, contractorWhere } from './contractor.filters.ts';
import { ContractorConnection, ContractorRef } from './contractor.type.ts';
import { workerFilterArgs, workerSorts, workerWhere } from './worker.filters.ts';
import { WorkerConnection } from './worker.type.ts';

builder.queryField('contractors', (t) =>
  scopedConnection(
    t,
    {
      type: ContractorRef,
      description: 'Contractors, by name unless `orderBy` says otherwise. Filters combine with AND.',
      authScopes: { read: 'CONTRACTORS' },
      updatedSince: true,
      args: {
        ...contractorFilterArgs,
        projectId: t.arg.globalID({
          for: ProjectRef,
          required: false,
          description: 'Only contractors on this project.',
        }),
      },
      where: contractorWhere,
      sortable: contractorSorts,
    },
    ContractorConnection,
  ),
);

builder.queryField('workers', (t) =>
  scopedConnection(
    t,
    {
      type: 'Worker',
      description: 'Workers of the visible contractors, by last name, first name unless `orderBy` says otherwise.',
      authScopes: { read: 'WORKERS' },
      updatedSince: true,
      args: {
        ...workerFilterArgs,
        contractorId: t.arg.globalID({
          for: ContractorRef,
          required: false,
          description: 'Only this contractor’s workers.',
        }),
      },
      where: workerWhere,
      sortable: workerSorts,
    },
    WorkerConnection,
  ),
);
