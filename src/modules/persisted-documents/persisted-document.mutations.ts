import { builder } from '../../graphql/builder.ts';
import { withUserErrors } from '../../core/user-errors.ts';
import { deletedIdField, payloadFields } from '../../graphql/payloads.ts';
import { rowId } from '../../graphql/input-ids.ts';
import { documentCheck } from './document-check.ts';
import {
  MAX_DOCUMENTS_PER_CALL,
  deletePersistedDocument,
  registerPersistedDocuments,
  registrarOf,
} from './persisted-document.service.ts';
import { PersistedDocumentRef } from './persisted-document.type.ts';

const ORGANIZATION_ADMINS = { organizationAdmin: true } as const;

const PersistedDocumentInput = builder.inputType('PersistedDocumentInput', {
  description: "One entry of graphql-codegen's persisted-documents manifest: its key as id, its value as body.",
  fields: (t) => ({
    id: t.string({
      required: true,
      description: '"sha256:" and the hex SHA-256 of body (or the 64 hex digits alone).',
    }),
    body: t.string({ required: true, description: 'The document text, exactly as hashed.' }),
  }),
});

builder.relayMutationField(
  'registerPersistedDocuments',
  {
    inputFields: (t) => ({
      documents: t.field({
        type: [PersistedDocumentInput],
        required: true,
        description: `1 to ${MAX_DOCUMENTS_PER_CALL} documents.`,
      }),
    }),
  },
  {
    description:
      "Registers trusted documents for the organisation, all or none: an id that is not its body's SHA-256, or a body that does not validate against the schema, is an INVALID userError and nothing is stored. Registering a document again changes nothing. Owners and admins only.",
    authScopes: ORGANIZATION_ADMINS,
    resolve: (_root, { input }, ctx, info) =>
      withUserErrors(() => registerPersistedDocuments(registrarOf(ctx), input.documents, documentCheck(info.schema))),
  },
  {
    outputFields: (t) => ({
      ...payloadFields(t),
      registered: t.int({
        nullable: true,
        description: 'How many of the documents were new (the others were registered already).',
        resolve: (payload) => payload.registered,
      }),
      persistedDocuments: t.field({
        type: [PersistedDocumentRef],
        nullable: true,
        description: 'The documents sent, in input order (a duplicate once), new or registered before.',
        resolve: (payload) => payload.persistedDocuments,
      }),
    }),
  },
);

builder.relayMutationField(
  'deletePersistedDocument',
  { inputFields: (t) => ({ id: t.globalID({ for: PersistedDocumentRef, required: true }) }) },
  {
    description:
      'Deletes a trusted document: clients sending its id get PERSISTED_DOCUMENT_NOT_FOUND from the next request on. Owners and admins only.',
    authScopes: ORGANIZATION_ADMINS,
    resolve: (_root, { input }, ctx) => withUserErrors(() => deletePersistedDocument(ctx, rowId(input.id))),
  },
  {
    outputFields: (t) => ({
      ...payloadFields(t),
      ...deletedIdField(t, 'PersistedDocument'),
    }),
  },
);
