import { BREAK, Kind, print, visit, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { clip, limitExceeded } from '../errors.js';

/**
 * A cap on identical selections: one field with the same arguments selected over and over in one
 * selection set, e.g. 500 aliased `__typename`. Aliased copies are each executed and each answered;
 * unaliased copies are merged, but graphql-js compares every pair of them while validating, work that
 * grows with the square of their number (graphql-js gives up past a budget, but only once it is spent).
 * Inline fragments and fragment spreads are merged into the selection set they sit in (as execution
 * merges them); spreading one fragment twice counts once.
 *
 * Checked before graphql-js validates the document, so that comparison never starts; that is also
 * before Yoga's validation cache, so the verdict is remembered per document (Yoga's parser cache hands
 * the same `DocumentNode` for the same query text).
 */
export function useIdenticalSelectionLimit(max: number): Plugin {
  const verdicts = new WeakMap<DocumentNode, { field: string; count: number } | null>();
  return {
    onValidate({ params }) {
      let found = verdicts.get(params.documentAST);
      if (found === undefined) {
        found = findIdenticalSelections(params.documentAST, max);
        verdicts.set(params.documentAST, found);
      }
      if (found) {
        throw limitExceeded(
          'identicalSelections',
          `"${clip(found.field, 40)}" is selected ${found.count} times with the same arguments in one selection set; the limit is ${max}.`,
        );
      }
    },
  };
}

/** The first field selected more than `max` times with the same arguments in one selection set, if any. */
export function findIdenticalSelections(document: DocumentNode, max: number): { field: string; count: number } | null {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  let found: { field: string; count: number } | null = null;
  visit(document, {
    SelectionSet(node) {
      found = mostRepeated(node, fragments, max);
      return found ? BREAK : undefined;
    },
  });
  return found;
}

/** The field selected most often in this selection set when that is more than `max` times. */
function mostRepeated(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, max: number) {
  const counts = new Map<string, { field: string; count: number }>();
  const spread = new Set<string>();
  const walk = (selections: SelectionSetNode): void => {
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        const args = selection.arguments?.length
          ? `(${selection.arguments
              .map((a) => `${a.name.value}:${print(a.value)}`)
              .sort()
              .join(',')})`
          : '';
        const key = selection.name.value + args;
        const entry = counts.get(key);
        if (entry) entry.count += 1;
        else counts.set(key, { field: selection.name.value, count: 1 });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || spread.has(fragment.name.value)) continue;
        spread.add(fragment.name.value);
        walk(fragment.selectionSet);
      }
    }
  };
  walk(set);
  let worst: { field: string; count: number } | null = null;
  for (const entry of counts.values()) if (entry.count > max && (!worst || entry.count > worst.count)) worst = entry;
  return worst;
}
