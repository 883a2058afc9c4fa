import type { IncomingMessage } from 'node:http';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { Busboy, type BusboyFileStream } from '@fastify/busboy';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import { UPLOAD_BUFFER_BYTES, UploadAbortedError, UploadTooLargeError, type FileDescription, type FileUpload } from '../../documents/fileUpload.js';
import { AppError, limitExceeded } from '../errors.js';

/**
 * File uploads by the GraphQL multipart request spec (https://github.com/jaydenseric/graphql-multipart-request-spec),
 * streamed. Yoga's own multipart parser reads the whole form (files included) into memory before the
 * operation starts; this one reads the `operations` and `map` fields, hands the operation to Yoga
 * at once with a `FileUpload` where each file goes, and leaves the file parts unread in the request
 * until a resolver reads them, straight into iManage. So a file is never held whole, in memory or
 * on disk, and the operation's checks (app token, limits, input validation) run before any of its
 * bytes are read.
 *
 * - Yoga's CSRF prevention still applies (it runs first): a multipart POST is a "simple" request, so
 *   it needs the prevention header.
 * - Limits: `operations` and `map` within the GraphQL body limit (413 past it); at most `maxFiles`
 *   files; each file at most `maxFileBytes` (the stream fails past it: the workflow answers with a
 *   user error, and nothing partial reaches iManage). Yoga's body limit is for GraphQL bodies and is
 *   not applied to a multipart body as a whole.
 * - Parts come in the spec's order: `operations`, `map`, then the files. Files are read in the order
 *   they come; asking for a later file while an earlier one is unread skips the earlier one.
 * - When the answer is written, what was not read is dropped: a rest of up to 64 MiB (or
 *   `UPLOAD_MAX_BYTES`) is read through, so that a browser gets the answer rather than a reset; the
 *   connection is closed on a longer one (a refused 1 GiB upload is not read through).
 */
export interface UploadLimits {
  maxFileBytes: number;
  maxFiles: number;
  /** The most `operations` and `map` may each be, in bytes. */
  maxFieldBytes: number;
}

/** A refused request's unread rest up to this (or up to `UPLOAD_MAX_BYTES`, if larger) is read through so that the client gets the answer. */
const MIN_DRAIN_BYTES = 64 * 1024 * 1024;
/** How long such a rest may take to arrive before the connection is closed on it. */
const DRAIN_MS = 30_000;

/** The most files one request may carry. */
export const MAX_FILES_PER_REQUEST = 10;

/** Part headers larger than this are refused: it bounds the framing around a file, for `sizeBounds`. */
const MAX_PART_HEADER_BYTES = 8 * 1024;

export function useStreamedUploads(limits: UploadLimits): Plugin {
  const uploads = new WeakMap<IncomingMessage, MultipartRequest>();
  return {
    onRequest({ request, setRequest, fetchAPI }) {
      if (!isMultipart(request)) return;
      // The body is read from Node's request by this plugin; Yoga sees a request without one, so that
      // its body limit (meant for GraphQL bodies) does not refuse a large file by its Content-Length.
      const headers = new fetchAPI.Headers(request.headers);
      headers.delete('content-length');
      setRequest(new fetchAPI.Request(request.url, { method: request.method, headers, signal: request.signal }));
    },
    onRequestParse({ request, serverContext, setRequestParser }) {
      const req = (serverContext as { req?: IncomingMessage }).req;
      if (!isMultipart(request) || !req) return;
      setRequestParser(() => {
        const upload = new MultipartRequest(req, limits);
        uploads.set(req, upload);
        return upload.params;
      });
    },
    onResponse({ response, serverContext }) {
      const req = (serverContext as { req?: IncomingMessage }).req;
      const upload = req && uploads.get(req);
      if (!upload) return;
      if (!upload.close()) response.headers.set('connection', 'close');
    },
  };
}

function isMultipart(request: Request): boolean {
  return request.method === 'POST' && /^multipart\/form-data\s*;/i.test(request.headers.get('content-type') ?? '');
}

const badRequest = (message: string) => new AppError('BAD_USER_INPUT', message, {}, 400);

/** One multipart request: its fields parsed as they arrive, its files handed out as they come. */
class MultipartRequest {
  readonly params: Promise<GraphQLParams>;
  private readonly busboy: ReturnType<typeof Busboy>;
  private readonly files = new Map<string, StreamedFile>();
  private operations: Record<string, unknown> | null = null;
  private fieldBytes = 0;
  private settleParams!: { resolve: (params: GraphQLParams) => void; reject: (error: Error) => void };
  private paramsSettled = false;
  private finished = false;
  private failure: UploadAbortedError | null = null;
  /** The file a resolver waits for, if any. */
  private awaited: StreamedFile | null = null;
  /** Bytes of the body read so far. */
  private received = 0;
  /** The most of an unread rest that is read through rather than the connection closed. */
  private readonly drainBytes: number;

  constructor(
    private readonly req: IncomingMessage,
    private readonly limits: UploadLimits,
  ) {
    this.drainBytes = Math.max(MIN_DRAIN_BYTES, limits.maxFileBytes);
    req.on('data', (chunk: Buffer) => (this.received += chunk.length));
    this.params = new Promise((resolve, reject) => (this.settleParams = { resolve, reject }));
    // A promise nobody awaits yet (Yoga does, at once) must not count as unhandled.
    this.params.catch(() => undefined);
    try {
      this.busboy = Busboy({
        headers: req.headers as { 'content-type': string },
        highWaterMark: UPLOAD_BUFFER_BYTES,
        fileHwm: UPLOAD_BUFFER_BYTES,
        limits: {
          fields: 2,
          fieldSize: limits.maxFieldBytes,
          files: limits.maxFiles,
          // One past the limit, so that the count below sees a file that is too large (busboy would cut it).
          fileSize: limits.maxFileBytes + 1,
          parts: limits.maxFiles + 2,
          headerPairs: 20,
          headerSize: MAX_PART_HEADER_BYTES,
        },
      });
    } catch {
      // No boundary, or a content type busboy cannot read.
      this.busboy = Busboy({ headers: { 'content-type': 'multipart/form-data; boundary=-' } });
      this.fail('malformed', badRequest('The multipart request has no usable boundary.'));
      return;
    }
    this.busboy.on('field', (name: string, value: string, _nameTruncated: boolean, valueTruncated: boolean) => this.onField(name, value, valueTruncated));
    this.busboy.on('file', (name: string, stream: BusboyFileStream, fileName: string, _encoding: string, mimeType: string) =>
      this.onFile(name, stream, { fileName, mimeType }),
    );
    this.busboy.on('finish', () => this.onFinish());
    this.busboy.on('error', () => this.fail('malformed', badRequest('The multipart request is malformed.')));
    const tooMany = () => this.fail('malformed', badRequest(`The multipart request has more parts than allowed (at most ${limits.maxFiles} files).`));
    this.busboy.on('filesLimit', tooMany);
    this.busboy.on('fieldsLimit', tooMany);
    this.busboy.on('partsLimit', tooMany);
    req.on('close', () => {
      if (!req.complete) this.fail('client_left', badRequest('The request ended before its body did.'));
    });
    req.pipe(this.busboy);
  }

  /**
   * Drops what was not read, once the answer is made. True when the connection may carry another
   * request: the body was read to its end, or what is left of it (at most `drainBytes`) is read now and
   * dropped. A browser sends its whole body before it reads the answer, and a connection closed on a
   * body it is still sending reaches it as a reset, not as the answer (a refusal before the file was
   * read: FILE_TOO_LARGE by its length, FORBIDDEN, a bad name). A longer rest, or one still coming
   * after `DRAIN_MS`, closes the connection.
   */
  close(): boolean {
    for (const file of this.files.values()) file.discard();
    if (this.finished) return true;
    this.req.unpipe(this.busboy);
    this.busboy.removeAllListeners('file');
    const length = Number(this.req.headers['content-length']);
    const left = Number.isSafeInteger(length) ? length - this.received : Infinity;
    if (this.failure !== null || left > this.drainBytes) return false;
    const limit = setTimeout(() => this.req.destroy(), DRAIN_MS).unref();
    this.req.once('close', () => clearTimeout(limit));
    this.req.resume();
    return true;
  }

  /** A resolver waits for `file`: an earlier file nobody has taken is skipped, so that the parts can move on. */
  waitFor(file: StreamedFile): void {
    this.awaited = file;
    for (const other of this.files.values()) if (other !== file && other.isWaitingToBeRead()) other.skip();
  }

  private onField(name: string, value: string, truncated: boolean): void {
    if (this.paramsSettled) return this.fail('malformed', badRequest('The multipart request has a field after its files.'));
    if (truncated) return this.fail('malformed', limitExceeded('bodySize', `The "${name}" field is larger than this service accepts.`));
    // Bytes, as Content-Length counts them (a name with accents is longer in bytes than in characters).
    this.fieldBytes += Buffer.byteLength(value, 'utf8');
    if (name === 'operations' && this.operations === null) {
      const operations = parseJson(value);
      if (operations === null || typeof operations !== 'object' || Array.isArray(operations))
        return this.fail('malformed', badRequest('The "operations" field must be one GraphQL request as JSON (batching is off).'));
      this.operations = operations as Record<string, unknown>;
    } else if (name === 'map' && this.operations !== null) {
      const map = parseMap(parseJson(value), this.limits.maxFiles);
      if (typeof map === 'string') return this.fail('malformed', badRequest(map));
      // Every file part falls within the body less the two fields: bounds from Content-Length.
      const length = Number(this.req.headers['content-length']);
      const atMost = Number.isSafeInteger(length) ? Math.max(0, length - this.fieldBytes) : null;
      const bounds = atMost === null ? null : { atMost, atLeast: map.size === 1 ? Math.max(0, atMost - 2 * MAX_PART_HEADER_BYTES) : 0 };
      for (const [part, paths] of map) {
        const file = new StreamedFile(this, this.limits.maxFileBytes, bounds);
        this.files.set(part, file);
        for (const path of paths)
          if (!setPath(this.operations, path, file)) return this.fail('malformed', badRequest(`The map names a path "${path}" that is not a variable.`));
      }
      this.settle();
    } else {
      return this.fail('malformed', badRequest('The multipart request must start with an "operations" field, then "map" (GraphQL multipart request spec).'));
    }
  }

  private onFile(name: string, stream: BusboyFileStream, description: FileDescription): void {
    const file = this.paramsSettled ? this.files.get(name) : undefined;
    if (!this.paramsSettled) {
      stream.resume();
      return this.fail('malformed', badRequest('The multipart request has a file before its "operations" and "map" fields.'));
    }
    if (!file) {
      stream.resume(); // a part the map does not name: read past it
      return;
    }
    file.arrive(stream, description);
    if (this.awaited !== null && this.awaited !== file && file.isWaitingToBeRead()) file.skip();
  }

  private onFinish(): void {
    // Failed before it is marked finished: `fail` does nothing once the body has ended, and the
    // request would wait for its operation for ever.
    if (!this.paramsSettled) this.fail('malformed', badRequest('The multipart request has no "operations" and "map" fields.'));
    this.finished = true;
    for (const file of this.files.values()) file.missing();
  }

  private settle(): void {
    const operations = this.operations!;
    this.paramsSettled = true;
    this.settleParams.resolve({
      query: operations['query'] as string,
      variables: operations['variables'] as Record<string, unknown>,
      operationName: operations['operationName'] as string,
      extensions: operations['extensions'] as Record<string, unknown>,
    });
  }

  private fail(reason: UploadAbortedError['reason'], requestError: Error): void {
    if (this.failure !== null || this.finished) return;
    this.failure = new UploadAbortedError(reason);
    if (!this.paramsSettled) {
      this.paramsSettled = true;
      this.settleParams.reject(requestError);
    }
    for (const file of this.files.values()) file.abort(this.failure);
    this.req.unpipe(this.busboy);
  }
}

/** Whether a variable's value is a file of a multipart request (the `Upload` scalar accepts nothing else). */
export function isStreamedFile(value: unknown): value is FileUpload {
  return value instanceof StreamedFile;
}

/** One file of a multipart request: a `FileUpload` whose bytes are read from the request when asked for. */
class StreamedFile implements FileUpload {
  /** What GraphQL prints for a file mapped where a value belongs (its error names the variable's type): never this object's state. */
  toJSON(): string {
    return 'Upload';
  }

  private part: { stream: BusboyFileStream; description: FileDescription } | null = null;
  private readonly arrival: Promise<FileDescription>;
  private settleArrival!: { resolve: (description: FileDescription) => void; reject: (error: Error) => void };
  private state: 'pending' | 'arrived' | 'reading' | 'done' = 'pending';
  private reader: LimitedStream | null = null;
  /** Why the file can no longer be read, once it cannot. */
  private refusal: UploadAbortedError | null = null;

  constructor(
    private readonly request: MultipartRequest,
    readonly maxBytes: number,
    readonly sizeBounds: { atLeast: number; atMost: number } | null,
  ) {
    this.arrival = new Promise((resolve, reject) => (this.settleArrival = { resolve, reject }));
    this.arrival.catch(() => undefined);
  }

  describe(): Promise<FileDescription> {
    if (this.state === 'pending') this.request.waitFor(this);
    return this.arrival;
  }

  async open(): Promise<Readable> {
    if (this.state === 'reading' || this.state === 'done') throw this.refusal ?? new UploadAbortedError('used');
    if (this.state === 'pending') this.request.waitFor(this);
    await this.arrival;
    if (this.state !== 'arrived' || this.part === null) throw this.refusal ?? new UploadAbortedError('used');
    this.state = 'reading';
    const { stream } = this.part;
    const reader = new LimitedStream(this.maxBytes);
    this.reader = reader;
    stream.on('limit', () => reader.destroy(new UploadTooLargeError(this.maxBytes)));
    stream.on('error', () => reader.destroy(new UploadAbortedError('client_left')));
    // Whoever reads it stops early (iManage refused, the client left): the rest is read past.
    reader.on('close', () => {
      this.state = 'done';
      stream.unpipe(reader);
      stream.resume();
    });
    stream.pipe(reader);
    return reader;
  }

  discard(): void {
    this.end(new UploadAbortedError('used'));
  }

  isWaitingToBeRead(): boolean {
    return this.state === 'arrived';
  }

  arrive(stream: BusboyFileStream, description: FileDescription): void {
    this.part = { stream, description };
    if (this.state !== 'pending') {
      stream.resume();
      return;
    }
    this.state = 'arrived';
    this.settleArrival.resolve(description);
  }

  /** Another file is wanted first: this one is read past and cannot be used. */
  skip(): void {
    this.end(new UploadAbortedError('not_in_order'));
  }

  /** The request's parts ended without this file. */
  missing(): void {
    if (this.state === 'pending') this.end(new UploadAbortedError('missing'));
  }

  /** The request broke: a file being read fails, one not read yet cannot be. */
  abort(error: UploadAbortedError): void {
    this.end(error);
  }

  private end(error: UploadAbortedError): void {
    if (this.state === 'done') return;
    if (this.state === 'pending') this.settleArrival.reject(error);
    if (this.state === 'reading') this.reader?.destroy(error);
    if (this.state === 'arrived') this.part?.stream.resume();
    this.refusal ??= error;
    this.state = 'done';
  }
}

/** Passes a file's bytes on, failing past `maxBytes`: a file too large never ends as if it were whole. */
class LimitedStream extends Transform {
  private bytes = 0;

  constructor(private readonly maxBytes: number) {
    super({ highWaterMark: UPLOAD_BUFFER_BYTES });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) callback(new UploadTooLargeError(this.maxBytes));
    else callback(null, chunk);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** The spec's `map`: part name → the variable paths it fills. A string says what is wrong with it. */
function parseMap(value: unknown, maxFiles: number): Map<string, string[]> | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'The "map" field must be a JSON object of part names to variable paths.';
  const entries = Object.entries(value);
  if (entries.length > maxFiles) return `The request maps more files than allowed (at most ${maxFiles}).`;
  const map = new Map<string, string[]>();
  for (const [part, paths] of entries) {
    if (!Array.isArray(paths) || paths.length === 0 || paths.length > 10 || !paths.every((path) => typeof path === 'string'))
      return `The map's entry "${part.slice(0, 40)}" must be a list of variable paths.`;
    map.set(part, paths as string[]);
  }
  return map;
}

/** Puts `value` at a map path such as `variables.input.file` (only under `variables`); false when the path is not one. */
function setPath(operations: Record<string, unknown>, path: string, value: unknown): boolean {
  const keys = path.split('.');
  if (keys[0] !== 'variables' || keys.length < 2 || keys.some((key) => key === '__proto__' || key === 'constructor' || key === 'prototype')) return false;
  let current: unknown = operations;
  for (const key of keys.slice(0, -1)) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return false;
    current = (current as Record<string, unknown>)[key];
  }
  const last = keys[keys.length - 1]!;
  if (current === null || typeof current !== 'object' || !Object.hasOwn(current, last) || (current as Record<string, unknown>)[last] !== null) return false;
  (current as Record<string, unknown>)[last] = value;
  return true;
}
