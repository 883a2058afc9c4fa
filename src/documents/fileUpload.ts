import type { Readable } from 'node:stream';

/**
 * A file sent with a mutation (the GraphQL multipart request spec), as the document workflows see it:
 * its bytes arrive while the operation runs, read once, straight from the client's request. Nothing
 * is held whole in memory or on disk (src/graphql/plugins/uploads.ts makes them).
 */
export interface FileUpload {
  /** The name and media type the client gave the file part; waits for the part to begin. */
  describe(): Promise<FileDescription>;
  /**
   * What the request's `Content-Length` says of the file's size before any of it is read: between
   * `atLeast` and `atMost` bytes (framing makes the difference). Null for a chunked request.
   */
  readonly sizeBounds: { atLeast: number; atMost: number } | null;
  /** The largest file accepted (`UPLOAD_MAX_BYTES`): a stream that goes past it fails with `UploadTooLargeError`. */
  readonly maxBytes: number;
  /**
   * The bytes, once. The stream fails with `UploadTooLargeError` past `maxBytes`, and with
   * `UploadAbortedError` when the client goes away or the request's framing breaks: it never ends
   * normally with part of the file.
   */
  open(): Promise<Readable>;
  /** Reads nothing more of this file: it will not be used (the request is answered without it). */
  discard(): void;
}

export interface FileDescription {
  /** The client's file name, as given (may be empty). */
  fileName: string;
  mimeType: string;
}

/**
 * How much of a file may wait in each stage of its way to iManage (the request parser, the size check,
 * the count, the body sent). Node's default (16 KiB) is smaller than one socket read: each stage then
 * stops and starts the one before it on every chunk, and an upload goes at the pace of those turns.
 */
export const UPLOAD_BUFFER_BYTES = 256 * 1024;

/** The file is larger than `UPLOAD_MAX_BYTES`. */
export class UploadTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The file is larger than this service accepts (${maxBytes} bytes).`);
    this.name = 'UploadTooLargeError';
  }
}

/** The file did not arrive whole: the client went away, or the request's multipart framing broke. */
export class UploadAbortedError extends Error {
  constructor(readonly reason: 'client_left' | 'malformed' | 'missing' | 'not_in_order' | 'used') {
    super(UPLOAD_ABORTED_MESSAGES[reason]);
    this.name = 'UploadAbortedError';
  }
}

const UPLOAD_ABORTED_MESSAGES: Record<UploadAbortedError['reason'], string> = {
  client_left: 'The request ended before the whole file arrived.',
  malformed: 'The multipart request is malformed.',
  missing: 'The request has no file part for this variable (see the "map" field of the GraphQL multipart request spec).',
  not_in_order: 'File parts must come in the order the operation uses them.',
  used: 'This file was used already: one file feeds one mutation.',
};
