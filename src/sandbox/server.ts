/**
 * The HTTP side: one pipeline for every request.
 *
 *   read body (1 MiB cap → 413) → admin route? → latency → fault? → route → handler → reply
 *
 * Except on streamed-body routes (uploads): there the body is not read first; the handler reads it
 * as it arrives, and the request log records how much came (`upload`).
 *
 * A reply's body is a Buffer, or a stream produced while it is sent (downloads), which the request
 * stays in flight for.
 *
 * Handlers return Reply values; this file alone touches sockets, so faults can run the real
 * handler and then truncate, stall or replace its reply. Nothing a client sends may crash the
 * process: every step is inside one try/catch, and socket errors are swallowed.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { adminReply, ADMIN_PREFIX } from './admin.js';
import type { ApiDeps } from './api-common.js';
import { ApiError, codeForStatus, errorBody, OAuthError } from './errors.js';
import { FaultQueue } from './faults.js';
import { apiErrorReply, bodyLength, ClientGone, droppedReply, htmlReply, jsonReply, type Reply, type RequestContext } from './http.js';
import { readBody } from './http.js';
import { RequestLogStore } from './log.js';
import { oauthErrorReply } from './oauth.js';
import { buildRouter, ROUTE_METHODS, type RouteStore, type SandboxRouter } from './routes.js';
import type { FaultKind, SandboxKnobs } from './types.js';

const MAX_BODY_BYTES = 1024 * 1024;

export interface ServerConfig {
  adminRoutes: boolean;
  clock: () => number;
}

function firstValues(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) if (!(k in out)) out[k] = v;
  return out;
}

/** Origin-form ('/path?q') is the norm; absolute-form is tolerated; anything else is refused. */
function parseRequestUrl(raw: string | undefined): URL | undefined {
  const target = raw ?? '/';
  try {
    // Concatenate rather than resolve, so '//host/x' stays a path instead of naming a host.
    return target.startsWith('/') ? new URL(`http://sandbox.invalid${target}`) : new URL(target);
  } catch {
    return undefined;
  }
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export class SandboxServer {
  readonly log = new RequestLogStore();
  readonly faults = new FaultQueue();
  /** Per queued `cursorHandle` fault: the real cursor its handle stands for now. */
  private readonly cursorHandles = new WeakMap<FaultKind, string>();
  private latencyMs = 0;
  private readonly server: Server;
  private readonly router: SandboxRouter;
  private readonly sockets = new Set<Socket>();
  /**
   * Aborted on close: wakes every latency wait and stalled fault so they can bail out. Each waiting
   * request listens to it (and stops when done), so any number may: it has no listener cap.
   */
  private readonly closing = (() => {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    return controller;
  })();
  private closePromise?: Promise<void>;

  constructor(
    private readonly deps: ApiDeps,
    private readonly config: ServerConfig,
    private readonly knobs: () => SandboxKnobs,
  ) {
    this.router = buildRouter(deps);
    // No whole-request deadline (Node's default is 5 minutes): a multi-GiB upload may take longer.
    this.server = createServer({ requestTimeout: 0 }, (req, res) => {
      this.handle(req, res).catch((e: unknown) => this.crash(e, res));
    });
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined); // a client hanging up mid-response is not our problem
    });
    this.server.on('clientError', (_err, socket: Socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    });
  }

  setLatency(ms: number): void {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new TypeError('latency: ms must be a non-negative number');
    this.latencyMs = ms;
  }

  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /**
   * Stops listening, destroys every socket, and resolves once the handlers of the requests that were
   * in flight have settled (an upload cut off has removed its part file and been logged), or after
   * a few seconds if one never does.
   */
  close(): Promise<void> {
    this.closePromise ??= new Promise<void>((resolve) => {
      this.closing.abort();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
      for (const socket of this.sockets) socket.destroy();
    }).then(() => {
      let timer: NodeJS.Timeout | undefined;
      const giveUp = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 5000);
        timer.unref();
      });
      return Promise.race([this.log.whenIdle(), giveUp]).finally(() => clearTimeout(timer));
    });
    return this.closePromise;
  }

  // ---- pipeline -------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = parseRequestUrl(req.url);
    if (!url) {
      req.resume();
      void this.write(res, jsonReply(400, errorBody('NRC_INVALID_PARAM', 'Malformed request URL.'), { connection: 'close' }));
      return;
    }
    const ctx: RequestContext = {
      method,
      pathname: decodePath(url.pathname),
      query: firstValues(url.searchParams),
      headers: req.headers,
      body: Buffer.alloc(0),
      params: {},
    };
    const isAdmin = this.config.adminRoutes && url.pathname.startsWith(ADMIN_PREFIX);

    if (!isAdmin && this.streamsBody(method, url.pathname)) {
      ctx.bodyStream = req;
      ctx.upload = { bodyBytes: 0, fileBytes: 0, completed: false };
      await this.serve(ctx, req, res, url.pathname);
      return;
    }
    const body = await readBody(req, MAX_BODY_BYTES);
    if (!body.ok) {
      if (body.reason === 'aborted' || res.destroyed) return;
      if (!isAdmin) this.record(ctx, 413);
      const reply = jsonReply(413, errorBody('NRC_REQUEST_TOO_LARGE', `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`), {
        connection: 'close',
      });
      void this.write(res, reply);
      return;
    }
    ctx.body = body.body;

    if (isAdmin) {
      void this.write(res, adminReply(ctx, this.knobs(), this.log));
      return;
    }
    await this.serve(ctx, req, res, url.pathname);
  }

  /** Whether the route found for this request reads its own body (uploads). */
  private streamsBody(method: string, rawPath: string): boolean {
    if (!(ROUTE_METHODS as readonly string[]).includes(method)) return false;
    const found = this.router.find(method as (typeof ROUTE_METHODS)[number], rawPath);
    return (found?.store as RouteStore | undefined)?.streamBody === true;
  }

  /** latency → fault? → route → handler → reply, for every request but admin routes. */
  private async serve(ctx: RequestContext, req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<void> {
    this.log.enter();
    try {
      if (this.latencyMs > 0 && !(await this.wait(this.latencyMs, req))) {
        this.record(ctx, 0);
        return;
      }
      const fault = this.faults.take(ctx.method, ctx.pathname);
      if (fault) {
        await this.applyFault(fault, ctx, req, res, rawPath);
        return;
      }
      // A streamed body (a download) stays in flight until its last byte is sent or the client leaves.
      await this.send(ctx, res, await this.dispatch(ctx, rawPath));
    } finally {
      this.log.leave();
    }
  }

  /**
   * The reply of the real handler to a request some of whose parameters the server ignores (`changes`:
   * the query and body it sees instead); the log keeps the request as sent.
   */
  private async dispatchBlind(ctx: RequestContext, rawPath: string, changes: Pick<Partial<RequestContext>, 'query' | 'body'>): Promise<Reply> {
    const blind: RequestContext = { ...ctx, ...changes, params: {} };
    const reply = await this.dispatch(blind, rawPath);
    if (blind.userId !== undefined) ctx.userId = blind.userId;
    return reply;
  }

  /** Runs the route's handler; errors become replies (iManage's or OAuth's shape). */
  private async dispatch(ctx: RequestContext, rawPath: string): Promise<Reply> {
    const routeMethod = ctx.method === 'HEAD' ? 'GET' : ctx.method;
    const found = (ROUTE_METHODS as readonly string[]).includes(routeMethod) ? this.router.find(routeMethod as (typeof ROUTE_METHODS)[number], rawPath) : null;
    if (!found) {
      const allowed = ROUTE_METHODS.filter((m) => this.router.find(m, rawPath) !== null);
      if (allowed.length > 0) {
        return apiErrorReply(new ApiError(405, 'NRC_METHOD_NOT_ALLOWED', `${ctx.method} is not supported here.`, undefined, { allow: allowed.join(', ') }));
      }
      return apiErrorReply(new ApiError(404, 'NRC_NO_RECORD', `No such resource: ${ctx.method} ${ctx.pathname}`));
    }
    for (const [k, v] of Object.entries(found.params)) if (v !== undefined) ctx.params[k] = v;
    try {
      return await (found.store as RouteStore).handler(ctx);
    } catch (e) {
      if (e instanceof ClientGone) return droppedReply();
      if (e instanceof ApiError) return apiErrorReply(e);
      if (e instanceof OAuthError) return oauthErrorReply(e);
      console.error('[sandbox] handler failed:', e);
      return jsonReply(500, errorBody('NRC_INTERNAL_ERROR', 'Internal error in the sandbox.'));
    }
  }

  private async applyFault(fault: FaultKind, ctx: RequestContext, req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<void> {
    switch (fault.type) {
      case 'status': {
        const headers = Object.fromEntries(Object.entries(fault.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
        let reply: Reply;
        if (fault.body === undefined) {
          reply = jsonReply(fault.status, errorBody(codeForStatus(fault.status), `Simulated HTTP ${fault.status}.`), headers);
        } else if (typeof fault.body === 'string') {
          reply = { status: fault.status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body: Buffer.from(fault.body) };
        } else {
          reply = jsonReply(fault.status, fault.body, headers);
        }
        await this.send(ctx, res, reply);
        return;
      }
      case 'reset':
        this.record(ctx, 0);
        this.resetSocket(req.socket);
        return;
      case 'nonJson':
        await this.send(
          ctx,
          res,
          htmlReply(
            200,
            '<!doctype html><html><head><title>Service notice</title></head><body><h1>Please sign in</h1><p>The gateway returned a page instead of data.</p></body></html>',
          ),
        );
        return;
      case 'wrongContentType': {
        const reply = await this.dispatch(ctx, rawPath);
        reply.headers['content-type'] = 'text/plain; charset=utf-8';
        await this.send(ctx, res, reply);
        return;
      }
      case 'commitThenFail': {
        const reply = await this.dispatch(ctx, rawPath);
        if (reply.status >= 300 || reply.dropped) {
          await this.send(ctx, res, reply);
          return;
        }
        switch (fault.then ?? 'status') {
          case 'status': {
            const status = fault.status ?? 500;
            await this.send(ctx, res, jsonReply(status, errorBody(codeForStatus(status), `Simulated HTTP ${status} after the operation was carried out.`)));
            return;
          }
          case 'reset':
            this.record(ctx, 0);
            this.resetSocket(req.socket);
            return;
          case 'stall':
            this.record(ctx, 0);
            await this.wait(undefined, req);
            return;
        }
        return;
      }
      case 'slowUpload':
        // Only a streamed-body route reads after this point; elsewhere the body is already in.
        ctx.throttle = { delayMs: fault.delayMs, everyBytes: fault.everyBytes ?? 64 * 1024 };
        await this.send(ctx, res, await this.dispatch(ctx, rawPath));
        return;
      case 'afterSuccess': {
        const reply = await this.dispatch(ctx, rawPath);
        await this.send(
          ctx,
          res,
          reply.status < 300
            ? jsonReply(fault.status, errorBody(codeForStatus(fault.status), `Simulated HTTP ${fault.status} after the operation was carried out.`))
            : reply,
        );
        return;
      }
      case 'ignorePaging': {
        // The handler sees no paging position; the log keeps what the client sent.
        // A cursor alone selects cursor mode: that mode stays, only the position is forgotten.
        const { cursor, offset: _offset, ...unpaged } = ctx.query;
        if (cursor !== undefined) unpaged.paging_mode ??= 'standard_cursor';
        const reply = await this.dispatchBlind(ctx, rawPath, { query: unpaged, body: withoutBodyOffset(ctx.body) });
        // With `freshCursor`, each answer names the (same) next page with a cursor never sent before.
        const renamed = fault.freshCursor
          ? mapJsonBody(reply, (body) => (typeof body.cursor === 'string' ? { ...body, cursor: `${body.cursor}.${randomUUID()}` } : body))
          : reply;
        await this.send(ctx, res, renamed);
        return;
      }
      case 'ignoreParams': {
        const query = Object.fromEntries(Object.entries(ctx.query).filter(([name]) => !fault.names.includes(name)));
        await this.send(ctx, res, await this.dispatchBlind(ctx, rawPath, { query }));
        return;
      }
      case 'replyFields': {
        const reply = await this.dispatch(ctx, rawPath);
        await this.send(
          ctx,
          res,
          mapJsonBody(reply, (body) => ({ ...body, ...fault.fields })),
        );
        return;
      }
      case 'commitLate': {
        // An upload's body can only be read while its client is there: it is read as it comes, and the
        // commit waits (documents-upload.ts), so the client may give up with its file all sent.
        if (ctx.bodyStream) {
          ctx.commitAt = Date.now() + fault.ms;
          await this.send(ctx, res, await this.dispatch(ctx, rawPath));
          return;
        }
        // Not cut short when the client leaves: the operation runs anyway, as the fault says.
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        await this.send(ctx, res, await this.dispatch(ctx, rawPath));
        return;
      }
      case 'cursorHandle': {
        // The handle stands for the last real cursor this fault answered; the paging is the real one.
        const at = this.cursorHandles.get(fault);
        const query = ctx.query.cursor === CURSOR_HANDLE && at !== undefined ? { ...ctx.query, cursor: at } : ctx.query;
        const reply = await this.dispatchBlind(ctx, rawPath, { query });
        const handled = mapJsonBody(reply, (body) => {
          if (typeof body.cursor !== 'string') return body;
          this.cursorHandles.set(fault, body.cursor);
          return { ...body, cursor: CURSOR_HANDLE };
        });
        await this.send(ctx, res, handled);
        return;
      }
      case 'stall': {
        if (fault.ms === undefined) {
          this.record(ctx, 0);
          await this.wait(undefined, req);
          return;
        }
        if (!(await this.wait(fault.ms, req))) {
          this.record(ctx, 0);
          return;
        }
        await this.send(ctx, res, await this.dispatch(ctx, rawPath));
        return;
      }
      case 'truncate': {
        const reply = await this.dispatch(ctx, rawPath);
        if (!this.startPartial(ctx, res, reply)) return;
        // FIN rather than RST, so the client reads the half body and then hits a premature end.
        const socket = req.socket;
        await this.writePart(res, reply, 0, Math.floor(bodyLength(reply) / 2));
        socket.end();
        setTimeout(() => socket.destroy(), 1000).unref();
        return;
      }
      case 'abortBody': {
        const reply = await this.dispatch(ctx, rawPath);
        if (!this.startPartial(ctx, res, reply)) return;
        const length = bodyLength(reply);
        await this.writePart(res, reply, 0, Math.min(length, fault.afterBytes ?? Math.floor(length / 2)));
        await this.flushed(req.socket);
        res.destroy();
        return;
      }
      case 'stallBody': {
        const reply = await this.dispatch(ctx, rawPath);
        if (!this.startPartial(ctx, res, reply)) return;
        const length = bodyLength(reply);
        const cut = Math.floor(length / 2);
        if (!(await this.writePart(res, reply, 0, cut))) return;
        if (await this.wait(fault.ms, req)) {
          if (!res.destroyed && (await this.writePart(res, reply, cut, length))) res.end();
        }
        return;
      }
    }
  }

  /** Headers with the full Content-Length, so a cut-off body is detectable as such. */
  private startPartial(ctx: RequestContext, res: ServerResponse, reply: Reply): boolean {
    if (res.destroyed || res.headersSent) return false;
    this.record(ctx, reply.status);
    res.writeHead(reply.status, { ...reply.headers, 'content-length': String(bodyLength(reply)) });
    res.flushHeaders();
    return true;
  }

  /**
   * Writes body bytes `from..to` (exclusive) without ending the response, honouring backpressure;
   * false when the client went away first.
   */
  private async writePart(res: ServerResponse, reply: Reply, from: number, to: number): Promise<boolean> {
    if (res.destroyed) return false;
    if (res.req.method === 'HEAD' || to <= from) return true;
    if (!reply.stream) return (await this.writeChunk(res, reply.body.subarray(from, to))) && !res.destroyed;
    for await (const chunk of reply.stream.open(from, to)) {
      if (!(await this.writeChunk(res, chunk as Buffer))) return false;
    }
    return !res.destroyed;
  }

  /** Resolves true once the chunk is handed to the socket (after a drain if need be), false if the response closed. */
  private writeChunk(res: ServerResponse, chunk: Buffer): Promise<boolean> {
    if (res.destroyed) return Promise.resolve(false);
    if (res.write(chunk)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean): void => {
        res.off('drain', onDrain);
        res.off('close', onClose);
        resolve(ok);
      };
      const onDrain = (): void => done(true);
      const onClose = (): void => done(false);
      res.on('drain', onDrain);
      res.on('close', onClose);
    });
  }

  /** Resolves once what was written has left for the kernel (or the socket closed). */
  private flushed(socket: Socket): Promise<void> {
    if (socket.destroyed || socket.writableLength === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        socket.off('drain', done);
        socket.off('close', done);
        resolve();
      };
      socket.on('drain', done);
      socket.on('close', done);
    });
  }

  private async send(ctx: RequestContext, res: ServerResponse, reply: Reply): Promise<void> {
    if (reply.dropped || res.destroyed || res.headersSent) {
      this.record(ctx, 0);
      if (reply.dropped) res.destroy();
      return;
    }
    this.record(ctx, reply.status);
    await this.write(res, reply);
  }

  /** Sends a whole reply; a streamed body resolves when it is sent or the client has gone. */
  private async write(res: ServerResponse, reply: Reply): Promise<void> {
    if (res.destroyed || res.headersSent) return;
    const headers: Record<string, string> = { ...reply.headers };
    const noBody = reply.status === 204 || reply.status === 304;
    if (!noBody) headers['content-length'] = String(bodyLength(reply));
    res.writeHead(reply.status, headers);
    if (noBody || !reply.stream || res.req.method === 'HEAD') {
      res.end(noBody || reply.stream ? undefined : reply.body);
      return;
    }
    // pipeline destroys the generator when the client hangs up, so it stops producing at once.
    await pipeline(reply.stream.open(0, reply.stream.length), res).catch(() => undefined);
  }

  /** Logged as soon as the response is decided, so a test's fetch never races the log. */
  private record(ctx: RequestContext, status: number): void {
    this.log.add({
      method: ctx.method,
      path: ctx.pathname,
      query: { ...ctx.query },
      status,
      ...(ctx.userId !== undefined ? { userId: ctx.userId } : {}),
      ...(typeof ctx.headers.traceparent === 'string' ? { traceparent: ctx.headers.traceparent } : {}),
      at: this.config.clock(),
      headerNames: Object.keys(ctx.headers).sort(),
      ...(ctx.upload ? { upload: { ...ctx.upload } } : {}),
    });
  }

  /**
   * Resolves true after `ms` (never, when undefined), false as soon as the sandbox closes or
   * the client goes away: whoever waits then drops the request.
   */
  private wait(ms: number | undefined, req: IncomingMessage): Promise<boolean> {
    const socket = req.socket;
    if (this.closing.signal.aborted || socket.destroyed) return Promise.resolve(false);
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (ok: boolean): void => {
        if (timer) clearTimeout(timer);
        this.closing.signal.removeEventListener('abort', onAbort);
        socket.off('close', onAbort);
        resolve(ok);
      };
      const onAbort = (): void => done(false);
      this.closing.signal.addEventListener('abort', onAbort);
      socket.on('close', onAbort);
      if (ms !== undefined) timer = setTimeout(() => done(!socket.destroyed), ms);
    });
  }

  private resetSocket(socket: Socket): void {
    const s = socket as Socket & { resetAndDestroy?: () => Socket };
    if (typeof s.resetAndDestroy === 'function') s.resetAndDestroy();
    else socket.destroy();
  }

  /** Last resort: the pipeline itself threw. Answer 500 if still possible; never rethrow. */
  private crash(e: unknown, res: ServerResponse): void {
    console.error('[sandbox] request failed:', e);
    try {
      if (!res.headersSent && !res.destroyed) {
        void this.write(res, jsonReply(500, errorBody('NRC_INTERNAL_ERROR', 'Internal error in the sandbox.')));
      } else res.destroy();
    } catch {
      res.destroy();
    }
  }
}

/** The cursor every answer under the `cursorHandle` fault names its next page with. */
const CURSOR_HANDLE = 'scroll-handle';

/** A successful JSON object reply with its body changed by `change`; any other reply as it is. */
function mapJsonBody(reply: Reply, change: (body: Record<string, unknown>) => Record<string, unknown>): Reply {
  if (reply.status >= 300 || reply.stream || reply.dropped || !String(reply.headers['content-type'] ?? '').includes('json')) return reply;
  const body = JSON.parse(reply.body.toString('utf8')) as unknown;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return reply;
  return jsonReply(reply.status, change(body as Record<string, unknown>), reply.headers);
}

/** A JSON body without its `offset` (the document search POST pages by it), for the `ignorePaging` fault; any other body as it is. */
function withoutBodyOffset(body: Buffer): Buffer {
  if (body.length === 0) return body;
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || !('offset' in parsed)) return body;
    const { offset: _offset, ...rest } = parsed as Record<string, unknown>;
    return Buffer.from(JSON.stringify(rest));
  } catch {
    return body;
  }
}
