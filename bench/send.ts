/**
 * Multipart uploads for the bench (bench/uploads.ts): the request of one (fields, then a file of `size`
 * bytes made as it is sent), and, run as a child process with `fork()`, many at once: the specs as one
 * JSON argument, each one's status and JSON answer sent back over IPC.
 */
import { Readable } from 'node:stream';
import { request } from 'undici';
import { answerParent } from './transfers.js';

export interface MultipartSpec {
  url: string;
  headers: Record<string, string>;
  /** Text fields, in order, before the file. */
  fields: Array<[name: string, value: string]>;
  file: { part: string; fileName: string; size: number };
}

const BLOCK = Buffer.alloc(256 * 1024, 0x5a);

/** The request of one upload, with its exact `Content-Length`. */
export function multipartRequest(spec: MultipartSpec): { url: string; init: { method: 'POST'; headers: Record<string, string>; body: Readable } } {
  const boundary = `bench-${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    spec.fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="${spec.file.part}"; filename="${spec.file.fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* parts(): AsyncGenerator<Buffer> {
    yield head;
    for (let left = spec.file.size; left > 0; left -= BLOCK.length) yield left >= BLOCK.length ? BLOCK : BLOCK.subarray(0, left);
    yield tail;
  }
  return {
    url: spec.url,
    init: {
      method: 'POST',
      headers: {
        ...spec.headers,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + spec.file.size + tail.length),
      },
      body: Readable.from(parts(), { objectMode: false }),
    },
  };
}

/** Sends one multipart request: its status and JSON answer (null when the answer is not JSON). */
export async function post(spec: MultipartSpec): Promise<{ status: number; body: any }> {
  const { url, init } = multipartRequest(spec);
  const res = await request(url, init);
  return { status: res.statusCode, body: await res.body.json().catch(() => null) };
}

if (process.send && process.argv[2]) answerParent(Promise.all((JSON.parse(process.argv[2]) as MultipartSpec[]).map(post)));
