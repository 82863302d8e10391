import { scope } from '../../auth/scope.ts';
import { builder } from '../../graphql/builder.ts';
import { scopedConnection } from '../../graphql/connections.ts';
import { ApiKeyConnection } from './api-key.type.ts';

builder.queryField('apiKeys', (t) =>
  scopedConnection(
    t,
    {
      type: 'ApiKey',
      description:
        "The organisation's API keys (deleted ones excluded), by name. Admins only (a project admin: keys whose projects are all theirs).",
      authScopes: { admin: true },
      updatedSince: true,
      where: scope.apiKey,
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    },
    ApiKeyConnection,
  ),
);
