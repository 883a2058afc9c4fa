import type { Plugin } from 'graphql-yoga';

/**
 * A document that fails validation (unknown field, wrong argument type) is the caller's mistake:
 * give it the contract's BAD_USER_INPUT code instead of Yoga's GRAPHQL_VALIDATION_FAILED.
 */
export function useValidationErrorCode(): Plugin {
  return {
    onValidate() {
      return ({ valid, result }) => {
        if (valid) return;
        for (const error of result) (error.extensions as Record<string, unknown>).code = 'BAD_USER_INPUT';
      };
    },
  };
}
