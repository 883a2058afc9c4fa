import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { GraphQLContext } from '../../context.js';
import { maskedCode } from '../errors.js';

/**
 * One log line per executed operation: its request id, name and type, duration, the iManage calls it
 * made and the error codes it returned. Never the query text's variables or any header.
 *
 * The line is written by a child of `logger` without the redaction paths: every field is built here
 * from numbers, codes and the operation's name, so there is nothing to redact, and pino's wildcard
 * redaction was the largest part of the line's cost (this line is written for every request). The
 * cause of an unexpected error goes through the request's own logger, redaction and all.
 */
export function useOperationLog(logger: Logger): Plugin<GraphQLContext> {
  const lines = logger.child({}, { redact: [] });
  return {
    onExecute({ args }) {
      const started = performance.now();
      const context = args.contextValue;
      return {
        onExecuteDone({ result }) {
          if (!('errors' in result) && !('data' in result)) return; // streamed results are not used here
          const errors = 'errors' in result ? (result.errors ?? []) : [];
          const codes = errors.map((e) => {
            const code = maskedCode(e);
            // The cause of an unexpected error goes to the log only, never to the client.
            if (code === 'INTERNAL') context.logger().error({ err: e.originalError ?? e, path: e.path }, 'unexpected error');
            return code;
          });
          if (!lines.isLevelEnabled('info')) return;
          lines.info(
            {
              requestId: context.requestId,
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
