import { expect } from 'vitest';
import type { Stack } from '../helpers/stack.js';

/** What hostile-input tests share: raw HTTP to /graphql, and the invariants every answer must keep. */

export const CONTRACT_CODES = [
  'UNAUTHENTICATED',
  'IMANAGE_NOT_CONNECTED',
  'IMANAGE_REAUTH_REQUIRED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'RATE_LIMITED',
  'UPSTREAM_UNAVAILABLE',
  'INTERNAL',
] as const;

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body when it is JSON, else undefined. */
  json: any;
}

export async function raw(
  stack: Stack,
  init: RequestInit & { path?: string; query?: Record<string, string>; token?: string | null } = {},
): Promise<RawResponse> {
  const { path = '/graphql', query, token, ...rest } = init;
  const url = new URL(stack.url + path);
  for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
  const bearer = token === undefined ? await stack.token('demo') : token;
  const headers = new Headers(rest.headers);
  if (bearer && !headers.has('authorization')) headers.set('authorization', `Bearer ${bearer}`);
  const res = await fetch(url, { ...rest, headers, ...(rest.body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** A JSON POST as GraphQL clients send it (so a refused document gets 400, not 200). */
export const postJson = (stack: Stack, body: unknown, headers: Record<string, string> = {}) =>
  raw(stack, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** A stack frame, a source path or a module path: never in an answer. */
const LEAK = /(^|\n)\s*at\s|\(\S+:\d+:\d+\)|file:\/\/|\/work\/|node_modules|\.ts:\d+|\.js:\d+/;
const DEBUG_KEYS = ['stack', 'stacktrace', 'trace', 'exception', 'originalError', 'debug', 'http', 'unexpected'];

/**
 * The invariants of every answer, however hostile the request: no 5xx, JSON with only contract codes
 * when it is a GraphQL answer, and no stack, path or debug detail anywhere.
 */
export function expectSafe(res: RawResponse): void {
  expect(res.status, res.text).toBeLessThan(500);
  expect(res.text).not.toMatch(LEAK);
  if (!res.json || typeof res.json !== 'object') return;
  for (const error of (res.json.errors ?? []) as Array<{ message: unknown; extensions?: Record<string, unknown> }>) {
    expect(CONTRACT_CODES, JSON.stringify(error)).toContain(error.extensions?.code);
    expect(typeof error.message).toBe('string');
    for (const key of DEBUG_KEYS) expect(error.extensions ?? {}, JSON.stringify(error)).not.toHaveProperty(key);
  }
  for (const key of DEBUG_KEYS) expect(res.json.extensions ?? {}).not.toHaveProperty(key);
}

/** A request refused by one of the limits: BAD_USER_INPUT naming it, and nothing else in the answer. */
export function expectLimit(res: RawResponse, limit: string): void {
  expectSafe(res);
  expect(res.json?.data ?? null, res.text).toBeNull();
  expect(res.json?.errors, res.text).toHaveLength(1);
  expect(res.json.errors[0].extensions, res.text).toEqual({ code: 'BAD_USER_INPUT', limit });
}
