import { scope } from '../../auth/scope.ts';
import { builder } from '../../graphql/builder.ts';
import { scopedConnection } from '../../graphql/connections.ts';
import { AdminConnection, AdminRef } from './admin.type.ts';
import { CREATED_AT, sortableBy } from '../../graphql/ordering.ts';

const adminSorts = sortableBy(
  'Admin',
  'admins',
  {
    EMAIL: { description: 'Email address.', columns: ['email'] },
    ...CREATED_AT,
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
