import type { DocumentPageRequest } from '../imanage/client.js';
import { parseContainerId, parseDocumentId, sameId, type DocumentId } from '../imanage/ids.js';
import type { DocumentFilter } from '../documents/search.js';
import { badInput, clip } from './errors.js';
import type { DocumentFilter as DocumentFilterInput, DocumentOrder, DocumentOrderField } from './types.generated.js';

/**
 * The documents' arguments, checked before anything reaches iManage: BAD_USER_INPUT naming the
 * argument (`extensions.argument`, e.g. `filter.editedAfter`), as the folder arguments (arguments.ts).
 */

/** The most ids one `documents(ids:)` takes: a page's worth. */
export const MAX_DOCUMENT_IDS = 100;
/** The longest text filter, as iManage's own fields (name ≤ 254). */
const MAX_FILTER_CHARS = 254;
/** Dates iManage stores (SQL Server `datetime`) run from 1753 to 9999. */
const FIRST_YEAR = 1753;
const LAST_YEAR = 9999;

export function documentIdArg(value: string, argument = 'id'): DocumentId {
  const parsed = parseDocumentId(value);
  if (!parsed) {
    throw badInput(
      `"${clip(value)}" is not an iManage document id. Expected LIBRARY!number.version (e.g. ACTIVE_US!453.1), or LIBRARY!number for the latest version.`,
      argument,
    );
  }
  return parsed;
}

export function documentIdsArg(values: readonly string[]): string[] {
  if (values.length === 0 || values.length > MAX_DOCUMENT_IDS) throw badInput(`\`ids\` takes 1 to ${MAX_DOCUMENT_IDS} document ids.`, 'ids');
  return values.map((value, i) => documentIdArg(value, `ids.${i}`).id);
}

const SORT_BY: Record<DocumentOrderField, NonNullable<DocumentPageRequest['sortBy']>> = {
  NAME: 'name',
  EDIT_DATE: 'edit_date',
  CREATE_DATE: 'create_date',
  DOCUMENT_NUMBER: 'document_number',
  SIZE: 'size',
  TYPE: 'type',
};

/** `orderBy` as iManage's `sort_by` and `sort_order`; nothing when absent (iManage's natural order). */
export function documentOrderArg(order: DocumentOrder | null | undefined): Pick<DocumentPageRequest, 'sortBy' | 'sortOrder'> {
  if (!order) return {};
  return { sortBy: SORT_BY[order.field], sortOrder: order.direction === 'DESC' ? 'desc' : 'asc' };
}

/**
 * A text filter: trimmed, at most 254 characters, no control characters; blank means no filter. An
 * exact-match filter may not hold `,`, which iManage reads as a list of alternatives.
 */
function textFilter(value: string | null | undefined, field: string, exact: boolean): string | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  const argument = `filter.${field}`;
  if (trimmed.length > MAX_FILTER_CHARS) throw badInput(`\`${argument}\` may be at most ${MAX_FILTER_CHARS} characters.`, argument);
  if (/[\u0000-\u001f\u007f\u2028\u2029]/.test(trimmed)) throw badInput(`\`${argument}\` may not contain control characters.`, argument);
  if (exact && trimmed.includes(',')) throw badInput(`\`${argument}\` matches one value exactly and may not contain \`,\`.`, argument);
  return trimmed === '' ? undefined : trimmed;
}

function dateFilter(value: Date | null | undefined, field: string): Date | undefined {
  if (value == null) return undefined;
  const year = value.getUTCFullYear();
  if (Number.isNaN(value.getTime()) || year < FIRST_YEAR || year > LAST_YEAR) {
    throw badInput(`\`filter.${field}\` must be a date from year ${FIRST_YEAR} to ${LAST_YEAR}.`, `filter.${field}`);
  }
  return value;
}

const EXACT_FIELDS = ['type', 'extension', 'author', 'class', 'subclass'] as const;

/** `Library.documents(filter:)` checked, for the search of `library`. */
export function documentFilterArg(input: DocumentFilterInput | null | undefined, library: string): DocumentFilter {
  if (!input) return {};
  const custom = new Map<number, string>();
  for (let n = 1; n <= 30; n++) {
    const value = textFilter(input[`custom${n}` as keyof DocumentFilterInput] as string | null | undefined, `custom${n}`, true);
    if (value !== undefined) custom.set(n, value);
  }
  const editedAfter = dateFilter(input.editedAfter, 'editedAfter');
  const editedBefore = dateFilter(input.editedBefore, 'editedBefore');
  if (editedAfter && editedBefore && editedAfter > editedBefore)
    throw badInput('`filter.editedBefore` may not be before `filter.editedAfter`.', 'filter.editedBefore');
  let container: string | undefined;
  if (input.container != null) {
    const parsed = parseContainerId(input.container);
    if (!parsed)
      throw badInput(`"${clip(input.container)}" is not an iManage folder or workspace id. Expected LIBRARY!number, e.g. ACTIVE_US!52811.`, 'filter.container');
    if (!sameId(parsed.library, library))
      throw badInput(`\`filter.container\` is in library ${clip(parsed.library)}, not in ${clip(library)}, the library searched.`, 'filter.container');
    container = parsed.id;
  }
  if (input.includeSubtree && container === undefined) throw badInput('`filter.includeSubtree` needs `filter.container`.', 'filter.includeSubtree');
  const filter: DocumentFilter = {
    name: textFilter(input.name, 'name', false),
    fullText: textFilter(input.fullText, 'fullText', false),
    ...Object.fromEntries(EXACT_FIELDS.map((field) => [field, textFilter(input[field], field, true)])),
    custom,
    editedAfter,
    editedBefore,
    container,
    includeSubtree: input.includeSubtree === true,
  };
  return filter;
}
