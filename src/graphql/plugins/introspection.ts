import { MaxIntrospectionDepthRule, NoSchemaIntrospectionCustomRule, validate, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { limitExceeded } from '../errors.js';

/**
 * Introspection policy. Off (`INTROSPECTION=false`, the default outside sandbox mode): `__schema` and
 * `__type` are refused as invalid (`__typename` still works). On or off: circular introspection
 * (`fields { type { fields { type { fields … } } } }`, which multiplies with every level) is refused
 * before validation with `extensions.limit: "introspectionDepth"`, using graphql-js's own rule, which
 * lets GraphiQL's introspection query through.
 *
 * The depth check runs before Yoga's validation cache is consulted, so its verdict is remembered per
 * document: Yoga's parser cache hands the same `DocumentNode` for the same query text.
 */
export function useIntrospectionPolicy(options: { enabled: boolean }): Plugin {
  const tooDeep = new WeakMap<DocumentNode, boolean>();
  return {
    onValidate({ params, addValidationRule }) {
      if (!options.enabled) addValidationRule(NoSchemaIntrospectionCustomRule);
      let refused = tooDeep.get(params.documentAST);
      if (refused === undefined) {
        refused = validate(params.schema, params.documentAST, [MaxIntrospectionDepthRule]).length > 0;
        tooDeep.set(params.documentAST, refused);
      }
      if (refused) {
        throw limitExceeded('introspectionDepth', 'Introspection may nest fields, interfaces, possibleTypes and inputFields at most three levels deep.');
      }
    },
  };
}
