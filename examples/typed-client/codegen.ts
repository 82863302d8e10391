import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for the operations in src/operations.graphql, checked against the schema
 * Crewgraph publishes (schema.graphql at the repository's root). `npm run codegen` writes
 * src/generated/.
 */
const config: CodegenConfig = {
  schema: '../../schema.graphql',
  documents: ['src/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'src/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        // Under `moduleResolution: NodeNext` a relative import names the file Node will load:
        // the generated files import each other as './graphql.js', which tsc maps to graphql.ts.
        importExtension: '.js',
        emitLegacyCommonJSImports: false,
        // Type-only imports vanish from the compiled JavaScript (`verbatimModuleSyntax` needs them).
        useTypeImports: true,
        // A document is a string that carries its result and variable types: what a plain
        // `fetch` sends, with no GraphQL library needed at run time.
        documentMode: 'string',
        enumsAsTypes: true,
        scalars: {
          DateTime: 'string',
          Date: 'string',
          EmailAddress: 'string',
          NonNegativeInt: 'number',
          JSON: 'unknown',
        },
      },
    },
  },
};

export default config;
