import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IManageProtocolError } from '../src/imanage/errors.js';
import { IManageTransport } from '../src/imanage/transport.js';

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
