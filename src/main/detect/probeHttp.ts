// One request of a probe: a plain fetch bound to the probe's deadline, whose body is read only up
// to a cap (a hostile or confused server may answer with anything, of any size, or never).

import { errorCodes, innermostReason } from '../../plugins/kit/errorCauses.js';

/** More than any model listing or /api/show reply: a body past this is not what detect looks for. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

export type Reply =
  | { kind: 'json'; body: unknown }
  /** An HTTP status other than 2xx. */
  | { kind: 'status'; status: number }
  /** A 2xx whose body is not JSON, or is larger than MAX_BODY_BYTES. */
  | { kind: 'not-json' | 'too-big' }
  | { kind: 'refused' | 'timeout' }
  | { kind: 'unreachable'; detail: string };

export async function requestJson(url: string, signal: AbortSignal, body?: unknown): Promise<Reply> {
  try {
    const response = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal,
      redirect: 'error',
    });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return { kind: 'status', status: response.status };
    }
    const text = await readCapped(response);
    if (text === undefined) return { kind: 'too-big' };
    try {
      return { kind: 'json', body: JSON.parse(text) };
    } catch {
      return { kind: 'not-json' };
    }
  } catch (error) {
    if (signal.aborted) return { kind: 'timeout' };
    const codes = errorCodes(error);
    if (codes.includes('ECONNREFUSED')) return { kind: 'refused' };
    return { kind: 'unreachable', detail: innermostReason(error) };
  }
}

/** The body as text, or undefined once it passes MAX_BODY_BYTES (the rest is never read). */
async function readCapped(response: Response): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > MAX_BODY_BYTES || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    return declared > MAX_BODY_BYTES ? undefined : '';
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
