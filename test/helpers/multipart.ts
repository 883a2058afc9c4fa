import { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import { CSRF_HEADER } from '../../src/server.js';

/**
 * A GraphQL multipart request (the spec's `operations`, `map`, then file parts) sent as a stream with
 * undici, as a browser or `curl -F` sends one: the file's bytes come from `file.body` (a Buffer, or a
 * stream of any size, never held whole), and the request carries `Content-Length` unless `chunked`.
 */
export interface MultipartFile {
  /** The part name the map uses, e.g. `0`. */
  part: string;
  fileName: string;
  mimeType?: string;
  body: Buffer | (() => Readable);
  /** The size of `body` when it is a stream (for Content-Length). */
  size?: number;
}

export interface MultipartOptions {
  url: string;
  token: string | null;
  operations: unknown;
  map: Record<string, string[]>;
  files: MultipartFile[];
  /** Send without Content-Length (chunked). */
  chunked?: boolean;
  /** Leave out the CSRF prevention header. */
  noCsrf?: boolean;
  signal?: AbortSignal;
}

export async function sendMultipart(options: MultipartOptions): Promise<Dispatcher.ResponseData> {
  const boundary = `test-${Math.random().toString(16).slice(2)}`;
  const head = (name: string, extra = '') => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${extra}\r\n`;
  const fields = Buffer.from(
    `${head('operations')}\r\n${JSON.stringify(options.operations)}\r\n` + `${head('map')}\r\n${JSON.stringify(options.map)}\r\n`,
    'utf8',
  );
  const fileHeads = options.files.map((f) =>
    Buffer.from(`${head(f.part, `; filename="${f.fileName}"`)}Content-Type: ${f.mimeType ?? 'application/octet-stream'}\r\n\r\n`, 'utf8'),
  );
  const tail = Buffer.from(`--${boundary}--\r\n`, 'utf8');
  const sizeOf = (f: MultipartFile) => (Buffer.isBuffer(f.body) ? f.body.length : (f.size ?? 0));
  const length = fields.length + options.files.reduce((n, f, i) => n + fileHeads[i]!.length + sizeOf(f) + 2, 0) + tail.length;
  async function* parts(): AsyncGenerator<Buffer> {
    yield fields;
    for (const [i, f] of options.files.entries()) {
      yield fileHeads[i]!;
      if (Buffer.isBuffer(f.body)) yield f.body;
      else for await (const chunk of f.body()) yield chunk as Buffer;
      yield Buffer.from('\r\n');
    }
    yield tail;
  }
  const headers: Record<string, string> = { 'content-type': `multipart/form-data; boundary=${boundary}` };
  if (!options.chunked) headers['content-length'] = String(length);
  if (!options.noCsrf) headers[CSRF_HEADER] = '1';
  if (options.token !== null) headers['authorization'] = `Bearer ${options.token}`;
  return request(`${options.url}/graphql`, {
    method: 'POST',
    headers,
    body: Readable.from(parts(), { objectMode: false }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

export const UPLOAD_DOCUMENT = `mutation Upload($input: UploadDocumentInput!) {
  uploadDocument(input: $input) {
    document { id name extension size version }
    userErrors { field code message imanageCode }
    replayed
  }
}`;

export const ADD_VERSION = `mutation AddVersion($input: AddDocumentVersionInput!) {
  addDocumentVersion(input: $input) {
    document { id name extension size version }
    userErrors { field code message imanageCode }
  }
}`;
