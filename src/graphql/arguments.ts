import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { isLibraryId, parseContainerId, type ContainerId } from '../imanage/ids.js';
import { badInput, clip } from './errors.js';

/**
 * Arguments checked before anything reaches iManage (BAD_USER_INPUT naming the argument), and what a
 * resolver may read of the query itself.
 */

export function containerIdArg(value: string, what: 'folder' | 'workspace', argument = 'id'): ContainerId {
  const parsed = parseContainerId(value);
  if (!parsed) {
    throw badInput(`"${clip(value)}" is not an iManage ${what} id. Expected LIBRARY!number, e.g. ACTIVE_US!52811.`, argument);
  }
  return parsed;
}

export function libraryIdArg(value: string, argument = 'id'): string {
  if (!isLibraryId(value)) throw badInput(`"${clip(value)}" is not an iManage library id, e.g. ACTIVE_US.`, argument);
  return value;
}

/** A name filter as iManage takes it: trimmed, at most 254 characters, no control characters. */
export function nameFilterArg(value: string | null | undefined, argument = 'query'): string | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (trimmed.length > 254) throw badInput('`query` may be at most 254 characters.', argument);
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw badInput('`query` may not contain control characters.', argument);
  return trimmed === '' ? undefined : trimmed;
}

/**
 * Whether the field being resolved selects any of `names` directly (through fragments too), so that
 * what they need can be asked for at once. `@skip`/`@include` are not read: at worst one call too many.
 */
export function selects(info: GraphQLResolveInfo, names: readonly string[]): boolean {
  const spread = new Set<string>();
  const visit = (set: SelectionSetNode | undefined): boolean =>
    set?.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return names.includes(selection.name.value);
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet);
      if (spread.has(selection.name.value)) return false;
      spread.add(selection.name.value);
      return visit(info.fragments[selection.name.value]?.selectionSet);
    }) ?? false;
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}
