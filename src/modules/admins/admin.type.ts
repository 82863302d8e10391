import { scope } from '../../auth/scope.ts';
import { builder } from '../../graphql/builder.ts';
import { connectionFor } from '../../graphql/connections.ts';
import { AdminRoleEnum } from '../../graphql/enums.ts';
import { ProjectConnection } from '../projects/project.type.ts';
import { relatedConnection } from '../../graphql/related-connection.ts';

export const AdminRef = builder.prismaNode('User', {
  variant: 'Admin',
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [scope.admin(ctx.principal)] }),
  description:
    'An administrator of the organisation. OWNER and ADMIN administer the whole organisation (owners also manage admins); a PROJECT_ADMIN only their projects.',
  fields: (t) => ({
    email: t.exposeString('email', { description: 'Unique within the organisation (stored lower-case).' }),
    name: t.exposeString('name', { nullable: true }),
    role: t.expose('role', { type: AdminRoleEnum }),
    active: t.boolean({
      description: 'False once deactivated: the admin tokens stop working.',
      resolve: (user) => user.deactivatedAt === null,
    }),
    deactivatedAt: t.expose('deactivatedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const AdminConnection = connectionFor(AdminRef, 'Admin');

builder.prismaObjectFields(AdminRef, (t) => ({
  projects: relatedConnection(
    t,
    'projects',
    {
      description: "A PROJECT_ADMIN's projects (those you can see), by name; empty for OWNER and ADMIN.",
      query: (_args, ctx) => ({ where: scope.project(ctx.principal), orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    },
    ProjectConnection,
  ),
}));
