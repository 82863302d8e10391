import { workerFilterArgs, workerOfVisibleContractorWhere, workerSorts } from './worker.filters.ts';
import { WorkerConnection } from '../contractors/worker.type.ts';
import { ProjectConnection } from '../projects/project.type.ts';
import { scope } from '../../auth/scope.ts';
import { connectionFor, scopedQuery } from '../../graphql/connections.ts';
import { builder } from '../../graphql/builder.ts';
import { ApprovalStatusEnum } from '../../graphql/enums.ts';
import { EXTERNAL_ID } from '../../graphql/external-id.ts';
import { relatedConnection } from '../../graphql/related-connection.ts';
import { reaches } from '../../graphql/resources.ts';

export const ContractorRef = builder.prismaNode('Contractor', {
  id: { field: 'id' },
  // Select mode: read only the columns a query asks for (fewer bytes to parse and map; bench/README.md).
  select: {},
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [scope.contractor(ctx.principal)] }),
  description: 'A contractor working on the organisation’s projects: a company with its workers, approval status and compliance scores.',
  fields: (t) => ({
    name: t.exposeString('name'),
    address: t.exposeString('address', { nullable: true }),
    city: t.exposeString('city', { nullable: true }),
    state: t.exposeString('state', { nullable: true }),
    zip: t.exposeString('zip', { nullable: true }),
    approvalStatus: t.expose('approvalStatus', { type: ApprovalStatusEnum }),
    contractorComplianceScore: t.exposeInt('contractorComplianceScore', {
      nullable: true,
      description: 'Compliance score of the company, 0–100.',
    }),
    employeeComplianceScore: t.exposeInt('employeeComplianceScore', {
      nullable: true,
      description: 'Compliance score of its workers, 0–100.',
    }),
    tags: t.exposeStringList('tags'),
    autoApprove: t.exposeBoolean('autoApprove'),
    externalId: t.exposeString('externalId', { nullable: true, description: EXTERNAL_ID.field }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const ContractorConnection = connectionFor(ContractorRef, 'Contractor');

builder.prismaObjectFields(ContractorRef, (t) => ({
  projects: relatedConnection(
    t,
    'projects',
    {
      ...reaches('PROJECTS'),
      query: (_args, ctx) => ({ where: scope.project(ctx.principal), orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    },
    ProjectConnection,
  ),
  workers: relatedConnection(
    t,
    'workers',
    {
      ...reaches('WORKERS'),
      args: { ...workerFilterArgs, orderBy: workerSorts.arg(t.arg) },
      query: scopedQuery(workerOfVisibleContractorWhere, workerSorts.orderOf),
    },
    WorkerConnection,
  ),
}));
