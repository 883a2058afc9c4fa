import { useGraphQlJit } from '@envelop/graphql-jit';
import { GraphQLError, type DocumentNode, type ExecutionResult, type Source, type SourceLocation } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Runs an operation as JavaScript compiled from its document (graphql-jit) from the document's second
 * execution on; the first runs on graphql-js, so a document sent once (a developer's query in
 * GraphiQL) is never compiled. Compiled once per document: Yoga's parser cache hands the same
 * DocumentNode for the same text, and a compiled query goes when its document leaves that cache.
 *
 * Measured side by side (BENCHMARKS.md): 10–40 % less CPU per request where an answer has many
 * fields. A document that does not compile (an unknown operation name) is answered with its errors,
 * which the client gets; nothing is printed.
 *
 * graphql-jit's field errors carry their locations but not the nodes they came from, and Yoga
 * rebuilds every error from its nodes (or source and positions) when it writes the answer, which
 * would drop them: they are given their source and positions back here, before the errors are
 * masked, so a compiled run answers exactly as graphql-js does (test/jit.test.ts).
 */
export function useCompiledExecution(): Plugin {
  const seen = new WeakSet<DocumentNode>();
  const jit = useGraphQlJit(
    {},
    {
      enableIf: ({ document }) => {
        if (seen.has(document)) return true;
        seen.add(document);
        return false;
      },
      onError: () => {},
    },
  ) as Plugin;
  return {
    onExecute(payload) {
      // Synchronous: `enableIf` above is, so the plugin decides at once (it returns no promise).
      void jit.onExecute?.(payload);
      const source = payload.args.document.loc?.source;
      if (!source) return;
      return {
        onExecuteDone({ result, setResult }) {
          const { errors } = result as ExecutionResult;
          if (!errors?.some(lacksNodes)) return;
          setResult({ ...(result as ExecutionResult), errors: errors.map((error) => (lacksNodes(error) ? locate(error, source) : error)) });
        },
      };
    },
  };
}

const lacksNodes = (error: GraphQLError) => error.nodes === undefined && error.source === undefined && error.locations !== undefined && error.locations.length > 0;

function locate(error: GraphQLError, source: Source): GraphQLError {
  return new GraphQLError(error.message, {
    source,
    positions: positionsOf(source.body, error.locations!),
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}

/** Offsets in `body` of line-and-column locations (lines end as the GraphQL spec says: \r\n, \n or \r). */
function positionsOf(body: string, locations: readonly SourceLocation[]): number[] {
  const lineStarts = [0];
  for (const end of body.matchAll(/\r\n|[\n\r]/g)) lineStarts.push(end.index + end[0].length);
  return locations.map(({ line, column }) => (lineStarts[line - 1] ?? 0) + column - 1);
}
