// `npm run lint` (CI): the schema's quality gate (every type, field, argument and enum value
// described, names in the usual GraphQL casing, lists paged as Relay connections; the example app's
// operations checked against the schema), typescript-eslint on the TypeScript, and the import
// boundaries between the layers of src/ (STYLE.md's arrows).
import graphql from '@graphql-eslint/eslint-plugin';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

/**
 * A description worth reading says more than the name: `cursor: "Cursor."` or `name: "The name."`
 * passes require-description and teaches nothing. Flags descriptions whose words (ignoring "the",
 * "a", "an") are only the words of the name.
 */
const descriptionsSayMore = {
  meta: {
    type: 'suggestion',
    docs: { description: 'A description must say more than its name.' },
    messages: { restates: 'The description of "{{name}}" only repeats its name: say what it is, its format or an example.' },
    schema: [],
  },
  create(context) {
    const words = (text) =>
      text
        .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((w) => w && !['the', 'a', 'an'].includes(w));
    const check = (node) => {
      if (!node.description || !node.name) return;
      const said = words(node.description.value);
      const name = words(node.name.value);
      if (said.length === 0 || said.join(' ') === name.join(' ')) context.report({ node: node.name, messageId: 'restates', data: { name: node.name.value } });
    };
    const kinds = [
      'ObjectTypeDefinition',
      'InputObjectTypeDefinition',
      'EnumTypeDefinition',
      'ScalarTypeDefinition',
      'InterfaceTypeDefinition',
      'UnionTypeDefinition',
      'FieldDefinition',
      'InputValueDefinition',
      'EnumValueDefinition',
    ];
    return Object.fromEntries(kinds.map((kind) => [kind, check]));
  },
};

// One graphql-config for every block: the plugin loads it once per process and keeps it.
const graphQLConfig = { schema: 'schema/**/*.graphql', documents: 'examples/**/*.graphql' };
const languageOptions = { parser: graphql.parser, parserOptions: { graphQLConfig } };

/** The layers of src/, by folder; `app` is the rest, the wiring at the top (main, config, server, context, services, logger): listed last, it takes what no other layer does. */
const layers = [
  { type: 'sandbox', pattern: 'src/sandbox' },
  { type: 'imanage', pattern: 'src/imanage' },
  { type: 'auth', pattern: 'src/auth' },
  { type: 'audit', pattern: 'src/audit' },
  { type: 'domain', pattern: 'src/folders' },
  { type: 'domain', pattern: 'src/documents' },
  { type: 'graphql', pattern: 'src/graphql' },
  { type: 'http', pattern: 'src/http' },
  { type: 'app', pattern: 'src' },
];
const ours = ['imanage', 'auth', 'audit', 'domain', 'graphql', 'http', 'app'];
const importsOf = (from, types, why) => ({ from: { element: { type: from } }, disallow: { to: { element: { types: { anyOf: types } } } }, message: why });

/**
 * Static imports and re-exports (type-only ones too, except of the sandbox's types, which load none
 * of its code): main.ts loads the sandbox with `import()` in sandbox mode, the one way into it.
 */
const boundaryRules = [
  importsOf('imanage', ['graphql', 'auth', 'audit', 'domain', 'http', 'app', 'sandbox'], 'the iManage client knows no GraphQL, no app users and no workflow'),
  importsOf('auth', ['graphql', 'domain', 'http', 'sandbox'], 'auth knows no GraphQL and no HTTP routing'),
  importsOf('domain', ['graphql', 'http', 'sandbox'], 'the domain knows no GraphQL and no HTTP'),
  importsOf('audit', ['graphql', 'imanage', 'domain', 'http', 'app', 'sandbox'], 'the audit trail knows rows and ids: no GraphQL, no HTTP, no iManage client'),
  importsOf('sandbox', ours, 'the sandbox is written from the reference and shares no code with the service'),
  {
    from: { element: { types: { anyOf: ours } } },
    disallow: { to: { element: { type: 'sandbox' } }, dependency: { kind: 'value' } },
    message: 'load the sandbox with import(), in sandbox mode only',
  },
];

export default [
  {
    ignores: [
      'dist/**',
      'bench/.build/**',
      'node_modules/**',
      '**/node_modules/**',
      'src/graphql/*.generated.ts',
      'examples/*/src/gql/**',
      'examples/*/dist/**',
      'test-artifacts/**',
    ],
  },
  ...tseslint.configs.recommended.map((config) => ({ ...config, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    rules: {
      // `_`-prefixed names are deliberately unused (a callback's position, a destructured rest).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Tests and the bench read untyped JSON answers as `any` on purpose.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'examples/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': layers,
      // Static imports and re-exports; `import()` is left out, so that it stays the way into the sandbox.
      'boundaries/dependency-nodes': ['import', 'export'],
      'import/resolver': { typescript: { project: './tsconfig.json' } },
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'allow', policies: boundaryRules }],
    },
  },
  {
    files: ['schema/**/*.graphql'],
    languageOptions,
    plugins: { '@graphql-eslint': graphql, schema: { rules: { 'descriptions-say-more': descriptionsSayMore } } },
    rules: {
      ...graphql.configs['flat/schema-recommended'].rules,
      'schema/descriptions-say-more': 'error',
      ...graphql.configs['flat/schema-relay'].rules,
      // GraphiQL's docs are the documentation: nothing a client can see goes undescribed.
      '@graphql-eslint/require-description': [
        'error',
        {
          types: true,
          rootField: true,
          FieldDefinition: true,
          InputValueDefinition: true,
          EnumValueDefinition: true,
          DirectiveDefinition: true,
        },
      ],
      // Descriptions are `"…"` or `"""…"""` as fits the text; `#` comments are not descriptions.
      '@graphql-eslint/description-style': 'off',
      // Objects with an identity carry iManage's `id: ID!`; these are values, not entities.
      '@graphql-eslint/strict-id-in-types': [
        'error',
        {
          acceptedIdNames: ['id'],
          acceptedIdTypes: ['ID'],
          exceptions: {
            types: ['IManageConnection', 'PageInfo', 'FolderProfile', 'DocumentProfile', 'UserError'],
            suffixes: ['Connection', 'Edge', 'Payload'],
          },
        },
      ],
      // iManage pages forward only: `first`/`after`, no `last`/`before`.
      '@graphql-eslint/relay-arguments': ['error', { includeBoth: false }],
      // Short lists that are not paged (a customer's libraries, a folder's path) are plain lists, and
      // iManage objects do not share a `Node` interface.
      '@graphql-eslint/relay-edge-types': ['error', { withEdgeSuffix: true, shouldImplementNode: false, listTypeCanWrapOnlyEdgeType: false }],
      // A mutation takes one `input` argument of type `<Mutation>Input`.
      '@graphql-eslint/input-name': ['error', { checkInputType: true, caseSensitiveInputType: false, checkQueries: false, checkMutations: true }],
    },
  },
  {
    files: ['examples/**/*.graphql'],
    languageOptions,
    plugins: { '@graphql-eslint': graphql },
    rules: {
      ...graphql.configs['flat/operations-recommended'].rules,
    },
  },
];
