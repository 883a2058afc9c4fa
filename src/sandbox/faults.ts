/**
 * The fault queue: scripted misbehaviour (errors, resets, truncated or stalled bodies) for
 * testing the client's resilience. Applying a fault needs the socket, so that part lives in
 * server.ts; this file only validates, stores and matches.
 */
import { z } from 'zod';
import { pathMatches } from './log.js';
import type { FaultKind, FaultSpec } from './types.js';

interface QueuedFault {
  method?: string;
  path: string | RegExp;
  remaining: number;
  kind: FaultKind;
}

const KNOWN_TYPES = new Set([
  'status',
  'reset',
  'truncate',
  'nonJson',
  'wrongContentType',
  'stall',
  'stallBody',
  'abortBody',
  'afterSuccess',
  'ignorePaging',
  'ignoreParams',
  'replyFields',
  'cursorHandle',
  'commitLate',
  'commitThenFail',
  'slowUpload',
]);

function checkStatus(status: unknown, what: string): void {
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
    throw new TypeError(`${what}: status must be an integer between 200 and 599`);
  }
}

function checkMs(ms: unknown, what: string): void {
  if (ms !== undefined && (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)) {
    throw new TypeError(`${what}: ms must be a non-negative number`);
  }
}

/** Validates a spec given programmatically (TypeError on nonsense, so a test fails loudly). */
export function validateFault(spec: FaultSpec): void {
  if (spec === null || typeof spec !== 'object') throw new TypeError('fault: a FaultSpec object is required');
  if (typeof spec.path !== 'string' && !(spec.path instanceof RegExp)) {
    throw new TypeError('fault: path must be a string or a RegExp');
  }
  const times = spec.times ?? 1;
  if (!(times === Infinity || (Number.isInteger(times) && times >= 1))) {
    throw new TypeError('fault: times must be a positive integer or Infinity');
  }
  const kind = spec.kind as { type?: unknown } | undefined;
  if (!kind || typeof kind.type !== 'string' || !KNOWN_TYPES.has(kind.type)) {
    throw new TypeError(`fault: unknown kind ${JSON.stringify(kind?.type)}`);
  }
  const k = spec.kind;
  if (k.type === 'status' || k.type === 'afterSuccess') checkStatus(k.status, `fault ${k.type}`);
  if (k.type === 'stall' || k.type === 'stallBody') checkMs(k.ms, `fault ${k.type}`);
  if (k.type === 'commitThenFail') {
    if (k.then !== undefined && !['status', 'reset', 'stall'].includes(k.then))
      throw new TypeError("fault commitThenFail: then must be 'status', 'reset' or 'stall'");
    if (k.status !== undefined) checkStatus(k.status, 'fault commitThenFail');
  }
  if (k.type === 'slowUpload') {
    checkMs(k.delayMs, 'fault slowUpload');
    if (k.delayMs === undefined) throw new TypeError('fault slowUpload: delayMs is required');
    if (k.everyBytes !== undefined && !(Number.isSafeInteger(k.everyBytes) && k.everyBytes >= 1)) {
      throw new TypeError('fault slowUpload: everyBytes must be a positive integer');
    }
  }
  if (k.type === 'ignoreParams' && !(Array.isArray(k.names) && k.names.length > 0 && k.names.every((n) => typeof n === 'string' && n !== ''))) {
    throw new TypeError('fault ignoreParams: names must be a non-empty list of query parameter names');
  }
  if (k.type === 'ignorePaging' && k.freshCursor !== undefined && typeof k.freshCursor !== 'boolean') {
    throw new TypeError('fault ignorePaging: freshCursor must be a boolean');
  }
  if (k.type === 'commitLate') {
    checkMs(k.ms, 'fault commitLate');
    if (k.ms === undefined) throw new TypeError('fault commitLate: ms is required');
  }
  if (k.type === 'replyFields' && !(k.fields !== null && typeof k.fields === 'object' && !Array.isArray(k.fields) && Object.keys(k.fields).length > 0)) {
    throw new TypeError('fault replyFields: fields must be a non-empty object');
  }
  if (k.type === 'abortBody' && k.afterBytes !== undefined && !(Number.isSafeInteger(k.afterBytes) && k.afterBytes >= 0)) {
    throw new TypeError('fault abortBody: afterBytes must be a non-negative integer');
  }
}

export class FaultQueue {
  private queue: QueuedFault[] = [];

  add(spec: FaultSpec): void {
    validateFault(spec);
    this.queue.push({
      method: spec.method?.toUpperCase(),
      path: spec.path,
      remaining: spec.times ?? 1,
      kind: spec.kind,
    });
  }

  clear(): void {
    this.queue = [];
  }

  get size(): number {
    return this.queue.length;
  }

  /** The first queued fault matching this request, counted down (and dropped when used up). */
  take(method: string, path: string): FaultKind | undefined {
    const index = this.queue.findIndex((f) => (f.method === undefined || f.method === method) && pathMatches(f.path, path));
    if (index < 0) return undefined;
    const fault = this.queue[index]!;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.queue.splice(index, 1);
    return fault.kind;
  }
}

/**
 * The JSON form accepted by `POST /__sandbox/faults`: path is a string or {regex, flags?};
 * `times` may be the string "Infinity" since JSON has no Infinity.
 */
const faultKindSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('status'),
    status: z.number().int().min(200).max(599),
    body: z.unknown().optional(),
    headers: z.record(z.string(), z.string()).optional(),
  }),
  z.object({ type: z.literal('reset') }),
  z.object({ type: z.literal('truncate') }),
  z.object({ type: z.literal('nonJson') }),
  z.object({ type: z.literal('wrongContentType') }),
  z.object({ type: z.literal('stall'), ms: z.number().min(0).optional() }),
  z.object({ type: z.literal('stallBody'), ms: z.number().min(0).optional() }),
  z.object({ type: z.literal('abortBody'), afterBytes: z.number().int().min(0).optional() }),
  z.object({ type: z.literal('afterSuccess'), status: z.number().int().min(200).max(599) }),
  z.object({ type: z.literal('ignorePaging'), freshCursor: z.boolean().optional() }),
  z.object({ type: z.literal('cursorHandle') }),
  z.object({ type: z.literal('commitLate'), ms: z.number().min(0) }),
  z.object({ type: z.literal('ignoreParams'), names: z.array(z.string().min(1)).min(1) }),
  z.object({ type: z.literal('replyFields'), fields: z.record(z.string(), z.unknown()).refine((f) => Object.keys(f).length > 0) }),
  z.object({
    type: z.literal('commitThenFail'),
    then: z.enum(['status', 'reset', 'stall']).optional(),
    status: z.number().int().min(200).max(599).optional(),
  }),
  z.object({ type: z.literal('slowUpload'), delayMs: z.number().min(0), everyBytes: z.number().int().min(1).optional() }),
]);

const faultJsonSchema = z.object({
  method: z.string().min(1).optional(),
  path: z.union([z.string().min(1), z.object({ regex: z.string().min(1), flags: z.string().optional() })]),
  times: z.union([z.number().int().min(1), z.literal('Infinity'), z.null()]).optional(),
  kind: faultKindSchema,
});

/** Parses the admin-route JSON into a FaultSpec, or returns a message saying what is wrong. */
export function faultFromJson(input: unknown): FaultSpec | string {
  const parsed = faultJsonSchema.safeParse(input);
  if (!parsed.success) {
    return parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
  }
  const { method, path, times, kind } = parsed.data;
  let pattern: string | RegExp;
  if (typeof path === 'string') pattern = path;
  else {
    try {
      pattern = new RegExp(path.regex, path.flags ?? '');
    } catch (e) {
      return `path.regex: ${(e as Error).message}`;
    }
  }
  return {
    method,
    path: pattern,
    times: times === 'Infinity' || times === null ? Infinity : times,
    kind: kind as FaultKind,
  };
}
