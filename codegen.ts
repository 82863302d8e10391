import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed client documents from the committed schema and the operations in
 * src/client/operations. `npm run codegen` writes src/client/generated/.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['src/client/operations/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'src/client/generated/': {
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
