import { builder } from '../../graphql/builder.ts';
import { scopedConnection } from '../../graphql/connections.ts';
import { CREATED_AT, sortableBy } from '../../graphql/ordering.ts';
import { visiblePersistedDocuments } from './persisted-document.service.ts';
import { PersistedDocumentConnection, PersistedDocumentRef } from './persisted-document.type.ts';

const persistedDocumentSorts = sortableBy('PersistedDocument', 'persisted documents', { ...CREATED_AT }, [
  { createdAt: 'asc' },
  { id: 'asc' },
]);

builder.queryField('persistedDocuments', (t) =>
  scopedConnection(
    t,
    {
      type: PersistedDocumentRef,
      description: "The organisation's trusted (persisted) documents, oldest first. Admins only.",
      authScopes: { admin: true },
      where: visiblePersistedDocuments,
      sortable: persistedDocumentSorts,
    },
    PersistedDocumentConnection,
  ),
);
