/**
 * Receives an upload's multipart body (reference §4.3: a `profile` part and a file part) as a
 * stream: the file part goes to `<dir>/<uuid>.part` while its SHA-256 is computed, so a body of any
 * size costs a few chunks of memory. Nothing is committed here; the caller renames the part file
 * once it has checked the profile.
 *
 * Which part is which (README "Choices"): the part named `profile` is the profile (JSON text, with
 * or without a filename or Content-Type, as .NET's MultipartFormDataContent and browsers' Blobs send
 * it); any other part is the file, whatever its name (`file`, PE's hand-built `myFile`) and with or
 * without a filename. The parts may come in either order.
 *
 * Failure leaves nothing behind: the part file is removed before the promise rejects, with
 * `ClientGone` when the client went away (body cut short, connection closed) or an ApiError (400)
 * when the body is malformed; a refusal thrown by `onProfile` rejects as soon as the profile has
 * arrived. After a refusal the rest of the body is read and discarded, so the client can read the
 * answer rather than meet a broken pipe.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Busboy, type BusboyInstance } from '@fastify/busboy';
import { ApiError, invalidParam } from './errors.js';
import { ClientGone } from './http.js';
import type { UploadProgress } from './types.js';

/** The largest profile part accepted (a JSON object of a few dozen fields). */
const PROFILE_MAX_BYTES = 64 * 1024;
const CHUNK = 64 * 1024;

export interface StoredPart {
  /** `<dir>/<uuid>.part`: the caller renames or removes it. */
  path: string;
  size: number;
  sha256: string;
  /** The file part's filename, if it had one. */
  fileName?: string;
}

export interface ReceivedUpload {
  /** The profile part's text, when there was one. */
  profile?: string;
  file: StoredPart;
}

export interface ReceiveOptions {
  dir: string;
  progress: UploadProgress;
  /** Called when the profile part has arrived; throwing refuses the upload at once. */
  onProfile?: (text: string) => void;
  throttle?: { delayMs: number; everyBytes: number };
}

function mediaType(req: IncomingMessage): string | undefined {
  return req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
}

/** Counts the body's bytes and, under the slowUpload fault, pauses between chunks. */
function meter(progress: UploadProgress, throttle: ReceiveOptions['throttle']): Transform {
  let sincePause = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      progress.bodyBytes += chunk.length;
      if (!throttle) return callback(null, chunk);
      sincePause += chunk.length;
      if (sincePause < throttle.everyBytes) return callback(null, chunk);
      sincePause = 0;
      // Pass this chunk on, then wait before taking the next: reading pauses, so the client's sending does.
      this.push(chunk);
      setTimeout(() => callback(), throttle.delayMs).unref();
    },
  });
}

export function receiveMultipart(req: IncomingMessage, options: ReceiveOptions): Promise<ReceivedUpload> {
  const type = mediaType(req);
  if (type !== 'multipart/form-data') {
    req.resume();
    return Promise.reject(new ApiError(415, 'NRC_UNSUPPORTED_MEDIA_TYPE', `Expected multipart/form-data, got ${type ?? 'no content type'}.`));
  }
  let parser: BusboyInstance;
  try {
    parser = Busboy({
      headers: req.headers as { 'content-type': string },
      isPartAFile: (fieldName) => fieldName !== 'profile',
      fileHwm: CHUNK,
      highWaterMark: CHUNK,
      limits: { fieldSize: PROFILE_MAX_BYTES, parts: 16, headerPairs: 64 },
    });
  } catch (e) {
    req.resume();
    return Promise.reject(invalidParam(`Malformed multipart request: ${(e as Error).message}.`));
  }

  const { progress } = options;
  const counter = meter(progress, options.throttle);

  return new Promise<ReceivedUpload>((resolve, reject) => {
    let settled = false;
    let profile: string | undefined;
    let fileStream: Readable | undefined;
    let stored: Promise<StoredPart> | undefined;
    let partPath: string | undefined;

    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      parser.on('error', () => undefined);
      req.unpipe(counter);
      counter.destroy();
      // With an error: a part destroyed after its last byte but before 'end' would otherwise count as
      // finished, and the pipeline behind it would wait forever.
      fileStream?.destroy(new Error('upload abandoned'));
      const gone = error instanceof ClientGone;
      // Read and drop the rest, so a refused client still reads the answer.
      if (!gone) req.resume();
      void (async () => {
        await stored?.catch(() => undefined);
        if (partPath) await rm(partPath, { force: true });
        reject(error);
      })();
    };

    req.on('end', () => {
      progress.completed = true;
    });
    req.on('close', () => {
      if (!req.complete) fail(new ClientGone());
    });
    req.on('error', () => {
      if (!req.complete) fail(new ClientGone());
    });

    parser.on('field', (name: string, value: string, _nameTruncated: boolean, valueTruncated: boolean) => {
      if (settled) return;
      // Only `profile` is a field (isPartAFile); a second one is a mistake.
      if (profile !== undefined) return fail(invalidParam("Only one 'profile' part is allowed."));
      if (valueTruncated) return fail(invalidParam(`The 'profile' part is larger than ${PROFILE_MAX_BYTES} bytes.`));
      profile = value;
      try {
        options.onProfile?.(value);
      } catch (e) {
        fail(e);
      }
    });

    parser.on('file', (_name: string, stream: Readable, fileName: string | undefined) => {
      if (settled || fileStream) {
        stream.resume();
        if (!settled) fail(invalidParam('Exactly one file part is expected besides the profile.'));
        return;
      }
      fileStream = stream;
      stream.on('error', () => undefined); // reported through the pipeline below
      const path = join(options.dir, `${randomUUID()}.part`);
      partPath = path;
      const hash = createHash('sha256');
      let size = 0;
      const tap = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          size += chunk.length;
          progress.fileBytes = size;
          callback(null, chunk);
        },
      });
      stored = pipeline(stream, tap, createWriteStream(path, { flags: 'wx', highWaterMark: CHUNK })).then(() => ({
        path,
        size,
        sha256: hash.digest('hex'),
        ...(fileName ? { fileName } : {}),
      }));
      // A disk error is the sandbox's failure, not the client's.
      stored.catch((e: unknown) => fail(e));
    });

    parser.on('partsLimit', () => fail(invalidParam('Too many parts: a profile and a file are expected.')));
    parser.on('error', (e: Error) => fail(invalidParam(`Malformed multipart body: ${e.message}.`)));
    parser.on('finish', () => {
      if (settled) return;
      if (!stored) return fail(new ApiError(400, 'NRC_INVALID_PARAM', 'The file part is missing.'));
      stored.then(
        (file) => {
          if (settled) return;
          settled = true;
          resolve({ ...(profile !== undefined ? { profile } : {}), file });
        },
        (e: unknown) => fail(e),
      );
    });

    req.pipe(counter).pipe(parser);
  });
}
