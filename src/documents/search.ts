import { folderNameSearch, SEARCH_PAGE_SIZE } from '../folders/search.js';
import type { DocumentRecord } from '../imanage/records.js';
import type { WireDocumentFilters } from '../imanage/wire.js';

/**
 * A library's document search (documents spec item 5), from the filter the API takes to iManage's
 * `filters`. Every filter is ANDed by iManage; the name is "any part of the name", built as for folders.
 */

/** What to look for, checked already (lengths, characters, dates, ids): see src/graphql/arguments.ts. */
export interface DocumentFilter {
  /** Any part of the name, ignoring case; `*` and `,` literal. */
  readonly name?: string | undefined;
  /** iManage's `anywhere`: whole words in the name, the comment and the text. */
  readonly fullText?: string | undefined;
  readonly type?: string | undefined;
  readonly extension?: string | undefined;
  readonly author?: string | undefined;
  readonly class?: string | undefined;
  readonly subclass?: string | undefined;
  /** Custom field number (1–30) to the value it must have. */
  readonly custom?: ReadonlyMap<number, string> | undefined;
  readonly editedAfter?: Date | undefined;
  readonly editedBefore?: Date | undefined;
  /** A folder or workspace id. */
  readonly container?: string | undefined;
  readonly includeSubtree?: boolean | undefined;
}

/** How one search reaches iManage and what it keeps of the answer. */
export interface DocumentSearch {
  readonly filters: WireDocumentFilters;
  /** Which results the list shows; all when absent. */
  readonly keep?: ((document: DocumentRecord) => boolean) | undefined;
  /** The iManage page size to fill a page of `first`: larger when names are checked here, as many may be left out. */
  pageSize(first: number): number;
}

export function documentSearch(filter: DocumentFilter): DocumentSearch {
  const filters: WireDocumentFilters = {};
  // Documents' `name` filter matches as folders' does (whole name, `*` wildcards, `,` alternatives):
  // the folder search's narrowing and check apply as they are.
  const name = filter.name === undefined ? undefined : folderNameSearch(filter.name);
  if (name?.filter !== undefined) filters.name = name.filter;
  if (filter.fullText !== undefined) filters.anywhere = filter.fullText;
  for (const key of ['type', 'extension', 'author', 'class', 'subclass'] as const) {
    const value = filter[key];
    if (value !== undefined) filters[key] = value;
  }
  for (const [field, value] of filter.custom ?? []) filters[`custom${field}`] = value;
  if (filter.editedAfter) filters.edit_date_from = filter.editedAfter.toISOString();
  if (filter.editedBefore) filters.edit_date_to = filter.editedBefore.toISOString();
  if (filter.container !== undefined) {
    filters.container_id = filter.container;
    if (filter.includeSubtree) filters.include_subtree = true;
  }
  const checked = name !== undefined && !name.exact;
  return {
    filters,
    keep: checked ? name.keep : undefined,
    pageSize: (first) => (checked ? Math.max(first, SEARCH_PAGE_SIZE) : first),
  };
}
