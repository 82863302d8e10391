import { builder } from '../../graphql/builder.ts';
import { scopedConnection } from '../../graphql/connections.ts';
import { personFilterArgs, personSorts, personWhere } from './person.filters.ts';
import { PersonConnection } from './person.type.ts';

builder.queryField('people', (t) =>
  scopedConnection(
    t,
    {
      type: 'Person',
      description: 'The people directory, by name. Filters combine with AND.',
      authScopes: { read: 'PEOPLE' },
      updatedSince: true,
      args: personFilterArgs(t.arg),
      where: personWhere,
      orderBy: personSorts.orderOf,
    },
    PersonConnection,
  ),
);
