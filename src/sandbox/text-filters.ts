/**
 * How iManage matches the text filters of its list endpoints (reference §4.6, iManage's own parameter
 * docs). Matching is never "contains" unless the caller writes `*` where the API allows it:
 *
 * - whole field: the filter equals the field, ignoring case; `*` stands for any run of characters
 *   (spaces included), so `*corr*` is a partial match (folders `name`, `description`, `owner`,
 *   `name_or_description`; workspaces `name_or_description`, `owner`);
 * - alternatives: folders `name` takes a comma-separated list, any of which may match;
 * - words: workspaces `name` matches whole words of the name (`litigation,Enron` or `litigation
 *   Enron` = either word; a quoted phrase = those words in a row), and `*` is no wildcard there;
 * - `anywhere`: whole words, `_` read as a space, no `*`.
 */

/** Case folding for every comparison: the same text in NFC, lower case. */
function fold(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

/**
 * `pattern` against the whole of `field`, ignoring case; each `*` matches any run of characters.
 * The reference documents `*` before, after or on both sides; one in the middle is read the same way.
 */
export function matchesWholeField(field: string, pattern: string): boolean {
  const parts = fold(pattern).split('*');
  const text = fold(field);
  if (parts.length === 1) return text === parts[0];
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!text.startsWith(first) || text.length < first.length + last.length || !text.endsWith(last)) return false;
  // The middle parts in order, each as early as possible, between the fixed start and end.
  let at = first.length;
  const end = text.length - last.length;
  for (const part of parts.slice(1, -1)) {
    const found = text.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

/** Folder `name`: a comma-separated list of whole-field patterns, any of which may match. */
export function matchesAnyAlternative(field: string, list: string): boolean {
  return list
    .split(',')
    .map((alternative) => alternative.trim())
    .filter((alternative) => alternative !== '')
    .some((alternative) => matchesWholeField(field, alternative));
}

/** The words of a text: runs of letters and digits, folded. */
function wordsOf(text: string): string[] {
  return fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** True when `phrase` (words) occurs in `words` as consecutive entries. */
function containsPhrase(words: readonly string[], phrase: readonly string[]): boolean {
  if (phrase.length === 0) return false;
  for (let i = 0; i + phrase.length <= words.length; i++) {
    if (phrase.every((word, j) => words[i + j] === word)) return true;
  }
  return false;
}

/**
 * The terms of a word filter: quoted phrases, and otherwise what commas and spaces separate. A term
 * with a `*` stays as it is: `*` is no wildcard in these filters, and no word contains one.
 */
function termsOf(filter: string): string[] {
  const terms: string[] = [];
  const pattern = /"([^"]*)"|[^\s,"]+/g;
  for (const m of filter.matchAll(pattern)) terms.push(m[1] ?? m[0]);
  return terms.filter((term) => term.trim() !== '');
}

/** One term against a field's words: its words in a row (one word for a plain term); never with `*`. */
function termMatches(words: readonly string[], term: string): boolean {
  if (term.includes('*')) return false;
  return containsPhrase(words, wordsOf(term));
}

/** Workspace `name`: any term (word, or quoted phrase) among the whole words of the name. */
export function matchesAnyWord(field: string, filter: string): boolean {
  const words = wordsOf(field);
  return termsOf(filter).some((term) => termMatches(words, term));
}

/**
 * Workspace `anywhere`: every word of the filter (`_` read as a space) among the whole words of the
 * indexed fields. The reference does not say whether several words must all match; the sandbox
 * asks for all, as full-text searches do.
 */
export function matchesAllWords(fields: readonly string[], filter: string): boolean {
  const words = fields.flatMap(wordsOf);
  const terms = termsOf(filter.replaceAll('_', ' '));
  return terms.length > 0 && terms.every((term) => termMatches(words, term));
}
