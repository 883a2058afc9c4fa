/**
 * `return_to` may only point inside one of the configured prefixes: same scheme, host and port, and a
 * path at or below the prefix's path. Compared on parsed URLs, so `https://app.example.com.evil.test`,
 * `//evil.test`, `https://app.example.com@evil.test` or `/../` tricks cannot pass as a prefix.
 */
export function isAllowedReturnUrl(candidate: string, allowed: readonly URL[]): URL | null {
  if (candidate.length > 2048 || !URL.canParse(candidate)) return null;
  const url = new URL(candidate);
  if (!/^https?:$/.test(url.protocol) || url.username || url.password) return null;
  for (const prefix of allowed) {
    if (url.origin !== prefix.origin) continue;
    const base = prefix.pathname.endsWith('/') ? prefix.pathname : `${prefix.pathname}/`;
    if (url.pathname === prefix.pathname || url.pathname.startsWith(base)) return url;
  }
  return null;
}
