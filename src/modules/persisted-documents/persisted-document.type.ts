import { builder } from '../../graphql/builder.ts';
import { connectionFor } from '../../graphql/connections.ts';
import { AdminRef } from '../admins/admin.type.ts';
import { prefixedDocumentId } from './document-id.ts';
import { visiblePersistedDocuments } from './persisted-document.service.ts';

export const PersistedDocumentRef = builder.prismaNode('PersistedDocument', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [visiblePersistedDocuments(ctx.principal)] }),
  description:
    'A trusted document: an operation registered by an owner or admin that clients run by its id (`{"documentId": "sha256:…"}`) instead of sending its text. Keys with persistedDocumentsOnly run nothing else. Admins only.',
  fields: (t) => ({
    documentId: t.string({
      description: 'The id clients send: "sha256:" and the hex SHA-256 of body (APQ clients send the hex alone).',
      resolve: (document) => prefixedDocumentId(document.documentId),
    }),
    body: t.exposeString('body', { description: 'The document text, exactly as registered.' }),
    operationName: t.exposeString('operationName', {
      nullable: true,
      description: 'The name of its operation; null when it is anonymous or the document holds several.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was registered.' }),
    createdBy: t.relation('createdBy', {
      type: AdminRef,
      nullable: true,
      description: 'The admin who registered it; null when registered by the command line.',
    }),
  }),
});

export const PersistedDocumentConnection = connectionFor(PersistedDocumentRef, 'PersistedDocument');
