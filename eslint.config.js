// The schema's quality gate (`npm run lint:schema`, run by CI): every type, field, argument and enum
// value described, names in the usual GraphQL casing, lists paged as Relay connections. The example
// app's operations are linted against the schema too. Only .graphql files are linted here.
import graphql from '@graphql-eslint/eslint-plugin';

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
    const words = (text) => text.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter((w) => w && !['the', 'a', 'an'].includes(w));
    const check = (node) => {
      if (!node.description || !node.name) return;
      const said = words(node.description.value);
      const name = words(node.name.value);
      if (said.length === 0 || said.join(' ') === name.join(' ')) context.report({ node: node.name, messageId: 'restates', data: { name: node.name.value } });
    };
    const kinds = ['ObjectTypeDefinition', 'InputObjectTypeDefinition', 'EnumTypeDefinition', 'ScalarTypeDefinition', 'InterfaceTypeDefinition', 'UnionTypeDefinition', 'FieldDefinition', 'InputValueDefinition', 'EnumValueDefinition'];
    return Object.fromEntries(kinds.map((kind) => [kind, check]));
  },
};

// One graphql-config for every block: the plugin loads it once per process and keeps it.
const graphQLConfig = { schema: 'schema/**/*.graphql', documents: 'examples/**/*.graphql' };
const languageOptions = { parser: graphql.parser, parserOptions: { graphQLConfig } };

export default [
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
            types: ['IManageConnection', 'PageInfo', 'FolderProfile', 'UserError'],
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
