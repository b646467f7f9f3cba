// The StudioApi as seen from a browser (or Node 20) talking to `drpo-studio serve`: the client half
// of src/main/transports/httpTransport.ts. Generic over API_METHODS / SUBSCRIPTIONS, built on
// `fetch` alone: calls are POSTs, subscriptions POSTs too that read the server-sent-event stream from the
// response body (not EventSource, which can neither send the token as a header nor run in Node).
// Errors arrive as {"error": StudioErrorBody} and reject as StudioApiError. No Node imports: this
// file ships to the renderer.
import { buildStudioClient, type StudioApi } from './studioApi.js';
import { errorFromBody, STUDIO_ERROR_STATUS, StudioApiError, type StudioErrorCode } from './studioApiError.js';

export interface HttpStudioClientOptions {
  /**
   * A subscription that could not start (its error message) or whose stream ended without being
   * unsubscribed (server gone). Nothing reconnects by itself: subscribe again (e.g. from the last
   * seq seen). Default: console.warn.
   */
  onSubscriptionError?: (error: Error, channel: string) => void;
}

type Listener = (value: unknown) => void;

export function createHttpStudioClient(
  baseUrl: string,
  token: string,
  options: HttpStudioClientOptions = {},
): StudioApi {
  const base = baseUrl.replace(/\/+$/, '');
  const authorization = `Bearer ${token}`;
  const onSubscriptionError =
    options.onSubscriptionError ?? ((error, channel) => console.warn(`Subscription ${channel}: ${error.message}`));

  async function call(domain: string, method: string, args: unknown[]): Promise<unknown> {
    const response = await fetch(`${base}/api/call/${encodeURIComponent(domain)}/${encodeURIComponent(method)}`, {
      method: 'POST',
      headers: { Authorization: authorization, 'Content-Type': 'application/json' },
      body: JSON.stringify({ args }),
    });
    const body = await readJson(response);
    if (!response.ok) throw responseError(body, response);
    return (body as { result?: unknown } | undefined)?.result;
  }

  function subscribe(domain: string, method: string, args: unknown[], listener: Listener): () => void {
    const channel = `${domain}:${method}`;
    const controller = new AbortController();
    let stopped = false;
    const deliver = (value: unknown): void => {
      if (stopped) return;
      try {
        listener(value);
      } catch (error) {
        onSubscriptionError(asError(error), channel);
      }
    };

    // The arguments go in the body: in the URL a long one (a prompt) would hit the header limit.
    const url = `${base}/api/subscribe/${encodeURIComponent(domain)}/${encodeURIComponent(method)}`;
    void (async () => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { Authorization: authorization, Accept: 'text/event-stream', 'Content-Type': 'application/json' },
        body: JSON.stringify({ args }),
        signal: controller.signal,
        cache: 'no-store',
      });
      if (!response.ok || response.body === null) {
        throw responseError(await readJson(response), response);
      }
      await readEventStream(response.body, (data) => deliver(JSON.parse(data)));
      if (!stopped) throw new Error('The event stream ended');
    })().catch((error: unknown) => {
      if (!stopped) onSubscriptionError(asError(error), channel);
    });

    return () => {
      if (stopped) return;
      stopped = true;
      controller.abort();
    };
  }

  return buildStudioClient(call, subscribe);
}

/**
 * Reads a text/event-stream body, handing each event's data (its `data:` lines joined by "\n") to
 * onData. Comments (": ping") and events with a name other than "message" are skipped.
 */
async function readEventStream(body: ReadableStream<Uint8Array>, onData: (data: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  let eventName = '';

  const line = (text: string): void => {
    if (text === '') {
      if (data.length > 0 && (eventName === '' || eventName === 'message')) onData(data.join('\n'));
      data = [];
      eventName = '';
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') eventName = value;
  };

  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      // Split on CRLF, CR or LF; a CR at the very end may be the first half of a CRLF still in flight.
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer[i];
        if (c !== '\n' && c !== '\r') continue;
        if (c === '\r' && i === buffer.length - 1 && !done) break;
        line(buffer.slice(start, i));
        if (c === '\r' && buffer[i + 1] === '\n') i++;
        start = i + 1;
      }
      buffer = buffer.slice(start);
      if (done) return;
    }
  } finally {
    reader.releaseLock();
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The server's StudioApiError, or one made from the status alone (a proxy's page, an empty body). */
function responseError(body: unknown, response: Response): StudioApiError {
  const sent = errorFromBody((body as { error?: unknown } | undefined)?.error);
  if (sent) return sent;
  const code = (Object.keys(STUDIO_ERROR_STATUS) as StudioErrorCode[]).find(
    (c) => STUDIO_ERROR_STATUS[c] === response.status,
  );
  return new StudioApiError(code ?? 'internal', `HTTP ${response.status} ${response.statusText}`.trim());
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
