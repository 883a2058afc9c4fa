import type { CodegenConfig } from '@graphql-codegen/cli';
import { defineConfig } from '@eddeee888/gcg-typescript-resolver-files';

// schema/ is the source of truth. The server preset writes resolver stubs (never overwriting our logic),
// resolver types and the merged typeDefs into src/graphql; mappers live in src/graphql/mappers so that no
// TypeScript lands in schema/. schema.graphql at the root is the merged schema, committed so that every
// schema change shows up in review.
const config: CodegenConfig = {
  schema: 'schema/**/*.graphql',
  ignoreNoDocuments: true,
  generates: {
    'src/graphql': defineConfig({
      mode: 'merged',
      resolverRelativeTargetDir: 'resolvers',
      mappersRelativeTargetDir: '../src/graphql/mappers',
      emitLegacyCommonJSImports: false,
      mergeSchema: false,
      // Resolver objects are written by hand (FolderProfile's is built in a loop): never rewrite them.
      fixObjectTypeResolvers: 'disabled',
      scalarsOverrides: {
        DateTime: { type: { input: 'Date', output: 'Date | string' } },
        // A file of a multipart request (src/graphql/plugins/uploads.ts); never in an answer.
        Upload: { type: { input: 'import("../documents/fileUpload.js").FileUpload', output: 'never' } },
      },
      typesPluginsConfig: {
        contextType: '../context.js#GraphQLContext',
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
      },
    }),
    'schema.graphql': {
      plugins: ['schema-ast'],
      config: { includeDirectives: true, sort: false },
    },
    // Typed documents for client code (the client preset): each operation in the example app's
    // .graphql files becomes e.g. `SubfoldersDocument`, a TypedDocumentNode carrying its variables' and
    // result's types, which urql (or any client that takes one) checks at compile time.
    'examples/folder-browser/src/gql/': {
      documents: ['examples/folder-browser/src/**/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        emitLegacyCommonJSImports: false,
        enumType: 'string-literal',
        scalars: { DateTime: 'string' },
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
      },
    },
  },
};

export default config;
