/**
 * `return_to` may only point inside one of the configured prefixes: same scheme, host and port, and a
 * path at or below the prefix's path. Compared on parsed URLs, so `https://app.example.com.evil.test`,
 * `//evil.test`, `https://app.example.com@evil.test` or `/../` tricks cannot pass as a prefix.
 *
 * A path the app's own server may read differently from the URL parser is refused outright: encoded
 * slashes, backslashes and dots (`/return/..%2Fevil` is below `/return/` here, and `/evil` to a server
 * that decodes before it resolves), dot segments in any spelling, and `;` path parameters
 * (`/return/..;/evil` is `/evil` to servlet containers).
 */
const AMBIGUOUS_PATH = /%2f|%5c|%2e|\\|;/i;

export function isAllowedReturnUrl(candidate: string, allowed: readonly URL[]): URL | null {
  if (candidate.length > 2048 || !URL.canParse(candidate)) return null;
  const url = new URL(candidate);
  if (!/^https?:$/.test(url.protocol) || url.username || url.password) return null;
  if (AMBIGUOUS_PATH.test(url.pathname) || hasDotSegment(candidate)) return null;
  for (const prefix of allowed) {
    if (url.origin !== prefix.origin) continue;
    const base = prefix.pathname.endsWith('/') ? prefix.pathname : `${prefix.pathname}/`;
    if (url.pathname === prefix.pathname || url.pathname.startsWith(base)) return url;
  }
  return null;
}

/** `.` or `..` as a path segment of the text as given (the parser would have resolved them away). */
function hasDotSegment(candidate: string): boolean {
  const path = candidate.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '').split(/[?#]/, 1)[0]!;
  return path.split(/[/\\]/).some((segment) => segment === '.' || segment === '..');
}
