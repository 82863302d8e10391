import { scope } from '../../auth/scope.ts';
import { connectionFor } from '../../graphql/connections.ts';
import { builder } from '../../graphql/builder.ts';
import { QualificationStatusEnum } from '../../graphql/enums.ts';
import { EXTERNAL_ID } from '../../graphql/external-id.ts';
import { reaches } from '../../graphql/resources.ts';

/*
 * Workers and qualifications are the many rows of a nested page. Select mode reads only the
 * columns a query asks for, but plugin-prisma then looks up the preloaded data of every exposed
 * field of every row; so their small, usual columns are always read (type-level `select`) and
 * resolved as plain properties, and only the timestamps and the sensitive licence number are
 * selected per query (bench/README.md).
 */
export const WorkerRef = builder.prismaNode('Worker', {
  id: { field: 'id' },
  select: { firstName: true, lastName: true, email: true, phone: true, trade: true },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [scope.worker(ctx.principal)] }),
  description: 'A person employed by a contractor.',
  fields: (t) => ({
    firstName: t.string({ resolve: (worker) => worker.firstName }),
    lastName: t.string({ resolve: (worker) => worker.lastName }),
    email: t.string({ nullable: true, resolve: (worker) => worker.email }),
    phone: t.string({ nullable: true, resolve: (worker) => worker.phone }),
    trade: t.string({ nullable: true, resolve: (worker) => worker.trade }),
    externalId: t.exposeString('externalId', { nullable: true, description: EXTERNAL_ID.field }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    contractor: t.relation('contractor', reaches('CONTRACTORS')),
    qualifications: t.relation('qualifications', {
      nullable: true,
      description:
        'Needs an admin, or an API key with canReadQualificationData; otherwise null with a FORBIDDEN error.',
      authScopes: { canReadQualifications: true },
      query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] },
    }),
  }),
});

export const QualificationRef = builder.prismaNode('Qualification', {
  id: { field: 'id' },
  select: { name: true, issuer: true, issuedOn: true, expiresOn: true, status: true },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [scope.qualification(ctx.principal)] }),
  authScopes: { canReadQualifications: true },
  description: "A worker's certificate or licence.",
  fields: (t) => ({
    name: t.string({ resolve: (qualification) => qualification.name }),
    issuer: t.string({ resolve: (qualification) => qualification.issuer }),
    issuedOn: t.field({ type: 'Date', nullable: true, resolve: (qualification) => qualification.issuedOn }),
    expiresOn: t.field({ type: 'Date', nullable: true, resolve: (qualification) => qualification.expiresOn }),
    status: t.field({ type: QualificationStatusEnum, resolve: (qualification) => qualification.status }),
    licenseNumber: t.exposeString('licenseNumber', {
      nullable: true,
      description: 'Sensitive: admins only; null with a FORBIDDEN error for API keys.',
      authScopes: { admin: true },
    }),
    worker: t.relation('worker'),
  }),
});

export const WorkerConnection = connectionFor(WorkerRef, 'Worker');
