import { defaultFieldResolver, isIntrospectionType, isObjectType, responsePathAsArray, type GraphQLField } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Tracing } from '../../telemetry/index.js';
import { underPendingSpan } from '../../telemetry/spans.js';
import { maskedCode } from '../errors.js';

/**
 * Spans of GraphQL operations, with tracing on (`OTEL_*`): Envelop's OpenTelemetry plugin makes the
 * operation's span, under the caller's `traceparent` (the router makes it the active context), and
 * every resolver of ours runs under a pending span named `Type.field` (src/telemetry/spans.ts), which
 * is recorded only when the resolver starts a DataLoader batch or an iManage call that waits on
 * iManage. Fields resolved by graphql-js's default resolver (a property of the parent) never wait and
 * are not wrapped at all.
 */
export function useTracing(tracing: Tracing): Plugin {
  const wrapped = new WeakSet<GraphQLField<unknown, unknown>>();
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(tracing.operationPlugin() as Plugin);
    },
    // The codes the caller got, on the operation's span. Envelop's plugin marks the span failed and
    // records the errors unmasked (their messages are scrubbed at export, src/telemetry/errorMessages.ts):
    // this says what they were, as codes only. Its span is made in its `onExecute`, after this one
    // (it is added after this plugin), and ended in its `onExecuteDone`, also after this one.
    onExecute({ args }) {
      return {
        onExecuteDone({ result }) {
          const errors = 'errors' in result ? result.errors : undefined;
          if (!errors?.length) return;
          const span = tracing.operationSpan(args.contextValue);
          const codes = [...new Set(errors.map(maskedCode))];
          span?.setAttributes({ 'error.type': codes[0]!, 'graphql.error.codes': codes });
        },
      };
    },
    onSchemaChange({ schema }) {
      for (const type of Object.values(schema.getTypeMap())) {
        if (!isObjectType(type) || isIntrospectionType(type)) continue;
        for (const field of Object.values(type.getFields())) {
          const resolve = field.resolve;
          if (!resolve || resolve === defaultFieldResolver || wrapped.has(field)) continue;
          const name = `${type.name}.${field.name}`;
          field.resolve = (source, args, context, info) =>
            underPendingSpan(
              tracing.tracer,
              name,
              () => ({
                'graphql.resolver.typeName': type.name,
                'graphql.resolver.fieldName': field.name,
                // Where in the answer: `customer.libraries.0.workspaces` (ids are not in it).
                'graphql.resolver.path': responsePathAsArray(info.path).join('.'),
              }),
              () => resolve(source, args, context, info),
            );
          wrapped.add(field);
        }
      }
    },
  };
}
