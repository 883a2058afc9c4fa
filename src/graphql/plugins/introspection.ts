import { MaxIntrospectionDepthRule, NoSchemaIntrospectionCustomRule, validate } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { limitExceeded } from '../errors.js';

/**
 * Introspection policy. Off (`INTROSPECTION=false`, the default outside sandbox mode): `__schema` and
 * `__type` are refused as invalid (`__typename` still works). On or off: circular introspection
 * (`fields { type { fields { type { fields … } } } }`, which multiplies with every level) is refused
 * before validation with `extensions.limit: "introspectionDepth"`, using graphql-js's own rule, which
 * lets GraphiQL's introspection query through.
 */
export function useIntrospectionPolicy(options: { enabled: boolean }): Plugin {
  return {
    onValidate({ params, addValidationRule }) {
      if (!options.enabled) addValidationRule(NoSchemaIntrospectionCustomRule);
      if (validate(params.schema, params.documentAST, [MaxIntrospectionDepthRule]).length > 0) {
        throw limitExceeded(
          'introspectionDepth',
          'Introspection may nest fields, interfaces, possibleTypes and inputFields at most three levels deep.',
        );
      }
    },
  };
}
