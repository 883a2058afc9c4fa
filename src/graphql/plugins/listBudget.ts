import { useOnResolve } from '@envelop/on-resolve';
import type { ExecutionResult, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { AppError } from '../errors.js';

/**
 * A bound on the list items one operation answers, counted as it runs: every list a field returns
 * (a connection's `edges`, `versions`, `locations`, `path`, `documents(ids)`, `libraries`, …) adds its
 * length. The cost estimate (queryCost.ts) prices an unpaged list at a few items and the call budget
 * counts iManage calls, but lists read once and then served from the request's loaders cost neither:
 * `versions { versions { versions { … } } }` on a document of 30 versions is two iManage calls and
 * 30ⁿ objects. Past `maxItems`, each further list is null with COST_LIMIT_EXCEEDED
 * (`extensions.maxListItems`), and what was answered before arrives. The answer carries the first of
 * those errors only, with the number of lists left unfilled (`extensions.listsNotFilled`): one per
 * list would be thousands.
 */
export function useListBudget(maxItems: number): Plugin {
  const spent = new WeakMap<object, number>();
  const exceeded = () =>
    new AppError(
      'COST_LIMIT_EXCEEDED',
      `This operation reached its limit of ${maxItems} list items, so this field was not filled. Ask for less at once (smaller pages, fewer nested lists) and fetch the rest in another request.`,
      { maxListItems: maxItems },
    );
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(
        useOnResolve(({ context }) => ({ result, setResult }) => {
          if (!Array.isArray(result) || typeof context !== 'object' || context === null) return;
          const total = (spent.get(context) ?? 0) + result.length;
          spent.set(context, total);
          if (total > maxItems) setResult(exceeded());
        }),
      );
    },
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (!isSingle(result) || !result.errors) return;
          const over = result.errors.filter(isOverBudget);
          if (over.length <= 1) return;
          const first = over[0]!;
          const errors = result.errors.filter((error) => !isOverBudget(error) || error === first);
          Object.assign(first.extensions, { listsNotFilled: over.length });
          setResult({ ...result, errors });
        },
      };
    },
  };
}

function isSingle(result: unknown): result is ExecutionResult {
  return typeof result === 'object' && result !== null && !(Symbol.asyncIterator in result);
}

function isOverBudget(error: GraphQLError): boolean {
  return error.extensions?.maxListItems !== undefined;
}
