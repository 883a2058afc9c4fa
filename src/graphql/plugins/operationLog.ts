import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../../context.js';
import { maskError } from '../errors.js';

/**
 * One log line per executed operation: its name and type, duration, the iManage calls it made and
 * the error codes it returned. Never the query text's variables or any header.
 */
export function useOperationLog(): Plugin<GraphQLContext> {
  return {
    onExecute({ args }) {
      const started = performance.now();
      const context = args.contextValue;
      return {
        onExecuteDone({ result }) {
          if (!('errors' in result) && !('data' in result)) return; // streamed results are not used here
          const errors = 'errors' in result ? (result.errors ?? []) : [];
          const codes = errors.map((e) => {
            const code = (maskError(e) as { extensions?: { code?: unknown } }).extensions?.code ?? 'INTERNAL';
            // The cause of an unexpected error goes to the log only, never to the client.
            if (code === 'INTERNAL') context.logger.error({ err: e.originalError ?? e, path: e.path }, 'unexpected error');
            return code;
          });
          context.logger.info(
            {
              operation: args.operationName ?? null,
              durationMs: Math.round(performance.now() - started),
              upstreamCalls: context.upstreamCalls(),
              errorCodes: codes,
            },
            'graphql operation',
          );
        },
      };
    },
  };
}
