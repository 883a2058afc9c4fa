/**
 * Small HTTP helpers for the sandbox tests: real fetch against a sandbox on port 0.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Sandbox } from '../../src/sandbox/index.js';

export interface TokenBody {
  access_token?: string;
  token_type?: string;
  expires_in?: number;
  refresh_token?: string;
  scope?: string;
  error?: string;
  error_description?: string;
}

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export function form(fields: Record<string, string | undefined>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) params.set(k, v);
  return params;
}

export async function postToken(
  sb: Sandbox,
  fields: Record<string, string | undefined>,
  headers: Record<string, string> = {},
): Promise<JsonResponse<TokenBody>> {
  const res = await fetch(`${sb.url}/auth/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: form(fields),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as TokenBody };
}

/** Password grant for a demo user (by short key) through an app; returns the token body. */
export async function login(sb: Sandbox, userKey = 'demo', app: 'default' | 'noRefresh' = 'default'): Promise<TokenBody & { access_token: string }> {
  const user = sb.users[userKey]!;
  const res = await postToken(sb, {
    grant_type: 'password',
    username: user.id,
    password: user.password,
    client_id: sb.apps[app].clientId,
    client_secret: sb.apps[app].clientSecret,
  });
  if (res.status !== 200 || !res.body.access_token) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as TokenBody & { access_token: string };
}

export function libBase(sb: Sandbox, library = sb.ids.preferredLibrary): string {
  return `/work/api/v2/customers/${sb.customerId}/libraries/${library}`;
}

/** The library an id belongs to. */
export function libOf(id: string): string {
  return id.split('!')[0]!;
}

export async function call<T = any>(
  sb: Sandbox,
  token: string | undefined,
  method: string,
  path: string,
  options: { query?: Record<string, string | number | boolean>; json?: unknown; body?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const url = new URL(path, sb.url);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = { ...(token ? { 'x-auth-token': token } : {}), ...options.headers };
  let body: string | undefined = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  if (text !== '' && (res.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed as T };
}

export const get = <T = any>(sb: Sandbox, token: string | undefined, path: string, query?: Record<string, string | number | boolean>) =>
  call<T>(sb, token, 'GET', path, { query });

/** PKCE verifier and its S256 challenge. */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Checks the iManage error envelope and returns its `error` object. */
export function imanageError(body: any): { code: string; code_message: string; messages?: Array<{ field: string; code: string; code_message: string }> } {
  if (!body || typeof body !== 'object' || typeof body.error?.code !== 'string') {
    throw new Error(`not an iManage error body: ${JSON.stringify(body)}`);
  }
  return body.error;
}
