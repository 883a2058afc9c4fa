/**
 * What the passthrough (`ANY /imanage/{path}`, passthrough.ts) lets through: how a request's path is
 * read (`normalisePath`), and the `IMANAGE_PROXY_ALLOW` rules that decide on it (`parseProxyRules`,
 * `decide`). Pure functions, no I/O.
 *
 * The path is read the way a server would read it, once, here: percent-escapes decoded (strict UTF-8),
 * `.` and `..` resolved, empty segments (`//`, a trailing `/`) dropped. What the rules see is that
 * reading, compared ignoring ASCII case, and what iManage is sent is the same reading re-encoded, so
 * no spelling can mean one path to the rules and another to iManage. Anything a server might read in
 * more than one way is refused rather than guessed at: a backslash (raw or encoded), an encoded `/`,
 * `%` after decoding (double encoding), `;` (matrix parameters), a raw `#` or an encoded `?`, control,
 * invisible or unassigned characters, characters that Unicode's compatibility normalisation (NFKC)
 * changes (fullwidth `／` and `．`, the one-dot leader, the Kelvin sign, decomposed accents), overlong
 * or otherwise invalid UTF-8, a byte-order mark, segments of three or more dots, and segments ending in
 * a dot or a space or holding `:` (Windows servers trim the first two and read `::$DATA`). An encoded
 * `#` is data (library names may hold one: `R&D #2`) and goes on encoded.
 */

/** The path segment a caller writes for their customer id; filled from their iManage connection. */
export const CUSTOMER_ID = '{customerId}';

/** Longest path (after `/imanage`) and query accepted, in characters. */
export const MAX_PATH_LENGTH = 2048;
export const MAX_QUERY_LENGTH = 8192;

export type PathReading = { ok: true; segments: string[] } | { ok: false; reason: string };

/** RFC 3986 `pchar`s and `/`, less `;`, plus `{` `}` (sent raw by curl for `{customerId}`). */
const RAW_PATH = /^[A-Za-z0-9\-._~!$&'()*+,=:@%{}/]*$/;
/** Printable ASCII but `#`: the query goes to iManage as it came. */
const RAW_QUERY = /^[\x21-\x22\x24-\x7e]*$/;
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

/**
 * The decoded, resolved segments of `raw` (the request's path after `/imanage`, without the query),
 * or why it is refused.
 */
export function normalisePath(raw: string): PathReading {
  if (raw.length > MAX_PATH_LENGTH) return refuse(`the path is longer than ${MAX_PATH_LENGTH} characters`);
  if (!RAW_PATH.test(raw)) return refuse('the path holds a character that is not allowed in one as it is (a backslash, ";", "#", a non-ASCII byte, …)');
  const segments: string[] = [];
  for (const rawSegment of raw.split('/')) {
    const segment = decodeSegment(rawSegment);
    if (segment === null) return refuse('the path holds a malformed percent-escape or bytes that are not UTF-8');
    const oddity = oddityOf(segment);
    if (oddity !== null) return refuse(`a path segment holds ${oddity}`);
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) return refuse('".." goes above the root of the iManage host');
      segments.pop();
      continue;
    }
    segments.push(segment);
  }
  return { ok: true, segments };
}

/** The query as it may be forwarded, or null when it holds what no URL query should. */
export function checkQuery(raw: string): string | null {
  return raw.length <= MAX_QUERY_LENGTH && RAW_QUERY.test(raw) && !BAD_ESCAPE.test(raw) ? raw : null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** One percent-decoding, as strict UTF-8 (overlong forms and lone surrogates are errors); null when malformed. */
function decodeSegment(raw: string): string | null {
  if (!raw.includes('%')) return raw;
  if (BAD_ESCAPE.test(raw)) return null;
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '%') {
      bytes.push(parseInt(raw.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(raw.charCodeAt(i));
  }
  try {
    return utf8.decode(new Uint8Array(bytes));
  } catch {
    return null;
  }
}

/** What makes a decoded segment ambiguous, or null when it reads one way only. */
function oddityOf(segment: string): string | null {
  if (/\p{Cc}/u.test(segment)) return 'a control character';
  if (/[\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}]/u.test(segment)) return 'an invisible, private-use or unassigned character';
  if (/[^\P{Z} ]/u.test(segment)) return 'a space other than U+0020';
  if (/[/\\%;?:]/.test(segment)) return 'an encoded "/", "\\", "%", ";", "?" or ":"';
  if (segment.normalize('NFKC') !== segment) return 'a character that has a compatibility or composed form (fullwidth, ligature, decomposed accent, …)';
  // The two letters left (after NFKC took `ſ` and the Kelvin sign) whose simple case mapping in
  // Unicode is an ASCII letter: a case-insensitive server may read `dıalog-tokens` as `dialog-tokens`,
  // where the rules, which ignore ASCII case only, would not. (`ß` upper-cases to `SS` only in full
  // mapping, which comparisons ignoring case do not use: it stays a letter of names.)
  if (/[\u0130\u0131]/.test(segment)) return 'a letter whose upper or lower case is an ASCII letter (ı, İ)';
  if (/^\.{3,}$/.test(segment)) return 'only dots';
  if (segment !== '.' && segment !== '..' && /[. ]$/.test(segment)) return 'a trailing dot or space';
  if (segment.startsWith(' ')) return 'a leading space';
  return null;
}

function refuse(reason: string): PathReading {
  return { ok: false, reason };
}

// ---- the rules --------------------------------------------------------------------------------

export const PROXY_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type ProxyMethod = (typeof PROXY_METHODS)[number];

export interface ProxyRule {
  /** As written in `IMANAGE_PROXY_ALLOW` (trimmed): what a refusal names. */
  readonly text: string;
  /** `!` before the methods makes a rule that refuses. */
  readonly allow: boolean;
  readonly methods: ReadonlySet<ProxyMethod>;
  /** The path pattern as written (`/work/api/v2/customers/{customerId}/**`): a template of few values, for metrics. */
  readonly path: string;
  /** Lower-cased segments: literals, `*` (one segment), `**` (the rest, zero or more; last only). */
  readonly pattern: readonly string[];
}

/**
 * `IMANAGE_PROXY_ALLOW`'s default: reads (GET and HEAD) under the customer, except the dialog-token
 * exchange, whose answer is an access token (reference §2.1); plus the POSTs that only read: the
 * document, folder and workspace searches and the batch parents lookup (reference §4.1–§4.3, §5.3).
 */
export const DEFAULT_PROXY_ALLOW = [
  '!GET|HEAD /work/api/v2/customers/{customerId}/dialog-tokens/**',
  'GET|HEAD /work/api/v2/customers/{customerId}/**',
  'POST /work/api/v2/customers/{customerId}/libraries/*/documents/search',
  'POST /work/api/v2/customers/{customerId}/libraries/*/folders/search',
  'POST /work/api/v2/customers/{customerId}/libraries/*/workspaces/search',
  'POST /work/api/v2/customers/{customerId}/libraries/*/documents/parents',
].join(',');

const LITERAL = /^[A-Za-z0-9_.!~'()$&+=@-]+$/;

/**
 * Comma-separated rules, `[!]METHODS /pattern`: METHODS is `*` or methods joined by `|`; the pattern's
 * segments are literals (compared ignoring ASCII case), `{customerId}`, `*` (any one segment) or a
 * final `**` (any rest, none included). `none` is no rule at all (everything refused). Throws an
 * Error naming the first bad rule.
 */
export function parseProxyRules(text: string): ProxyRule[] {
  if (text.trim().toLowerCase() === 'none') return [];
  return text.split(',').map((raw, index) => {
    const rule = raw.trim();
    const bad = (why: string) => new Error(`rule ${index + 1} ("${rule.slice(0, 80)}") ${why}`);
    const match = /^(!?)(\S+)\s+(\/\S*)$/.exec(rule);
    if (!match) throw bad('is not "METHODS /path/pattern"');
    const [, bang, methodText, patternText] = match as unknown as [string, string, string, string];
    const names = methodText === '*' ? [...PROXY_METHODS] : methodText.toUpperCase().split('|');
    for (const name of names)
      if (!(PROXY_METHODS as readonly string[]).includes(name)) throw bad(`names the method "${name}": expected * or ${PROXY_METHODS.join('|')}`);
    const pattern = patternText === '/' ? [] : patternText.slice(1).split('/');
    pattern.forEach((segment, i) => {
      if (segment === '**' && i !== pattern.length - 1) throw bad('has "**" before its last segment');
      if (segment === '' || segment === '.' || segment === '..') throw bad('has an empty, "." or ".." segment');
      if (segment !== '*' && segment !== '**' && segment !== CUSTOMER_ID && !LITERAL.test(segment))
        throw bad(`has the segment "${segment}": expected letters, digits, _.!~'()$&+=@-, *, ** or {customerId}`);
    });
    return { text: rule, allow: bang === '', methods: new Set(names as ProxyMethod[]), path: patternText, pattern: pattern.map(lowerAscii) };
  });
}

export type Decision = { allowed: true; rule: ProxyRule } | { allowed: false; rule: ProxyRule | null };

/** The first rule matching `method` and `segments` decides; none matching refuses. */
export function decide(rules: readonly ProxyRule[], method: ProxyMethod, segments: readonly string[]): Decision {
  const lowered = segments.map(lowerAscii);
  for (const rule of rules) {
    if (rule.methods.has(method) && matches(rule.pattern, lowered)) return rule.allow ? { allowed: true, rule } : { allowed: false, rule };
  }
  return { allowed: false, rule: null };
}

/**
 * The first rule that refuses whose pattern matches the path, whatever its methods: a path such a rule
 * guards may hold a secret (a dialog token), so logs and refusals show the pattern in its place, for
 * every method.
 */
export function guardOf(rules: readonly ProxyRule[], segments: readonly string[]): ProxyRule | null {
  const lowered = segments.map(lowerAscii);
  return rules.find((rule) => !rule.allow && matches(rule.pattern, lowered)) ?? null;
}

function matches(pattern: readonly string[], segments: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i]!;
    if (want === '**') return true;
    const got = segments[i];
    if (got === undefined || (want !== '*' && want !== got)) return false;
  }
  return segments.length === pattern.length;
}

/** Only A–Z folded: Unicode case mappings (the Kelvin sign to `k`) must not make two paths one. */
function lowerAscii(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/**
 * The path as rules, logs and metrics see it, and as the client fills it: every segment after a
 * `customers` segment reads `{customerId}`. `named` lists what those segments said, for `namesOtherCustomer`.
 */
export function customerTemplate(segments: readonly string[]): { template: string[]; named: string[] } {
  const named: string[] = [];
  const template = segments.map((segment, i) => {
    if (i === 0 || lowerAscii(segments[i - 1]!) !== 'customers') return segment;
    named.push(segment);
    return CUSTOMER_ID;
  });
  return { template, named };
}

/** Whether a customer segment named another customer than the connection's: a caller reaches their own only. */
export function namesOtherCustomer(named: readonly string[], customerId: string): boolean {
  return named.some((segment) => lowerAscii(segment) !== lowerAscii(CUSTOMER_ID) && segment !== customerId);
}
