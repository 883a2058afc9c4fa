/**
 * Whether a request may be for `path`, from the text of its URL: the plugins that serve a route of
 * their own ask this before `url.pathname`, which makes Yoga parse the URL (it builds it on first
 * use), so that a GraphQL request, for none of those routes, is not parsed for them. A URL whose
 * pathname is `path` holds it literally (the parser resolves dot segments but leaves the rest of a
 * path as sent); one the parser would rewrite into it (`\readyz`) is answered like any unknown path.
 */
export function mayBeFor(request: Request, path: string): boolean {
  return request.url.includes(path);
}
