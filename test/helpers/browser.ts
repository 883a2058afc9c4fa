/**
 * What a browser does in the connect flow, done by hand: follow one redirect at a time, keep the
 * connect cookie, and fill in the sandbox's login form.
 */

export interface Hop {
  status: number;
  location: string | null;
  cookie: string | null;
  body: string;
}

export async function get(url: string, cookie?: string | null): Promise<Hop> {
  const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  return hop(res);
}

async function hop(res: Response): Promise<Hop> {
  const setCookie = res.headers.get('set-cookie');
  return { status: res.status, location: res.headers.get('location'), cookie: setCookie ? setCookie.split(';')[0]! : null, body: await res.text() };
}

/** Submits the sandbox's authorize page as a user would: its hidden fields, the credentials, a button. */
export async function submitLogin(authorizeUrl: string, username: string, password: string, action: 'allow' | 'deny' = 'allow'): Promise<Hop> {
  const page = await get(authorizeUrl);
  if (page.status !== 200) throw new Error(`authorize page answered ${page.status}: ${page.body.slice(0, 200)}`);
  const form = new URLSearchParams();
  for (const match of page.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(unescape(match[1]!), unescape(match[2]!));
  }
  form.set('username', username);
  form.set('password', password);
  form.set('action', action);
  const action_ = /<form[^>]*action="([^"]*)"/.exec(page.body)?.[1] ?? new URL(authorizeUrl).pathname;
  const target = new URL(unescape(action_), authorizeUrl);
  const res = await fetch(target, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  return hop(res);
}

function unescape(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
