import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed client documents from the committed schema and the operations in
 * test/client/operations. `npm run codegen` writes test/client/generated/.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['test/client/operations/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'test/client/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
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
