import type { Principal } from '../../core/principal.ts';
import { scope } from '../../auth/scope.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { builder, pageSize } from '../../graphql/builder.ts';
import { rowId } from '../../graphql/input-ids.ts';
import { ProjectRef } from '../projects/project.type.ts';
import {
  contractorFilter,
  contractorFilterArgs,
  contractorOrder,
  ContractorOrder,
  type ContractorFilter,
} from './contractor.filters.ts';
import { ContractorConnection, ContractorRef } from './contractor.type.ts';
import { workerFilter, workerFilterArgs, workerOrder } from './worker.filters.ts';
import { WorkerConnection } from './worker.type.ts';

type Ref = { id: unknown } | null | undefined;

function contractorWhere(
  args: ContractorFilter & { projectId?: Ref },
  principal: Principal,
): Prisma.ContractorWhereInput {
  const inProject = args.projectId ? [{ projects: { some: { id: rowId(args.projectId) } } }] : [];
  return { AND: [scope.contractor(principal), ...contractorFilter(args), ...inProject] };
}

function workerWhere(
  args: { search?: string | null; contractorId?: Ref },
  principal: Principal,
): Prisma.WorkerWhereInput {
  const ofContractor = args.contractorId ? [{ contractorId: rowId(args.contractorId) }] : [];
  return { AND: [scope.worker(principal), ...workerFilter(args), ...ofContractor] };
}

builder.queryField('contractors', (t) =>
  t.prismaConnection(
    {
      type: ContractorRef,
      cursor: 'id',
      description: 'Contractors, by name unless `orderBy` says otherwise. Filters combine with AND.',
      authScopes: { authenticated: true },
      maxSize: pageSize,
      args: {
        ...contractorFilterArgs,
        projectId: t.arg.globalID({
          for: ProjectRef,
          required: false,
          description: 'Only contractors on this project.',
        }),
        orderBy: t.arg({ type: ContractorOrder, required: false, description: 'Default: by name.' }),
      },
      totalCount: (_parent, args, ctx) => ctx.prisma.contractor.count({ where: contractorWhere(args, ctx.principal) }),
      resolve: (query, _parent, args, ctx) =>
        ctx.prisma.contractor.findMany({
          ...query,
          where: contractorWhere(args, ctx.principal),
          orderBy: contractorOrder(args.orderBy),
        }),
    },
    ContractorConnection,
  ),
);

builder.queryField('workers', (t) =>
  t.prismaConnection(
    {
      type: 'Worker',
      cursor: 'id',
      description: 'Workers of the visible contractors, by last name, first name.',
      authScopes: { authenticated: true },
      maxSize: pageSize,
      args: {
        ...workerFilterArgs,
        contractorId: t.arg.globalID({
          for: ContractorRef,
          required: false,
          description: 'Only this contractor’s workers.',
        }),
      },
      totalCount: (_parent, args, ctx) => ctx.prisma.worker.count({ where: workerWhere(args, ctx.principal) }),
      resolve: (query, _parent, args, ctx) =>
        ctx.prisma.worker.findMany({ ...query, where: workerWhere(args, ctx.principal), orderBy: workerOrder }),
    },
    WorkerConnection,
  ),
);
