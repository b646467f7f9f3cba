// One small request before a download: the first bytes of the file (a Range request). It turns
// what the downloader would retry for minutes or take in whole (a 404, a server error, a login
// page, a file that is not a GGUF) into one clear refusal before anything is written, and tells
// the file's length for the disk-space check.
import type { ModelSource } from './modelSource.js';

export interface Probe {
  /** The file's length, when the server said (Content-Range, or Content-Length of a whole answer). */
  total?: number;
}

const PROBE_TIMEOUT_MS = 30_000;

export async function probeSource(source: ModelSource, signal: AbortSignal): Promise<Probe> {
  const timeout = AbortSignal.timeout(PROBE_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(source.url, {
      headers: { range: 'bytes=0-3', 'accept-encoding': 'identity' },
      redirect: 'follow',
      signal: AbortSignal.any([signal, timeout]),
    });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw new Error(`${source.label}: ${unreachable(error, timeout.aborted)}`);
  }
  try {
    if (response.status !== 200 && response.status !== 206) throw new Error(refusal(source, response));
    const head = await firstBytes(response, 4);
    if (head.toString('latin1') !== 'GGUF')
      throw new Error(`${source.label} is not a GGUF file (it starts with ${JSON.stringify(head.toString('latin1'))})`);
    const ranged = /\/(\d+)\s*$/.exec(response.headers.get('content-range') ?? '')?.[1];
    const whole = response.status === 200 ? response.headers.get('content-length') : null;
    const total = Number(ranged ?? whole ?? Number.NaN);
    return Number.isSafeInteger(total) && total > 0 ? { total } : {};
  } finally {
    if (!response.bodyUsed) await response.body?.cancel().catch(() => {});
  }
}

/** The body's first `n` bytes (fewer if it is shorter); a server that ignores Range is not read to its end. */
async function firstBytes(response: Response, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  const reader = response.body?.getReader();
  while (reader && length < n) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(Buffer.from(value));
    length += value.length;
  }
  await reader?.cancel().catch(() => {});
  return Buffer.concat(chunks).subarray(0, n);
}

/** What an error status means for this source, in words. */
function refusal(source: ModelSource, response: Response): string {
  const status = `${response.status} ${response.statusText}`.trim();
  if (response.status === 404)
    return source.fromHub ? `the hub has no ${source.label} (404)` : `${source.label}: not found (404)`;
  if (response.status === 401 || response.status === 403)
    return `${source.label}: access refused (${status}); only public files can be downloaded (a gated model needs its licence accepted and a token)`;
  if (response.status >= 500) return `${source.label}: the server failed (${status}); try again later`;
  return `${source.label}: the server answered ${status}`;
}

/** "connection refused", "no network"… from fetch's wrapped errors. */
function unreachable(error: unknown, timedOut: boolean): string {
  if (timedOut) return `no answer in ${PROBE_TIMEOUT_MS / 1000} s`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN') return 'no network (the host name does not resolve)';
  return cause?.message ?? (error as Error).message;
}
