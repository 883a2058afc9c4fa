/**
 * What a document download serves. Small text documents carry their text; every other document's
 * bytes are generated on the fly: a keystream (AES-128-CTR over zeros) keyed by the document number
 * and version, so any byte range can be produced from its offset without producing what precedes it,
 * in 64 KiB chunks, and a multi-GiB download costs no memory. The same functions let tests and
 * benchmarks recompute the bytes they expect.
 */
import { createCipheriv, createHash, type Cipher } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { DocumentContent } from './store.js';

/** Bytes produced per read of a generated body. */
export const CHUNK_BYTES = 64 * 1024;
const ZEROS = Buffer.alloc(CHUNK_BYTES);
const AES_BLOCK = 16;

const DOCUMENT_ID = /^([^!]+)!(\d{1,15})(?:\.(\d{1,9}))?$/;

/** `LIB!n` or `LIB!n.v` → the canonical `LIB!n.v` for `version`; a `.v` that disagrees is a mistake. */
function canonicalVersionId(documentId: string, version: number): string {
  const m = DOCUMENT_ID.exec(documentId);
  if (!m) throw new TypeError(`document id '${documentId}' is not LIBRARY!number or LIBRARY!number.version`);
  if (!Number.isInteger(version) || version < 1) throw new TypeError('version must be a positive integer');
  if (m[3] !== undefined && Number(m[3]) !== version) throw new TypeError(`document id '${documentId}' names version ${m[3]}, not ${version}`);
  return `${m[1]!.toUpperCase()}!${Number(m[2])}.${version}`;
}

function checkRange(start: number, endInclusive: number): void {
  if (!Number.isSafeInteger(start) || start < 0) throw new RangeError('start must be a non-negative integer');
  if (!Number.isSafeInteger(endInclusive) || endInclusive < start - 1) throw new RangeError('endInclusive must be an integer ≥ start - 1');
}

/** The keystream positioned at byte `offset` of that version's generated content. */
function keystreamAt(versionId: string, offset: number): Cipher {
  const key = createHash('sha256').update(`imanage-sandbox-document:${versionId}`).digest().subarray(0, 16);
  const iv = Buffer.alloc(AES_BLOCK);
  iv.writeBigUInt64BE(BigInt(Math.floor(offset / AES_BLOCK)), 8);
  const cipher = createCipheriv('aes-128-ctr', key, iv);
  const skip = offset % AES_BLOCK;
  if (skip > 0) cipher.update(ZEROS.subarray(0, skip));
  return cipher;
}

/**
 * Bytes `start..endInclusive` of the generated content of document `documentId` (`LIB!n`, or
 * `LIB!n.v` naming the same version) at `version`. For a body of any size; meant for small ranges
 * (it returns one Buffer); use `documentByteStream` for large ones.
 */
export function documentBytes(documentId: string, version: number, start: number, endInclusive: number): Buffer {
  const versionId = canonicalVersionId(documentId, version);
  checkRange(start, endInclusive);
  const length = endInclusive - start + 1;
  if (length === 0) return Buffer.alloc(0);
  return keystreamAt(versionId, start).update(Buffer.alloc(length));
}

/** The same bytes as a stream of 64 KiB chunks, produced as the reader asks for them. */
export function documentByteStream(documentId: string, version: number, start: number, endInclusive: number): Readable {
  const versionId = canonicalVersionId(documentId, version);
  checkRange(start, endInclusive);
  return generatedStream(versionId, start, endInclusive + 1);
}

/** SHA-256 (hex) of those bytes, computed chunk by chunk (CPU-bound: about a second per GiB). */
export function documentSha256(documentId: string, version: number, start: number, endInclusive: number): string {
  const versionId = canonicalVersionId(documentId, version);
  checkRange(start, endInclusive);
  const hash = createHash('sha256');
  const cipher = keystreamAt(versionId, start);
  for (let at = start; at <= endInclusive; at += CHUNK_BYTES) {
    hash.update(cipher.update(ZEROS.subarray(0, Math.min(CHUNK_BYTES, endInclusive + 1 - at))));
  }
  return hash.digest('hex');
}

function generatedStream(versionId: string, from: number, to: number): Readable {
  let position = from;
  let cipher: Cipher | undefined;
  return new Readable({
    highWaterMark: CHUNK_BYTES,
    read() {
      if (position >= to) {
        this.push(null);
        return;
      }
      cipher ??= keystreamAt(versionId, from);
      const n = Math.min(CHUNK_BYTES, to - position);
      position += n;
      this.push(cipher.update(ZEROS.subarray(0, n)));
    },
  });
}

/** A stored version's download, as the server streams it. */
export interface ContentSource {
  /** `LIB!n.v`. */
  versionId: string;
  content: DocumentContent;
  size: number;
}

/** Bytes `from` (inclusive) to `to` (exclusive) of a version's download, as a stream. */
export function contentStream(source: ContentSource, from: number, to: number): Readable {
  const content = source.content;
  switch (content.kind) {
    case 'text':
      return Readable.from([Buffer.from(content.text, 'utf8').subarray(from, to)], { objectMode: false });
    case 'file':
      // createReadStream's `end` is inclusive; an empty range must not read byte `from`.
      if (to <= from) return Readable.from([], { objectMode: false });
      return createReadStream(content.path, { start: from, end: to - 1, highWaterMark: CHUNK_BYTES });
    case 'generated':
      return generatedStream(source.versionId, from, to);
  }
}

/** The same bytes as one Buffer (tests; small ranges). */
export function contentBytes(source: ContentSource, from: number, to: number): Buffer {
  const content = source.content;
  if (content.kind === 'text') return Buffer.from(content.text, 'utf8').subarray(from, to);
  if (to <= from) return Buffer.alloc(0);
  if (content.kind === 'file') {
    const out = Buffer.alloc(to - from);
    const fd = openSync(content.path, 'r');
    try {
      let done = 0;
      while (done < out.length) {
        const n = readSync(fd, out, done, out.length - done, from + done);
        if (n === 0) break;
        done += n;
      }
    } finally {
      closeSync(fd);
    }
    return out;
  }
  return keystreamAt(source.versionId, from).update(Buffer.alloc(to - from));
}

/** SHA-256 (hex) of a version's whole download: recorded for uploads, computed for the others. */
export function contentSha256(source: ContentSource): string {
  const content = source.content;
  if (content.kind === 'file') return content.sha256;
  if (content.kind === 'text') return createHash('sha256').update(content.text, 'utf8').digest('hex');
  if (source.size === 0) return createHash('sha256').digest('hex');
  return documentSha256(source.versionId, Number(source.versionId.split('.').pop()), 0, source.size - 1);
}

const CONTENT_TYPES: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  pdf: 'application/pdf',
  txt: 'text/plain; charset=utf-8',
  msg: 'application/vnd.ms-outlook',
  eml: 'message/rfc822',
};

const DOCUMENT_TYPES: Record<string, string> = { docx: 'WORDX', pdf: 'ACROBAT', msg: 'MIME', eml: 'MIME', xlsx: 'EXCELX', pptx: 'PPTX' };

/** iManage's document `type` for an extension (`ANSI` for text and anything unknown). */
export function documentType(extension: string): string {
  return DOCUMENT_TYPES[extension.toLowerCase()] ?? 'ANSI';
}

/** Content-Type of a download, from the extension (any case). */
export function contentTypeFor(extension: string): string {
  return CONTENT_TYPES[extension.toLowerCase()] ?? 'application/octet-stream';
}

/** RFC 8187 attr-char: what may stand unencoded in `filename*`. */
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

/**
 * `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>` (RFC 6266): the
 * fallback drops accents, and puts `_` for what is left outside printable ASCII and for `"` and `\`.
 */
export function contentDisposition(fileName: string): string {
  const fallback = fileName
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]|["\\]/g, '_');
  let encoded = '';
  for (const byte of Buffer.from(fileName.normalize('NFC'), 'utf8')) {
    const ch = String.fromCharCode(byte);
    encoded += byte < 0x80 && ATTR_CHAR.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
