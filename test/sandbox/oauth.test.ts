import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { form, get, login, pkce, postToken } from './helpers.js';

let sb: Sandbox;
let now = Date.UTC(2025, 0, 6, 9, 0, 0);
const REDIRECT = 'http://localhost:4000/connect/imanage/callback';

beforeAll(async () => {
  sb = await startSandbox({ clock: () => now, redirectUris: ['https://app.example.test/callback'] });
});
afterAll(async () => {
  await sb.close();
});

function authorizeParams(extra: Record<string, string> = {}): Record<string, string> {
  return {
    response_type: 'code',
    client_id: sb.apps.default.clientId,
    redirect_uri: REDIRECT,
    scope: 'user',
    state: 'st-123',
    ...extra,
  };
}

async function submitLogin(fields: Record<string, string>): Promise<Response> {
  return fetch(`${sb.url}/auth/oauth2/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form(fields),
    redirect: 'manual',
  });
}

/** Runs the browser part of the code flow as the demo user; returns the code. */
async function obtainCode(extra: Record<string, string> = {}): Promise<string> {
  const res = await submitLogin({ ...authorizeParams(extra), username: sb.users.demo!.id, password: sb.users.demo!.password, action: 'allow' });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  expect(location.searchParams.get('state')).toBe(extra.state ?? 'st-123');
  return location.searchParams.get('code')!;
}

describe('authorize endpoint', () => {
  it('renders an HTML login form carrying the request in hidden fields', async () => {
    const url = new URL('/auth/oauth2/authorize', sb.url);
    for (const [k, v] of Object.entries(authorizeParams({ code_challenge: pkce().challenge, code_challenge_method: 'S256' }))) url.searchParams.set(k, v);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<form method="post" action="/auth/oauth2/authorize">');
    expect(html).toContain('name="username"');
    expect(html).toContain('name="password"');
    expect(html).toMatch(/value="allow">Allow</);
    expect(html).toMatch(/value="deny">Deny</);
    expect(html).toContain('name="code_challenge"');
    expect(html).toContain(`value="${REDIRECT}"`);
  });

  it('answers 400 HTML, never a redirect, for an unknown client or an unregistered redirect URI', async () => {
    for (const params of [
      authorizeParams({ client_id: 'nobody' }),
      authorizeParams({ redirect_uri: 'https://evil.example/cb' }),
      authorizeParams({ redirect_uri: 'http://localhost:4000/cb#frag' }),
    ]) {
      const url = new URL('/auth/oauth2/authorize', sb.url);
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
      const res = await fetch(url, { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      await res.text();
    }
  });

  it('accepts loopback redirect URIs on any port and configured ones exactly', async () => {
    for (const redirect of ['http://127.0.0.1:9999/x', 'http://localhost/y', 'https://app.example.test/callback']) {
      const url = new URL('/auth/oauth2/authorize', sb.url);
      for (const [k, v] of Object.entries(authorizeParams({ redirect_uri: redirect }))) url.searchParams.set(k, v);
      const res = await fetch(url);
      expect(res.status).toBe(200);
      await res.text();
    }
  });

  it('redirects other request errors back to the client with state', async () => {
    const url = new URL('/auth/oauth2/authorize', sb.url);
    for (const [k, v] of Object.entries(authorizeParams({ scope: 'everything' }))) url.searchParams.set(k, v);
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_scope');
    expect(location.searchParams.get('state')).toBe('st-123');
  });

  it('re-renders the form with an error on a wrong password', async () => {
    const res = await submitLogin({ ...authorizeParams(), username: 'JSMITH', password: 'wrong', action: 'allow' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Incorrect user name or password');
    expect(html).toContain('value="JSMITH"');
  });

  it('Deny redirects with error=access_denied and the state', async () => {
    const res = await submitLogin({ ...authorizeParams(), action: 'deny' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('st-123');
    expect(location.searchParams.get('code')).toBeNull();
  });
});

describe('authorization_code grant', () => {
  it('exchanges a PKCE-bound code for tokens that work on the API', async () => {
    const { verifier, challenge } = pkce();
    const code = await obtainCode({ code_challenge: challenge, code_challenge_method: 'S256' });
    const res = await postToken(sb, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      client_id: sb.apps.default.clientId,
      client_secret: sb.apps.default.clientSecret,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ token_type: 'bearer', expires_in: 1800, scope: 'user' });
    expect(typeof res.body.access_token).toBe('string');
    expect(typeof res.body.refresh_token).toBe('string');
    const api = await get(sb, res.body.access_token, '/api');
    expect(api.status).toBe(200);
    expect(api.body.data.user.id).toBe('JSMITH');
  });

  it('refuses a wrong code_verifier, and the code is burnt afterwards', async () => {
    const { challenge, verifier } = pkce();
    const code = await obtainCode({ code_challenge: challenge, code_challenge_method: 'S256' });
    const base = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: sb.apps.default.clientId,
      client_secret: sb.apps.default.clientSecret,
    };
    const wrong = await postToken(sb, { ...base, code_verifier: pkce().verifier });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_grant');
    const retry = await postToken(sb, { ...base, code_verifier: verifier });
    expect(retry.status).toBe(400);
    expect(retry.body.error).toBe('invalid_grant');
  });

  it('requires the verifier when a challenge was sent', async () => {
    const code = await obtainCode({ code_challenge: pkce().challenge, code_challenge_method: 'S256' });
    const res = await postToken(sb, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: sb.apps.default.clientId,
      client_secret: sb.apps.default.clientSecret,
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('refuses a replayed code and revokes what the first exchange issued', async () => {
    const code = await obtainCode();
    const fields = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: sb.apps.default.clientId,
      client_secret: sb.apps.default.clientSecret,
    };
    const first = await postToken(sb, fields);
    expect(first.status).toBe(200);
    const replay = await postToken(sb, fields);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
    expect((await get(sb, first.body.access_token, '/api')).status).toBe(401);
  });

  it('binds the code to redirect_uri and client', async () => {
    const code1 = await obtainCode();
    const mismatch = await postToken(sb, {
      grant_type: 'authorization_code',
      code: code1,
      redirect_uri: 'http://localhost:4000/other',
      client_id: sb.apps.default.clientId,
      client_secret: sb.apps.default.clientSecret,
    });
    expect(mismatch.body.error).toBe('invalid_grant');
    const code2 = await obtainCode();
    const otherClient = await postToken(sb, {
      grant_type: 'authorization_code',
      code: code2,
      redirect_uri: REDIRECT,
      client_id: sb.apps.noRefresh.clientId,
      client_secret: sb.apps.noRefresh.clientSecret,
    });
    expect(otherClient.body.error).toBe('invalid_grant');
  });

  it('expires codes after 60 seconds', async () => {
    const code = await obtainCode();
    now += 61_000;
    const res = await postToken(sb, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: sb.apps.default.clientId,
      client_secret: sb.apps.default.clientSecret,
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('accepts client authentication by HTTP Basic', async () => {
    const code = await obtainCode();
    const basic = Buffer.from(`${sb.apps.default.clientId}:${sb.apps.default.clientSecret}`).toString('base64');
    const res = await postToken(sb, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, { authorization: `Basic ${basic}` });
    expect(res.status).toBe(200);
  });
});

describe('password grant and client errors', () => {
  it('issues tokens for a valid user (user id case-insensitive)', async () => {
    const res = await postToken(sb, {
      grant_type: 'password',
      username: 'jsmith',
      password: sb.users.demo!.password,
      client_id: sb.apps.default.clientId,
      client_secret: sb.apps.default.clientSecret,
    });
    expect(res.status).toBe(200);
    expect(res.body.refresh_token).toBeDefined();
    expect(res.body.scope).toBe('user');
  });

  it('refuses a wrong password with invalid_grant', async () => {
    const res = await postToken(sb, {
      grant_type: 'password',
      username: 'JSMITH',
      password: 'nope',
      client_id: sb.apps.default.clientId,
      client_secret: sb.apps.default.clientSecret,
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
    expect(typeof res.body.error_description).toBe('string');
  });

  it('refuses a wrong client secret with 401 invalid_client', async () => {
    const res = await postToken(sb, {
      grant_type: 'password',
      username: 'JSMITH',
      password: sb.users.demo!.password,
      client_id: sb.apps.default.clientId,
      client_secret: 'bad',
    });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it('reports unsupported grants, bad scopes and bad requests', async () => {
    const client = { client_id: sb.apps.default.clientId, client_secret: sb.apps.default.clientSecret };
    expect((await postToken(sb, { grant_type: 'client_credentials', ...client })).body.error).toBe('unsupported_grant_type');
    expect((await postToken(sb, { ...client })).body.error).toBe('invalid_request');
    const badScope = await postToken(sb, { grant_type: 'password', username: 'JSMITH', password: sb.users.demo!.password, scope: 'root', ...client });
    expect(badScope.body.error).toBe('invalid_scope');
    const adminScope = await postToken(sb, { grant_type: 'password', username: 'JSMITH', password: sb.users.demo!.password, scope: 'admin', ...client });
    expect(adminScope.body.error).toBe('invalid_scope');
    const admin = await postToken(sb, {
      grant_type: 'password',
      username: sb.users.admin!.id,
      password: sb.users.admin!.password,
      scope: 'user admin',
      ...client,
    });
    expect(admin.status).toBe(200);
    expect(admin.body.scope).toBe('user admin');
    const json = await fetch(`${sb.url}/auth/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'password' }),
    });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: string }).error).toBe('invalid_request');
  });
});

describe('refresh_token grant', () => {
  it('rotates: the new refresh token works, the old one is refused, the newer one survives that', async () => {
    const first = await login(sb);
    const r1 = await postToken(sb, { grant_type: 'refresh_token', refresh_token: first.refresh_token! });
    expect(r1.status).toBe(200);
    expect(r1.body.refresh_token).toBeDefined();
    expect(r1.body.refresh_token).not.toBe(first.refresh_token);
    expect((await get(sb, r1.body.access_token, '/api')).status).toBe(200);

    const reuse = await postToken(sb, { grant_type: 'refresh_token', refresh_token: first.refresh_token! });
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe('invalid_grant');

    const r2 = await postToken(sb, {
      grant_type: 'refresh_token',
      refresh_token: r1.body.refresh_token!,
      client_id: sb.apps.default.clientId,
      client_secret: sb.apps.default.clientSecret,
    });
    expect(r2.status).toBe(200);
  });

  it('checks client credentials when they are sent', async () => {
    const t = await login(sb);
    const wrongSecret = await postToken(sb, {
      grant_type: 'refresh_token',
      refresh_token: t.refresh_token!,
      client_id: sb.apps.default.clientId,
      client_secret: 'bad',
    });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body.error).toBe('invalid_client');
    const otherApp = await postToken(sb, {
      grant_type: 'refresh_token',
      refresh_token: t.refresh_token!,
      client_id: sb.apps.noRefresh.clientId,
      client_secret: sb.apps.noRefresh.clientSecret,
    });
    expect(otherApp.body.error).toBe('invalid_grant');
  });

  it('never gives the noRefresh app a refresh token', async () => {
    const t = await login(sb, 'demo', 'noRefresh');
    expect(t.access_token).toBeDefined();
    expect(t.refresh_token).toBeUndefined();
    expect('refresh_token' in t).toBe(false);
  });

  it('expires refresh tokens after refreshTokenSeconds and honours revokeRefreshTokens', async () => {
    const short = await startSandbox({ refreshTokenSeconds: 60, clock: () => now });
    try {
      const t = await login(short);
      now += 61_000;
      const expired = await postToken(short, { grant_type: 'refresh_token', refresh_token: t.refresh_token! });
      expect(expired.body.error).toBe('invalid_grant');
      const t2 = await login(short, 'second');
      short.knobs.revokeRefreshTokens(short.users.second!.id);
      const revoked = await postToken(short, { grant_type: 'refresh_token', refresh_token: t2.refresh_token! });
      expect(revoked.body.error).toBe('invalid_grant');
    } finally {
      await short.close();
    }
  });
});

describe('revoke-token', () => {
  const revoke = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${sb.url}/auth/oauth2/revoke-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: form(fields),
    });

  it('revokes exactly the access token named by access_token: its refresh token still works', async () => {
    const t = await login(sb);
    const res = await revoke({ access_token: t.access_token }, { 'x-auth-token': t.access_token });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect((await get(sb, t.access_token, '/api')).status).toBe(401);
    const refresh = await postToken(sb, { grant_type: 'refresh_token', refresh_token: t.refresh_token! });
    expect(refresh.status).toBe(200);
  });

  it('revokes a refresh token sent as RFC 7009 token + token_type_hint=refresh_token, leaving the access token alive until idle', async () => {
    const t = await login(sb);
    const { clientId, clientSecret } = sb.apps.default;
    const res = await revoke({ token: t.refresh_token!, token_type_hint: 'refresh_token', client_id: clientId, client_secret: clientSecret });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const refresh = await postToken(sb, { grant_type: 'refresh_token', refresh_token: t.refresh_token! });
    expect(refresh.body.error).toBe('invalid_grant');
    expect((await get(sb, t.access_token, '/api')).status).toBe(200);
  });

  it('takes the token from X-Auth-Token when the form names none, and `token` without a hint', async () => {
    const a = await login(sb);
    const byHeader = await revoke({}, { 'x-auth-token': a.access_token });
    expect(byHeader.status).toBe(200);
    await byHeader.arrayBuffer();
    expect((await get(sb, a.access_token, '/api')).status).toBe(401);
    const b = await login(sb);
    const byToken = await revoke({ token: b.refresh_token! });
    expect(byToken.status).toBe(200);
    await byToken.arrayBuffer();
    expect((await postToken(sb, { grant_type: 'refresh_token', refresh_token: b.refresh_token! })).body.error).toBe('invalid_grant');
  });

  it('answers 200 for unknown tokens; refuses a missing token and wrong client credentials', async () => {
    const unknown = await revoke({ access_token: 'not-a-token' });
    expect(unknown.status).toBe(200);
    await unknown.arrayBuffer();
    const missing = await revoke({});
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: string }).error).toBe('invalid_request');
    const t = await login(sb);
    const wrong = await revoke({ access_token: t.access_token, client_id: sb.apps.default.clientId, client_secret: 'wrong' });
    expect(wrong.status).toBe(401);
    await wrong.arrayBuffer();
    expect((await get(sb, t.access_token, '/api')).status).toBe(200);
  });
});
