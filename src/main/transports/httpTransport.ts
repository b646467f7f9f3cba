// Serves the StudioApi over HTTP + server-sent events for `drpo-studio serve` (the browser build of
// the studio). Generic over the API's shape (apiDispatch.ts): no per-method code, so a new method
// needs no change here.
//
//   POST /api/call/<domain>/<method>       body {"args": [...]} -> 200 {"result": ...}
//   POST /api/subscribe/<domain>/<method>  body {"args": [...]} -> text/event-stream
//        (a body, not the URL: long arguments, such as a playground prompt, would exceed the
//        header limit and get a 431)
//   anything else                          -> files from staticDir (SPA fallback to index.html)
//   an error                               -> its status, {"error": {code, message, details?}} (studioApiError.ts)
//
// Security: bound to 127.0.0.1 only; every /api request carries the per-launch token as a Bearer
// header (the browser client reads it from the page's `#token=` fragment), compared in constant
// time; the Host header must name the loopback address (DNS-rebinding guard); no CORS headers, so
// browsers keep other origins out; a strict CSP on every response (no framing, plugins or <base>);
// explicit header and request timeouts, which end a slow request but never an open event stream
// (Node times the receiving of a request, and a subscription's request is received at once).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import type { StudioApi } from '../../shared/studioApi.js';
import {
  STUDIO_ERROR_STATUS,
  StudioApiError,
  type StudioErrorBody,
  type StudioErrorCode,
} from '../../shared/studioApiError.js';
import { failure, findMethod, serveMethods } from './apiDispatch.js';

export interface ServeStudioApiOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to a fresh random token per launch. */
  token?: string;
  /** The built renderer; when given, non-/api GETs serve files from it. */
  staticDir?: string;
  /** Request body limit in bytes (default 5 MB). */
  maxBodyBytes?: number;
  /** Time limits in milliseconds (defaults: HTTP_TIMEOUTS). */
  timeouts?: Partial<HttpTimeouts>;
  /** Sees every internal error (anything but a StudioApiError); the client gets its message, never its stack. */
  onError?: (error: unknown, where: string) => void;
}

export interface StudioApiServer {
  /** http://127.0.0.1:<port>, no trailing slash. */
  url: string;
  token: string;
  /** Stops listening, ends every open event stream (unsubscribing it) and closes all connections. */
  close(): Promise<void>;
}

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export interface HttpTimeouts {
  /** To receive a request's headers (a client that trickles them holds a socket). */
  headersMs: number;
  /** To receive a whole request, body included (5 MB over loopback takes milliseconds). */
  requestMs: number;
  /** An idle keep-alive connection stays open this long between requests. */
  keepAliveMs: number;
}

export const HTTP_TIMEOUTS: Readonly<HttpTimeouts> = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000 };

const HOST = '127.0.0.1';
const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;
const PING_INTERVAL_MS = 15_000;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/** An error of the transport itself (no token, a malformed request), sent as it is. */
const fail = (code: StudioErrorCode, message: string): StudioApiError => new StudioApiError(code, message);

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function baseHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...baseHeaders(),
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(text);
}

function sendError(res: ServerResponse, error: StudioErrorBody, extra: Record<string, string> = {}): void {
  sendJson(res, STUDIO_ERROR_STATUS[error.code], { error }, extra);
}

function parseArgs(value: unknown): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw fail('invalid-argument', '"args" must be a JSON array');
  return value;
}

export async function serveStudioApi(api: StudioApi, options: ServeStudioApiOptions = {}): Promise<StudioApiServer> {
  if (options.token !== undefined && options.token.length === 0) throw new Error('The API token must not be empty');
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenDigest = digest(token);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const staticRoot = options.staticDir === undefined ? undefined : await realpath(path.resolve(options.staticDir));
  const report = (error: unknown, where: string): void => options.onError?.(error, where);
  const served = serveMethods(api);

  /** Open event streams, ended on close() so that server.close() can finish. */
  const streams = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  let port = 0;

  function tokenMatches(candidate: string | undefined): boolean {
    // Hashing first makes the comparison constant-time regardless of the candidate's length.
    return candidate !== undefined && timingSafeEqual(digest(candidate), tokenDigest);
  }

  function authorised(req: IncomingMessage): boolean {
    const header = req.headers.authorization;
    return tokenMatches(header === undefined ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1]);
  }

  function hostAllowed(req: IncomingMessage): boolean {
    const host = req.headers.host;
    return host === `${HOST}:${port}` || host === `localhost:${port}`;
  }

  function readBody(req: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBodyBytes) {
        reject(fail('too-large', `Request body over ${maxBodyBytes} bytes`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let failed = false;
      req.on('data', (chunk: Buffer) => {
        if (failed) return;
        size += chunk.length;
        if (size > maxBodyBytes) {
          failed = true;
          chunks.length = 0;
          reject(fail('too-large', `Request body over ${maxBodyBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => {
        if (!failed) resolve(Buffer.concat(chunks).toString('utf8'));
      });
      req.on('error', (error) => {
        if (!failed) reject(error);
      });
    });
  }

  async function handleCall(req: IncomingMessage, res: ServerResponse, domain: string, method: string): Promise<void> {
    if (req.method !== 'POST') throw fail('method-not-allowed', 'Use POST');
    const target = findMethod(served, domain, method, 'call');
    const args = await readArgs(req);
    let result: unknown;
    try {
      result = await target.invoke(args);
    } catch (error) {
      sendError(res, failure(error, target.name, report));
      return;
    }
    sendJson(res, 200, { result });
  }

  /** The `args` of a {"args": [...]} request body; an empty body means none. */
  async function readArgs(req: IncomingMessage): Promise<unknown[]> {
    const text = await readBody(req);
    let body: unknown;
    try {
      body = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      throw fail('invalid-argument', 'The request body is not valid JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw fail('invalid-argument', 'The request body must be {"args": [...]}');
    return parseArgs((body as { args?: unknown }).args);
  }

  async function handleSubscribe(
    req: IncomingMessage,
    res: ServerResponse,
    domain: string,
    method: string,
  ): Promise<void> {
    if (req.method !== 'POST') throw fail('method-not-allowed', 'Use POST');
    const target = findMethod(served, domain, method, 'subscription');
    const args = await readArgs(req);

    // The listener may fire synchronously (replayed events) before the stream's headers are out:
    // hold those until subscribe() has returned, so that a throwing subscribe can still answer its error.
    let open = false;
    let closed = false;
    const pending: string[] = [];
    const frame = (value: unknown): string => `data: ${JSON.stringify(value ?? null)}\n\n`;
    const listener = (value: unknown): void => {
      if (closed) return;
      if (open) res.write(frame(value));
      else pending.push(frame(value));
    };

    let unsubscribe: unknown;
    try {
      unsubscribe = target.invoke(args, listener);
    } catch (error) {
      closed = true;
      sendError(res, failure(error, target.name, report));
      return;
    }

    const ping = setInterval(() => res.write(': ping\n\n'), PING_INTERVAL_MS);
    ping.unref();
    const cleanup = (): void => {
      if (closed) return;
      closed = true;
      clearInterval(ping);
      streams.delete(res);
      try {
        if (typeof unsubscribe === 'function') (unsubscribe as () => void)();
      } catch (error) {
        report(error, `${target.name} unsubscribe`);
      }
    };
    res.on('close', cleanup);
    streams.add(res);

    res.writeHead(200, {
      ...baseHeaders(),
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    open = true;
    res.write(`: subscribed\n\n${pending.join('')}`);
    pending.length = 0;
    if (res.destroyed) cleanup();
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (staticRoot === undefined) throw fail('not-found', 'Not found');
    if (req.method !== 'GET' && req.method !== 'HEAD') throw fail('method-not-allowed', 'Use GET');
    let decoded: string;
    try {
      decoded = decodeURIComponent(url.pathname);
    } catch {
      throw fail('invalid-argument', 'Malformed path');
    }
    if (decoded.includes('\0')) throw fail('invalid-argument', 'Malformed path');
    const inside = (file: string): boolean => file === staticRoot || file.startsWith(staticRoot + path.sep);
    const candidate = path.resolve(staticRoot, `.${path.posix.sep}${decoded.replace(/\\/g, '/')}`);
    if (!inside(candidate)) throw fail('not-found', 'Not found');

    let file = await existingFile(candidate);
    // The real path too must stay inside the folder (no symlink escapes).
    if (file !== undefined && !inside(file)) throw fail('not-found', 'Not found');
    if (file === undefined) file = await existingFile(path.join(staticRoot, 'index.html'));
    if (file === undefined) throw fail('not-found', 'Not found');

    const info = await stat(file);
    res.writeHead(200, {
      ...baseHeaders(),
      'Content-Type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': String(info.size),
      'Cache-Control': 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  /** The file's real path when it is a regular file, else undefined. */
  async function existingFile(candidate: string): Promise<string | undefined> {
    try {
      const real = await realpath(candidate);
      return (await stat(real)).isFile() ? real : undefined;
    } catch {
      return undefined;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req)) throw fail('forbidden', 'Forbidden host');
    // Concatenated, not resolved against a base: a path like `//host/x` must stay a path.
    const raw = req.url ?? '/';
    const url = new URL(`http://${HOST}${raw.startsWith('/') ? raw : `/${raw}`}`);
    const parts = url.pathname.split('/');
    if (parts[1] !== 'api') return serveStatic(req, res, url);

    const kind = parts[2];
    if (!authorised(req)) throw fail('unauthenticated', 'Missing or wrong API token');
    if (parts.length !== 5 || (kind !== 'call' && kind !== 'subscribe')) throw fail('not-found', 'Not found');
    const domain = parts[3] ?? '';
    const method = parts[4] ?? '';
    if (kind === 'call') return handleCall(req, res, domain, method);
    return handleSubscribe(req, res, domain, method);
  }

  const timeouts = { ...HTTP_TIMEOUTS, ...options.timeouts };
  const server = createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      // How often Node looks for requests past their time (its default, 30 s, would let them run long past it).
      connectionsCheckingInterval: Math.min(1000, timeouts.headersMs),
    },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        if (error instanceof StudioApiError) {
          // After a 413 stop reading the rest of the body and drop the connection.
          const tooLarge = error.code === 'too-large';
          sendError(res, error.toBody(), tooLarge ? { Connection: 'close' } : {});
          if (tooLarge) req.resume();
          return;
        }
        // The server's own failure (a file that vanished…): no details at all.
        report(error, `${req.method ?? ''} ${req.url ?? ''}`);
        sendError(res, { code: 'internal', message: 'Internal server error' });
      });
    },
  );
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: HOST, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${HOST}:${port}`,
    token,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const res of streams) res.end();
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
