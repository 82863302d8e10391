import { scope } from '../../auth/scope.ts';
import { builder } from '../../graphql/builder.ts';
import { scopedConnection } from '../../graphql/connections.ts';
import { ApiKeyConnection } from './api-key.type.ts';
import { CREATED_AND_UPDATED_AT, sortableBy } from '../../graphql/ordering.ts';

const apiKeySorts = sortableBy(
  'ApiKey',
  'API keys',
  {
    NAME: { description: 'Name.', columns: ['name'] },
    ...CREATED_AND_UPDATED_AT,
    EXPIRES_AT: { description: 'Expiry; keys that never expire come last.', columns: ['expiresAt'], nullable: true },
    LAST_USED_AT: { description: 'Last use; keys never used come last.', columns: ['lastUsedAt'], nullable: true },
  },
  [{ name: 'asc' }, { id: 'asc' }],
);

builder.queryField('apiKeys', (t) =>
  scopedConnection(
    t,
    {
      type: 'ApiKey',
      description:
        "The organisation's API keys (deleted ones excluded), by name unless `orderBy` says otherwise. Admins only (a project admin: keys whose projects are all theirs).",
      authScopes: { admin: true },
      updatedSince: true,
      where: scope.apiKey,
      sortable: apiKeySorts,
    },
    ApiKeyConnection,
  ),
);
