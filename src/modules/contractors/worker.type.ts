import { scope } from '../../auth/scope.ts';
import { connectionFor } from '../../graphql/connections.ts';
import { builder } from '../../graphql/builder.ts';
import { QualificationStatusEnum } from '../../graphql/enums.ts';

export const WorkerRef = builder.prismaNode('Worker', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [scope.worker(ctx.principal)] }),
  description: 'A person employed by a contractor.',
  fields: (t) => ({
    firstName: t.exposeString('firstName'),
    lastName: t.exposeString('lastName'),
    email: t.exposeString('email', { nullable: true }),
    phone: t.exposeString('phone', { nullable: true }),
    trade: t.exposeString('trade', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    contractor: t.relation('contractor'),
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
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [scope.qualification(ctx.principal)] }),
  authScopes: { canReadQualifications: true },
  description: "A worker's certificate or licence.",
  fields: (t) => ({
    name: t.exposeString('name'),
    issuer: t.exposeString('issuer'),
    issuedOn: t.expose('issuedOn', { type: 'Date', nullable: true }),
    expiresOn: t.expose('expiresOn', { type: 'Date', nullable: true }),
    status: t.expose('status', { type: QualificationStatusEnum }),
    licenseNumber: t.exposeString('licenseNumber', {
      nullable: true,
      description: 'Sensitive: admins only; null with a FORBIDDEN error for API keys.',
      authScopes: { admin: true },
    }),
    worker: t.relation('worker'),
  }),
});

export const WorkerConnection = connectionFor(WorkerRef, 'Worker');
