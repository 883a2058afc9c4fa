import type { Plugin } from 'graphql-yoga';

/**
 * Outside sandbox mode (`FIELD_SUGGESTIONS=false`) error messages lose graphql-js's "Did you mean …?"
 * hints, which would let a caller without introspection map the schema by guessing. Applied to every
 * error of every answer (validation, variable coercion, parse), not only to validation's.
 */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, '');
}

export function useNoFieldSuggestions(): Plugin {
  return {
    onResultProcess({ result }) {
      for (const single of Array.isArray(result) ? result : [result]) {
        const errors = (single as { errors?: unknown } | null)?.errors;
        if (!Array.isArray(errors)) continue;
        for (const error of errors) {
          if (!(error instanceof Error)) continue;
          const message = withoutSuggestions(error.message);
          if (message !== error.message) error.message = message;
        }
      }
    },
  };
}
