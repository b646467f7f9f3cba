// Fetching a model's files from a model hub (https://huggingface.co or a server in its layout,
// `<base>/<owner>/<name>/resolve/main/<file>`). A small downloader of our own rather than
// transformers.js' (env.remoteHost + env.cacheDir): that one renames each finished file into
// place, but trusts whatever arrives — no size cap, no check of the length against
// Content-Length, no refusal of an HTML page served with status 200, no marker for "every file
// arrived" — and it configures a process-wide `env`, where runs in the studio load models at once.
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';

/** Where models come from unless $DRPO_STUDIO_HUB_URL says otherwise. */
const DEFAULT_HUB_URL = 'https://huggingface.co';
/** A model file larger than this is refused (all-mpnet-base-v2's ONNX graph is 418 MiB). */
const MAX_MODEL_FILE_BYTES = 2 * 1024 ** 3;
/** A connection that sends nothing for this long is given up. */
const IDLE_TIMEOUT_MS = 30_000;

/**
 * The hub's base URL: $DRPO_STUDIO_HUB_URL, else huggingface.co. Only the environment decides
 * where models are fetched from: never a config file, a bundle or a request.
 */
export function hubBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.DRPO_STUDIO_HUB_URL?.trim() || DEFAULT_HUB_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`DRPO_STUDIO_HUB_URL is not a URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`DRPO_STUDIO_HUB_URL must be an http(s) URL, not ${url.protocol}`);
  return url.href.replace(/\/+$/, '');
}

/** A file whose headers arrived and passed the checks; its body is not read yet. */
export interface OpenedFile {
  file: string;
  total: number | null;
  /** Streams the body to `dest` (through a temporary name beside it); rejects on any fault. */
  save(dest: string, onBytes: (bytes: number) => void): Promise<void>;
}

/** Requests `<base>/<model>/resolve/main/<file>` and checks its status, type and announced length. */
export async function openHubFile(base: string, model: string, file: string, signal: AbortSignal): Promise<OpenedFile> {
  const url = `${base}/${model}/resolve/main/${file}`;
  // Its own controller, so that a stalled connection is given up alone (the caller's signal aborts it too).
  const controller = new AbortController();
  const stop = () => controller.abort(signal.reason);
  if (signal.aborted) stop();
  signal.addEventListener('abort', stop, { once: true });
  const response = await idle(controller, fetch(url, { signal: controller.signal, redirect: 'follow' })).catch(
    (error: unknown) => {
      signal.removeEventListener('abort', stop);
      throw new Error(`${file}: ${networkReason(error)}`);
    },
  );
  const fail = (why: string): never => {
    signal.removeEventListener('abort', stop);
    controller.abort();
    throw new Error(`${file}: ${why}`);
  };
  if (response.status !== 200) fail(`the server answered ${response.status} ${response.statusText}`.trim());
  if (/^text\/html\b/i.test(response.headers.get('content-type') ?? ''))
    fail('the server sent an HTML page, not the file');
  const announced = response.headers.get('content-length');
  const total = announced === null ? null : Number(announced);
  if (total !== null && !(Number.isSafeInteger(total) && total >= 0)) fail(`bad Content-Length ${announced}`);
  if (total !== null && total > MAX_MODEL_FILE_BYTES) fail(`${total} bytes is over the ${MAX_MODEL_FILE_BYTES} limit`);
  const body = response.body ?? fail('the response has no body');
  return {
    file,
    total,
    save: (dest, onBytes) =>
      saveBody(body, { file, total, dest, controller, onBytes }).finally(() =>
        signal.removeEventListener('abort', stop),
      ),
  };
}

async function saveBody(
  body: ReadableStream<Uint8Array>,
  options: {
    file: string;
    total: number | null;
    dest: string;
    controller: AbortController;
    onBytes: (n: number) => void;
  },
): Promise<void> {
  const { file, total, dest, controller } = options;
  mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = partName(dest);
  // A file handle rather than a stream: each write is awaited, and a full disk rejects like any other fault.
  const out = await open(tmp, 'wx');
  const reader = body.getReader();
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await idle(controller, reader.read()).catch((error: unknown) => {
        throw new Error(`${file}: ${networkReason(error)} after ${bytes} bytes`);
      });
      if (done) break;
      if (bytes === 0 && looksLikeHtml(value)) throw new Error(`${file}: the server sent an HTML page, not the file`);
      bytes += value.length;
      if (bytes > (total ?? MAX_MODEL_FILE_BYTES))
        throw new Error(
          `${file}: more than the ${total ?? MAX_MODEL_FILE_BYTES} bytes ${total ? 'announced' : 'allowed'}`,
        );
      await out.write(value);
      options.onBytes(bytes);
    }
    if (total !== null && bytes !== total) throw new Error(`${file}: cut short, ${bytes} of ${total} bytes`);
    await out.close();
    renameSync(tmp, dest);
  } catch (error) {
    controller.abort();
    await out.close().catch(() => {});
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** A temporary name beside `dest`, with this process's id (a later download removes those of dead processes). */
function partName(dest: string): string {
  return `${dest}.part-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Matches the temporary files of `partName`, capturing the process id. */
export const PART_FILE = /\.part-(\d+)-[0-9a-f]{8}$/;

/** An error page served as a file: it starts with `<!doctype html` or `<html` (after blanks). */
function looksLikeHtml(chunk: Uint8Array): boolean {
  const head = Buffer.from(chunk.subarray(0, 64)).toString('latin1').trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html');
}

/** `step`, unless nothing happens for the idle timeout: then the connection is aborted. */
async function idle<T>(controller: AbortController, step: Promise<T>): Promise<T> {
  const timer = setTimeout(() => controller.abort(new DOMException('idle', 'TimeoutError')), IDLE_TIMEOUT_MS);
  try {
    return await step;
  } finally {
    clearTimeout(timer);
  }
}

/** "connection refused", "no bytes for 30 s"… from fetch's wrapped errors. */
function networkReason(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return `nothing arrived for ${IDLE_TIMEOUT_MS / 1000} s`;
  if (e?.name === 'AbortError') return 'cancelled';
  const cause = e?.cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN') return 'no network (the host name does not resolve)';
  return cause?.message ?? cause?.code ?? e?.message ?? String(error);
}
