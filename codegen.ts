import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed client documents from the committed schema and the operations in
 * test/client/operations. `npm run codegen` writes test/client/generated/, with
 * persisted-documents.json: the trusted-documents manifest (sha256 id → document) that
 * `register-documents` loads and the documents' `__meta__.hash` names (docs/trusted-documents.md).
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['test/client/operations/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'test/client/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false, persistedDocuments: true },
      config: {
        useTypeImports: true,
        importExtension: '.ts',
        enumsAsTypes: true,
        scalars: { DateTime: 'string', Date: 'string', EmailAddress: 'string', NonNegativeInt: 'number', JSON: 'any' },
      },
    },
  },
};

export default config;
