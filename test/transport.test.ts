import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IManageCancelledError,
  IManageHttpError,
  IManageNotFoundError,
  IManageProtocolError,
  IManageRateLimitedError,
  IManageServerError,
  IManageTokenRejectedError,
} from '../src/imanage/errors.js';
import { IManageTransport, type StreamRequest } from '../src/imanage/transport.js';

/** The transport's own guards, against a plain HTTP server that answers what each test needs. */
describe('IManageTransport reply size limit', () => {
  let server: Server;
  let base: string;
  const transport = new IManageTransport({ timeoutMs: 2000, maxResponseBytes: 1000 });

  beforeAll(async () => {
    server = createServer((req, res) => {
      const size = Number(new URL(req.url!, 'http://x').searchParams.get('size'));
      const body = JSON.stringify({ data: 'x'.repeat(Math.max(0, size - 12)) });
      if (req.url!.startsWith('/chunked')) {
        // No content-length: the size is only known as the body streams in.
        res.writeHead(200, { 'content-type': 'application/json' });
        for (let i = 0; i < body.length; i += 256) res.write(body.slice(i, i + 256));
        res.end();
      } else {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await transport.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const get = (path: string) => transport.send({ method: 'GET', url: new URL(path, base), operation: 'GET /test' });

  it('reads a reply within the limit, framed either way', async () => {
    for (const path of ['/sized?size=900', '/chunked?size=900']) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect((res.body as { data: string }).data).toHaveLength(900 - 12);
    }
  });

  it('refuses a bigger one as a protocol error, by its declared length or while it streams', async () => {
    for (const path of ['/sized?size=5000', '/chunked?size=5000']) {
      const error = await get(path).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(IManageProtocolError);
      expect((error as Error).message).toMatch(/over the (size )?limit/);
    }
    // The connection pool is still usable afterwards.
    expect((await get('/sized?size=100')).status).toBe(200);
  });
});

/** `stream`: the reply body handed over as it arrives, against a plain server. */
describe('IManageTransport.stream', () => {
  let server: Server;
  let base: string;
  const transport = new IManageTransport({ timeoutMs: 1000, maxResponseBytes: 1000 });
  /** Requests the server has seen and not yet finished answering (closed by either side). */
  let open = 0;
  const closed: Array<() => void> = [];
  const allClosed = () => (open === 0 ? Promise.resolve() : new Promise<void>((resolve) => closed.push(resolve)));

  beforeAll(async () => {
    server = createServer((req, res) => {
      open += 1;
      res.on('close', () => {
        open -= 1;
        if (open === 0) closed.splice(0).forEach((resolve) => resolve());
      });
      const url = new URL(req.url!, 'http://x');
      if (url.pathname === '/big') {
        // 40 MB, larger than maxResponseBytes many times over, in pieces.
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(40 * 1024 * 1024) });
        let sent = 0;
        const piece = Buffer.alloc(1024 * 1024, 7);
        const more = () => {
          while (sent < 40) {
            sent += 1;
            if (!res.write(piece)) return void res.once('drain', more);
          }
          res.end();
        };
        more();
      } else if (url.pathname === '/slow') {
        // Four pieces 400 ms apart: longer than the timeout in total, never silent for as long.
        res.writeHead(200, { 'content-type': 'text/plain' });
        let n = 0;
        const timer = setInterval(() => {
          res.write(`piece ${n}\n`);
          if (++n === 4) {
            clearInterval(timer);
            res.end();
          }
        }, 400);
        res.on('close', () => clearInterval(timer));
      } else if (url.pathname === '/endless') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first piece\n'); // and nothing more until the client leaves
      } else if (url.pathname === '/range') {
        res.writeHead(416, { 'content-range': 'bytes */10' });
        res.end();
      } else if (url.pathname === '/error') {
        const status = Number(url.searchParams.get('status'));
        res.writeHead(status, { 'content-type': 'application/json', 'retry-after': '7' });
        res.end(JSON.stringify({ error: { code: 'NRC_SOMETHING', code_message: 'no' } }));
      } else if (url.pathname === '/headers') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ token: req.headers['x-auth-token'], range: req.headers.range }));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await transport.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const stream = (path: string, extra: Partial<StreamRequest> = {}) =>
    transport.stream({ method: 'GET', url: new URL(path, base), operation: 'GET /test', ...extra });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => error,
    );

  it('hands over a body of any size as it arrives, with no size limit', async () => {
    const res = await stream('/big');
    expect(res.status).toBe(200);
    let bytes = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) bytes += chunk.length;
    expect(bytes).toBe(40 * 1024 * 1024);
  });

  it('times out on silence in the body, not on the length of the transfer', async () => {
    const res = await stream('/slow');
    expect(await text(res.body)).toBe('piece 0\npiece 1\npiece 2\npiece 3\n');
    const stalled = await stream('/endless');
    expect(await failure(text(stalled.body))).toBeInstanceOf(Error);
    await allClosed();
  });

  it('sends the token and the headers given, never a caller-supplied x-auth-token', async () => {
    const res = await stream('/headers', { token: 'the-token', headers: { range: 'bytes=0-1', 'x-auth-token': 'forged' } });
    expect(JSON.parse(await text(res.body))).toEqual({ token: 'the-token', range: 'bytes=0-1' });
  });

  it('throws an error status as its typed error, and answers the statuses it is told to pass', async () => {
    for (const [status, type] of [
      [404, IManageNotFoundError],
      [401, IManageTokenRejectedError],
      [429, IManageRateLimitedError],
      [503, IManageServerError],
    ] as const) {
      const error = await failure(stream(`/error?status=${status}`));
      expect(error, String(status)).toBeInstanceOf(type);
      expect((error as IManageHttpError).code).toBe('NRC_SOMETHING');
    }
    expect((await failure(stream('/error?status=429'))) as IManageRateLimitedError).toMatchObject({ retryAfterSeconds: 7 });
    expect(await failure(stream('/range'))).toBeInstanceOf(IManageHttpError);
    const passed = await stream('/range', { passStatus: (s) => s < 400 || s === 416 });
    expect(passed.status).toBe(416);
    expect(passed.headers['content-range']).toBe('bytes */10');
    passed.body.resume();
  });

  it("a caller's signal cancels the transfer mid-body: the body fails and the server sees the request closed", async () => {
    const controller = new AbortController();
    const res = await stream('/endless', { signal: controller.signal });
    const reading = failure(text(res.body));
    controller.abort();
    expect(await reading).toBeInstanceOf(Error);
    await allClosed();
    expect(open).toBe(0);
    // Before the headers, the same signal ends the call as cancelled.
    const gone = new AbortController();
    gone.abort();
    expect(await failure(stream('/slow', { signal: gone.signal }))).toBeInstanceOf(IManageCancelledError);
  });
});

async function text(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
