import { scope } from '../../auth/scope.ts';
import { connectionFor } from '../../graphql/connections.ts';
import { builder } from '../../graphql/builder.ts';
import { ProjectStatusEnum } from '../../graphql/enums.ts';
import { EXTERNAL_ID } from '../../graphql/external-id.ts';

export const ProjectRef = builder.prismaNode('Project', {
  id: { field: 'id' },
  // Select mode: read only the columns a query asks for (fewer bytes to parse and map; bench/README.md).
  select: {},
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [scope.project(ctx.principal)] }),
  description: 'A construction project (a site). API keys are limited to their projects.',
  fields: (t) => ({
    name: t.exposeString('name'),
    code: t.exposeString('code', { description: 'Short code, unique within the organisation.' }),
    status: t.expose('status', { type: ProjectStatusEnum }),
    addressLine1: t.exposeString('addressLine1', { nullable: true }),
    addressLine2: t.exposeString('addressLine2', { nullable: true }),
    city: t.exposeString('city', { nullable: true }),
    state: t.exposeString('state', { nullable: true }),
    zip: t.exposeString('zip', { nullable: true }),
    country: t.exposeString('country', { nullable: true }),
    startsOn: t.expose('startsOn', { type: 'Date', nullable: true }),
    endsOn: t.expose('endsOn', { type: 'Date', nullable: true }),
    externalId: t.exposeString('externalId', { nullable: true, description: EXTERNAL_ID.field }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const ProjectConnection = connectionFor(ProjectRef, 'Project');
