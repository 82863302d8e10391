import { scope } from '../../auth/scope.ts';
import { builder } from '../../graphql/builder.ts';
import { scopedConnection } from '../../graphql/connections.ts';
import { AdminConnection, AdminRef } from './admin.type.ts';
import { sortableBy } from '../../graphql/ordering.ts';

const adminSorts = sortableBy(
  'Admin',
  'admins',
  {
    EMAIL: { description: 'Email address.', columns: ['email'] },
    CREATED_AT: { description: 'When it was created.', columns: ['createdAt'] },
  },
  [{ email: 'asc' }, { id: 'asc' }],
);

builder.queryField('admins', (t) =>
  scopedConnection(
    t,
    {
      type: AdminRef,
      description: "The organisation's admins (deactivated ones included), by email. Owners and admins only.",
      authScopes: { organizationAdmin: true },
      where: scope.admin,
      sortable: adminSorts,
    },
    AdminConnection,
  ),
);
