// Serves the StudioApi over HTTP + server-sent events for `drpo-studio serve` (the browser build of
// the studio). Generic over the API's shape: API_METHODS says what may be called, SUBSCRIPTIONS
// which of those stream; no per-method code, so a new method needs no change here.
//
//   POST /api/call/<domain>/<method>   body {"args": [...]}          -> 200 {"result": ...}
//   GET  /api/subscribe/<domain>/<method>?args=<JSON array>[&token=] -> text/event-stream
//   anything else                      -> files from staticDir (SPA fallback to index.html)
//
// Security: bound to 127.0.0.1 only; every /api request carries the per-launch token (Bearer
// header, or `?token=` on subscribe for EventSource, which cannot set headers), compared in
// constant time; the Host header must name the loopback address (DNS-rebinding guard); no CORS
// headers, so browsers keep other origins out; a strict CSP on every response.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { API_METHODS, type StudioApi, SUBSCRIPTIONS } from '../../shared/studioApi.js';

export interface ServeStudioApiOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to a fresh random token per launch. */
  token?: string;
  /** The built renderer; when given, non-/api GETs serve files from it. */
  staticDir?: string;
  /** Request body limit in bytes (default 5 MB). */
  maxBodyBytes?: number;
  /** Sees every error the API threw (clients get only its message). */
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
  "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'";

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

type AnyMethod = (...args: unknown[]) => unknown;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The API's method `domain.method`, if the contract lists it with the wanted kind; never an inherited property. */
function resolveMethod(
  api: StudioApi,
  domain: string,
  method: string,
  kind: 'call' | 'subscription',
): { target: object; fn: AnyMethod } | undefined {
  if (!Object.hasOwn(API_METHODS, domain)) return undefined;
  const methods = API_METHODS[domain as keyof StudioApi];
  if (!methods.includes(method)) return undefined;
  const isSubscription = (Object.hasOwn(SUBSCRIPTIONS, domain) ? (SUBSCRIPTIONS[domain] ?? []) : []).includes(method);
  if (isSubscription !== (kind === 'subscription')) return undefined;
  const target = (api as unknown as Record<string, unknown>)[domain];
  if (typeof target !== 'object' || target === null) return undefined;
  const fn = (target as Record<string, unknown>)[method];
  return typeof fn === 'function' ? { target, fn: fn as AnyMethod } : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

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

function parseArgs(value: unknown): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new HttpError(400, '"args" must be a JSON array');
  return value;
}

export async function serveStudioApi(api: StudioApi, options: ServeStudioApiOptions = {}): Promise<StudioApiServer> {
  if (options.token !== undefined && options.token.length === 0) throw new Error('The API token must not be empty');
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenDigest = digest(token);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const staticRoot = options.staticDir === undefined ? undefined : await realpath(path.resolve(options.staticDir));
  const report = (error: unknown, where: string): void => options.onError?.(error, where);

  /** Open event streams, ended on close() so that server.close() can finish. */
  const streams = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  let port = 0;

  function tokenMatches(candidate: string | undefined): boolean {
    // Hashing first makes the comparison constant-time regardless of the candidate's length.
    return candidate !== undefined && timingSafeEqual(digest(candidate), tokenDigest);
  }

  function authorised(req: IncomingMessage, url: URL, allowQueryToken: boolean): boolean {
    const header = req.headers.authorization;
    const bearer = header === undefined ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (tokenMatches(bearer)) return true;
    if (!allowQueryToken) return false;
    const query = url.searchParams.get('token');
    return tokenMatches(query ?? undefined);
  }

  function hostAllowed(req: IncomingMessage): boolean {
    const host = req.headers.host;
    return host === `${HOST}:${port}` || host === `localhost:${port}`;
  }

  function readBody(req: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBodyBytes) {
        reject(new HttpError(413, `Request body over ${maxBodyBytes} bytes`));
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
          reject(new HttpError(413, `Request body over ${maxBodyBytes} bytes`));
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
    if (req.method !== 'POST') throw new HttpError(405, 'Use POST');
    const resolved = resolveMethod(api, domain, method, 'call');
    if (resolved === undefined) throw new HttpError(404, `Unknown method: ${domain}.${method}`);
    const text = await readBody(req);
    let body: unknown;
    try {
      body = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      throw new HttpError(400, 'The request body is not valid JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new HttpError(400, 'The request body must be {"args": [...]}');
    const args = parseArgs((body as { args?: unknown }).args);
    let result: unknown;
    try {
      result = await resolved.fn.apply(resolved.target, args);
    } catch (error) {
      report(error, `${domain}.${method}`);
      sendJson(res, 500, { error: messageOf(error) });
      return;
    }
    sendJson(res, 200, { result });
  }

  function handleSubscribe(req: IncomingMessage, res: ServerResponse, url: URL, domain: string, method: string): void {
    if (req.method !== 'GET') throw new HttpError(405, 'Use GET');
    const resolved = resolveMethod(api, domain, method, 'subscription');
    if (resolved === undefined) throw new HttpError(404, `Unknown subscription: ${domain}.${method}`);
    let args: unknown[];
    try {
      const raw = url.searchParams.get('args');
      args = raw === null ? [] : parseArgs(JSON.parse(raw));
    } catch (error) {
      throw error instanceof HttpError ? error : new HttpError(400, '"args" is not valid JSON');
    }

    // The listener may fire synchronously (replayed events) before the stream's headers are out:
    // hold those until subscribe() has returned, so that a throwing subscribe can still answer 500.
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
      unsubscribe = resolved.fn.apply(resolved.target, [...args, listener]);
    } catch (error) {
      closed = true;
      report(error, `${domain}.${method}`);
      sendJson(res, 500, { error: messageOf(error) });
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
        report(error, `${domain}.${method} unsubscribe`);
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
    if (staticRoot === undefined) throw new HttpError(404, 'Not found');
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'Use GET');
    let decoded: string;
    try {
      decoded = decodeURIComponent(url.pathname);
    } catch {
      throw new HttpError(400, 'Malformed path');
    }
    if (decoded.includes('\0')) throw new HttpError(400, 'Malformed path');
    const inside = (file: string): boolean => file === staticRoot || file.startsWith(staticRoot + path.sep);
    const candidate = path.resolve(staticRoot, `.${path.posix.sep}${decoded.replace(/\\/g, '/')}`);
    if (!inside(candidate)) throw new HttpError(404, 'Not found');

    let file = await existingFile(candidate);
    // The real path too must stay inside the folder (no symlink escapes).
    if (file !== undefined && !inside(file)) throw new HttpError(404, 'Not found');
    if (file === undefined) file = await existingFile(path.join(staticRoot, 'index.html'));
    if (file === undefined) throw new HttpError(404, 'Not found');

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
    if (!hostAllowed(req)) throw new HttpError(403, 'Forbidden host');
    // Concatenated, not resolved against a base: a path like `//host/x` must stay a path.
    const raw = req.url ?? '/';
    const url = new URL(`http://${HOST}${raw.startsWith('/') ? raw : `/${raw}`}`);
    const parts = url.pathname.split('/');
    if (parts[1] !== 'api') return serveStatic(req, res, url);

    const kind = parts[2];
    const isSubscribe = kind === 'subscribe' && req.method === 'GET';
    if (!authorised(req, url, isSubscribe)) throw new HttpError(401, 'Missing or wrong API token');
    if (parts.length !== 5 || (kind !== 'call' && kind !== 'subscribe')) throw new HttpError(404, 'Not found');
    const domain = parts[3] ?? '';
    const method = parts[4] ?? '';
    if (kind === 'call') return handleCall(req, res, domain, method);
    return handleSubscribe(req, res, url, domain, method);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) {
        // After a 413 stop reading the rest of the body and drop the connection.
        const extra: Record<string, string> = error.status === 413 ? { Connection: 'close' } : {};
        sendJson(res, error.status, { error: error.message }, extra);
        if (error.status === 413) req.resume();
        return;
      }
      report(error, `${req.method ?? ''} ${req.url ?? ''}`);
      sendJson(res, 500, { error: 'Internal server error' });
    });
  });
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
