/**
 * Text search as CONTRACT §5 promises it: `query` finds objects by any part of the name, ignoring
 * case, with `*` and `,` in the text taken literally. iManage matches differently (reference §4.6):
 * whole fields, `*` as a wildcard, `,` between alternatives, and workspace names by whole words only.
 * So iManage's filter only narrows the list (to names holding the longest run of the text free of `*`
 * and `,`), and each name is then checked against the whole text here.
 */

/** How one search reaches iManage and what it keeps of the answer. */
export interface NameSearch {
  /** The run of the text iManage is asked for, with `*` around it; undefined when none is usable. */
  readonly filter: string | undefined;
  /** True when iManage's filter alone matches exactly what `keep` keeps (so pages come back full). */
  readonly exact: boolean;
  /** Whether a name holds the text, ignoring case. */
  keep(item: { name: string }): boolean;
}

function fold(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

/** The longest stretch of `text` without `*` or `,` (trimmed), or '' when there is none. */
function longestPlainRun(text: string): string {
  return text
    .split(/[*,]/)
    .map((run) => run.trim())
    .reduce((longest, run) => (run.length > longest.length ? run : longest), '');
}

function nameSearch(text: string, wildcardFilterIsExact: boolean): NameSearch {
  const wanted = fold(text);
  const run = longestPlainRun(text);
  return {
    filter: run === '' ? undefined : `*${run}*`,
    exact: wildcardFilterIsExact && run === text,
    keep: (item) => fold(item.name).includes(wanted),
  };
}

/**
 * Folders: iManage's folder `name` filter takes `*`, so `*text*` is already "any part of the name"
 * when the text has no `*` or `,` of its own.
 */
export function folderNameSearch(text: string): NameSearch {
  return nameSearch(text, true);
}

/**
 * Workspaces: iManage's workspace `name` filter matches whole words only and takes no `*`, so the
 * search goes through `name_or_description`, which does; it also matches descriptions, so every
 * name is checked here.
 */
export function workspaceNameSearch(text: string): NameSearch {
  return nameSearch(text, false);
}

/** iManage pages read while filtering a search: larger than a GraphQL page, as many names are left out. */
export const SEARCH_PAGE_SIZE = 50;
