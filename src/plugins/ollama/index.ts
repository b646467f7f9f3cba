// Ollama backend: talks to an Ollama server with the official `ollama` npm client.
//
// Every call gets its own `Ollama` client object, created with a `fetch` wrapper that
//  - threads one AbortSignal (caller's signal + request timeout + dispose) into every HTTP
//    request of the call. The client itself only wires an abort signal into *streamed*
//    requests, and its `abort()` aborts every stream of that client object, so a shared client
//    would let one cancellation kill the others and leave list/show/embed unabortable;
//  - keeps the response headers the client throws away: on an HTTP error the client raises
//    `ResponseError(message, status_code)` only, so `Retry-After` is read from the Response's
//    headers, kept here before the client sees it.
// Generation always streams (`stream: true`): text reaches `onText` as it arrives, and a stream
// that ends without Ollama's final `done: true` chunk is detected as a cut connection.
//
// The host schedules, retries and caches; this plugin maps one request onto one HTTP call and
// classifies what went wrong into ModelCallError kinds with messages a user can act on.

import type { ChatResponse, GenerateResponse, Ollama, Options } from 'ollama';

import {
  type BackendPlugin,
  type Capabilities,
  cutAtStop,
  type GenerateRequest,
  type GenerateResult,
  ModelCallError,
  type ModelClient,
  type ModelInfo,
  type PluginContext,
} from '../contract.js';
import { ClientLifetime } from '../kit/clientLifetime.js';
import { errorCodes, errorText } from '../kit/errorCauses.js';
import { checkRequest } from '../kit/requestChecks.js';
import { retryAfterMs } from '../kit/retryAfter.js';
import { SettingsReader } from '../kit/settings.js';
import manifest from './manifest.json' with { type: 'json' };

type OllamaModule = typeof import('ollama');

const capabilities: Capabilities = manifest.capabilities;

// ---------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------

export interface OllamaSettings {
  /** The address as the user wrote it (used in messages and handed to the client). */
  host: string;
  /** Sent as a bearer token, for an Ollama behind an authenticating proxy; undefined: none. */
  apiKey: string | undefined;
  model: string;
  /** keep_alive: a duration string ("5m") or seconds; undefined = the server's default. */
  keepAlive: string | number | undefined;
  numCtx: number | undefined;
  numParallel: number;
  requestTimeoutMs: number;
}

const DEFAULTS = { host: 'http://127.0.0.1:11434', numParallel: 1, requestTimeoutMs: 300_000 } as const;

export function parseSettings(settings: Record<string, unknown>): OllamaSettings {
  const read = new SettingsReader('ollama', settings);
  const model = read.requiredString('model', 'a model pulled on the server, e.g. "llama3.2:3b"; see `ollama list`');
  const host = read.string('host', DEFAULTS.host).replace(/\/+$/, '');
  try {
    new URL(host.includes('://') ? host : `http://${host}`);
  } catch {
    throw read.error(`setting "host" is not a valid address: ${JSON.stringify(host)} (e.g. "http://127.0.0.1:11434")`);
  }
  const rawKeepAlive = settings.keepAlive;
  let keepAlive: string | number | undefined;
  if (typeof rawKeepAlive === 'number' && Number.isFinite(rawKeepAlive)) keepAlive = rawKeepAlive;
  else if (typeof rawKeepAlive === 'string' && rawKeepAlive.trim() !== '') {
    const text = rawKeepAlive.trim();
    // Ollama parses a keep_alive *string* as a Go duration ("5m", "-1m"), which needs a unit;
    // a bare number ("-1", "0", "3600") has to travel as a JSON number (seconds).
    keepAlive = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
  } else if (rawKeepAlive !== undefined && rawKeepAlive !== null && rawKeepAlive !== '') {
    throw read.error(
      `setting "keepAlive" must be a duration like "5m" or a number of seconds (got ${JSON.stringify(rawKeepAlive)})`,
    );
  }
  return {
    host,
    apiKey: read.string('apiKey'),
    model,
    keepAlive,
    numCtx: read.integer('numCtx', 1, 1 << 24),
    numParallel: read.integer('numParallel', 1, 256, DEFAULTS.numParallel),
    requestTimeoutMs: read.integer('requestTimeoutMs', 1, 24 * 3600 * 1000, DEFAULTS.requestTimeoutMs),
  };
}

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

interface ResponseErrorLike {
  name: 'ResponseError';
  error: string;
  status_code: number;
}

function isResponseError(error: unknown): error is ResponseErrorLike {
  return (
    error instanceof Error &&
    error.name === 'ResponseError' &&
    typeof (error as { status_code?: unknown }).status_code === 'number'
  );
}

// The client's message when a stream ends without the final `done: true` chunk.
const NO_DONE_MESSAGE = 'Did not receive done or success response in stream';

/** What one call knows when it classifies its failure. */
interface CallState {
  what: string;
  /** True once the streamed body is being read (errors past this point cut a reply in half). */
  streaming: boolean;
  /** Headers of the last non-2xx response (for Retry-After). */
  failedHeaders: Headers | undefined;
  /** Path of the last request ("/api/chat"), for messages. */
  path: string;
}

// ---------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------

class OllamaClient implements ModelClient {
  readonly capabilities = capabilities;
  readonly maxParallel: number;

  private readonly lifetime = new ClientLifetime('ollama');

  constructor(
    private readonly lib: OllamaModule,
    private readonly settings: OllamaSettings,
    private readonly ctx: PluginContext,
  ) {
    this.maxParallel = settings.numParallel;
  }

  generate(request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
    return this.lifetime.track(() => {
      checkRequest(request, 'ollama', capabilities);
      return this.call('generation', signal, (client, state) => this.stream(client, state, request));
    });
  }

  listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    return this.lifetime.track(() =>
      this.call('listing models', signal, async (client) => {
        const { models } = await client.list();
        const names = models
          .map((m) => m.name || m.model)
          .filter((n): n is string => typeof n === 'string' && n !== '');
        // Context lengths cost one /api/show per model: cheap on a local server, skipped past 32.
        const lengths =
          names.length <= 32 ? await mapLimit(names, 4, (name) => this.contextLengthOf(client, name)) : [];
        return names.map((id, i) => {
          const trained = lengths[i];
          const numCtx = this.settings.numCtx;
          // Every request carries num_ctx when it is set, so that is what the server accepts.
          const contextLength =
            numCtx !== undefined ? (trained !== undefined ? Math.min(numCtx, trained) : numCtx) : trained;
          return contextLength !== undefined ? { id, contextLength } : { id };
        });
      }),
    );
  }

  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    return this.lifetime.track(async () => {
      if (texts.length === 0) return [];
      return this.call('embedding', signal, async (client) => {
        const response = await client.embed({
          model: this.settings.model,
          input: texts,
          ...(this.settings.keepAlive !== undefined ? { keep_alive: this.settings.keepAlive } : {}),
          ...(this.settings.numCtx !== undefined ? { options: { num_ctx: this.settings.numCtx } } : {}),
        });
        const embeddings = response.embeddings;
        if (!Array.isArray(embeddings) || embeddings.length !== texts.length) {
          throw new ModelCallError(
            'server',
            `ollama: ${this.settings.host} returned ${Array.isArray(embeddings) ? embeddings.length : 'no'} embeddings for ${texts.length} texts`,
          );
        }
        return embeddings.map((v) => Float32Array.from(v));
      });
    });
  }

  dispose(): Promise<void> {
    return this.lifetime.dispose();
  }

  // -------------------------------------------------------------------------------------

  /**
   * Runs `body` with a fresh client whose every HTTP request is bound to this call's signal
   * (caller + timeout + dispose), and turns whatever fails into a ModelCallError.
   */
  private async call<T>(
    what: string,
    callerSignal: AbortSignal | undefined,
    body: (client: Ollama, state: CallState) => Promise<T>,
  ): Promise<T> {
    const timeout = new AbortController();
    const local = new AbortController(); // ends this call's HTTP request when `body` fails
    const signals = [this.lifetime.signal, timeout.signal, local.signal];
    if (callerSignal) signals.push(callerSignal);
    const signal = AbortSignal.any(signals);
    if (callerSignal?.aborted) throw aborted(callerSignal.reason);
    if (this.lifetime.signal.aborted) throw new ModelCallError('aborted', 'ollama: the client was disposed');

    const state: CallState = { what, streaming: false, failedHeaders: undefined, path: '' };
    const boundFetch: typeof fetch = async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      state.path = new URL(url).pathname;
      const response = await fetch(input, {
        ...init,
        signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal,
      });
      if (!response.ok) state.failedHeaders = response.headers;
      return response;
    };
    const { host, apiKey } = this.settings;
    const client = new this.lib.Ollama({
      host,
      fetch: boundFetch,
      ...(apiKey ? { headers: { Authorization: `Bearer ${apiKey}` } } : {}),
    });
    // Node's fetch (undici) has its own 300 s headers/body timeouts; past them it fails with
    // UND_ERR_HEADERS_TIMEOUT / UND_ERR_BODY_TIMEOUT, which are classified as 'timeout' too.
    const timer = setTimeout(() => timeout.abort(new Error('request timeout')), this.settings.requestTimeoutMs);
    try {
      return await body(client, state);
    } catch (error) {
      local.abort(error);
      // The caller's own onText threw: hand its error back untouched (the request is ended).
      if (error instanceof CallbackError) throw error.cause;
      if (callerSignal?.aborted) throw aborted(callerSignal.reason);
      if (this.lifetime.signal.aborted)
        throw new ModelCallError('aborted', 'ollama: the client was disposed', { cause: error });
      if (timeout.signal.aborted) throw this.timeoutError(error);
      throw this.classify(error, state);
    } finally {
      clearTimeout(timer);
    }
  }

  private async stream(client: Ollama, state: CallState, request: GenerateRequest): Promise<GenerateResult> {
    const { settings } = this;
    const stops = (request.stop ?? []).filter((s) => s.length > 0);
    const options: Partial<Options> = {
      temperature: request.temperature,
      num_predict: request.maxTokens,
      ...(request.topP !== undefined ? { top_p: request.topP } : {}),
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
      ...(stops.length > 0 ? { stop: stops } : {}),
      ...(settings.numCtx !== undefined ? { num_ctx: settings.numCtx } : {}),
    };
    const common = {
      model: settings.model,
      stream: true as const,
      options,
      ...(request.jsonSchema ? { format: request.jsonSchema } : {}),
      ...(settings.keepAlive !== undefined ? { keep_alive: settings.keepAlive } : {}),
    };

    // Thinking models send their reasoning in `thinking` (chat: message.thinking); only the
    // answer (`content` / `response`) is the reply.
    let chunks: AsyncIterable<ChatResponse | GenerateResponse>;
    let pieceOf: (chunk: ChatResponse | GenerateResponse) => string;
    if (request.input.kind === 'chat') {
      chunks = await client.chat({
        ...common,
        messages: request.input.messages.map((m) => ({ role: m.role, content: m.content })),
      });
      pieceOf = (chunk) => ('message' in chunk ? (chunk.message?.content ?? '') : '');
    } else {
      // raw: the prompt goes to the model untouched (no template, no system prompt): a base model's completion.
      chunks = await client.generate({ ...common, prompt: request.input.text, raw: true });
      pieceOf = (chunk) => ('response' in chunk ? (chunk.response ?? '') : '');
    }

    state.streaming = true;
    let text = '';
    let final: ChatResponse | GenerateResponse | undefined;
    for await (const chunk of chunks) {
      const piece = pieceOf(chunk);
      if (piece) {
        text += piece;
        try {
          request.onText?.(piece);
        } catch (error) {
          throw new CallbackError(error);
        }
      }
      if (chunk.done) final = chunk;
    }
    // The client throws when the body ends without `done`; this guards against that changing.
    if (!final) throw new Error(NO_DONE_MESSAGE);
    // Ollama already leaves the stop string out; cutting again is harmless and backend-proof.
    return {
      texts: [cutAtStop(text, stops)],
      usage: { promptTokens: final.prompt_eval_count ?? 0, completionTokens: final.eval_count ?? 0 },
    };
  }

  private async contextLengthOf(client: Ollama, name: string): Promise<number | undefined> {
    try {
      const info = (await client.show({ model: name })).model_info as unknown as Record<string, unknown> | undefined;
      if (!info) return undefined;
      const arch = info['general.architecture'];
      const value = typeof arch === 'string' ? info[`${arch}.context_length`] : undefined;
      return typeof value === 'number' && value > 0 ? value : undefined;
    } catch (error) {
      this.ctx.log(`ollama: no context length for ${name}: ${errorText(error)}`);
      return undefined;
    }
  }

  private timeoutError(cause: unknown): ModelCallError {
    return new ModelCallError(
      'timeout',
      `Ollama at ${this.settings.host} did not finish the request within ${this.settings.requestTimeoutMs} ms. ` +
        'A first request may be loading the model; raise "requestTimeoutMs" for slow models or lower maxTokens.',
      { cause },
    );
  }

  private classify(error: unknown, state: CallState): ModelCallError {
    if (error instanceof ModelCallError) return error;
    const { host, model } = this.settings;
    const detail = errorText(error);

    if (isResponseError(error)) {
      const status = error.status_code;
      const said = error.error || detail;
      if (status === 404) {
        if (/model\b.*\bnot found|try pulling/i.test(said)) {
          return new ModelCallError(
            'not-found',
            `The model "${model}" is not pulled on the Ollama at ${host}. Pull it with \`ollama pull ${model}\`.`,
            {
              cause: error,
            },
          );
        }
        return new ModelCallError(
          'not-found',
          `Ollama at ${host} has no ${state.path || 'such'} endpoint (404: ${said}). Check the address, or upgrade Ollama.`,
          { cause: error },
        );
      }
      if (status === 401 || status === 403) {
        return new ModelCallError(
          'auth',
          `Ollama at ${host} refused the request (${status}: ${said}). ${this.settings.apiKey ? 'Check the API key' : 'A proxy in front of Ollama may require a key: set "apiKey"'}, or the address.`,
          { cause: error },
        );
      }
      if (status === 429) {
        const retryAfter = retryAfterMs(state.failedHeaders);
        return new ModelCallError(
          'rate-limit',
          `Ollama at ${host} is rate-limiting requests (429: ${said})${retryAfter !== undefined ? `; retry after ${retryAfter} ms` : ''}.`,
          { cause: error, ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}) },
        );
      }
      if (status === 408) return this.timeoutError(error);
      if (status >= 500) {
        const retryAfter = retryAfterMs(state.failedHeaders);
        // Ollama answers 503 when its queue (OLLAMA_MAX_QUEUE) is full: wait, as for a 429.
        if (status === 503)
          return new ModelCallError('overloaded', `Ollama at ${host} is busy (503: ${said}).`, {
            cause: error,
            ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}),
          });
        return new ModelCallError('server', `Ollama at ${host} failed while ${state.what} (${status}: ${said}).`, {
          cause: error,
          ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}),
        });
      }
      return new ModelCallError('bad-request', `Ollama at ${host} rejected the request (${status}: ${said}).`, {
        cause: error,
      });
    }

    const codes = errorCodes(error);
    if (
      codes.some(
        (c) =>
          c === 'UND_ERR_HEADERS_TIMEOUT' ||
          c === 'UND_ERR_BODY_TIMEOUT' ||
          c === 'UND_ERR_CONNECT_TIMEOUT' ||
          c === 'ETIMEDOUT',
      )
    ) {
      return this.timeoutError(error);
    }
    if (codes.includes('ECONNREFUSED')) {
      return new ModelCallError(
        'connection',
        `Ollama is not running at ${host} (connection refused). Start it with \`ollama serve\`, or check the address.`,
        { cause: error },
      );
    }
    if (detail.includes(NO_DONE_MESSAGE) || (state.streaming && (error instanceof TypeError || codes.length > 0))) {
      // Body ended early ("Did not receive done…"), or the socket died while reading it
      // (undici: TypeError "terminated", cause UND_ERR_SOCKET / ECONNRESET).
      return new ModelCallError(
        'connection',
        `The connection to Ollama at ${host} broke in the middle of a reply (the stream was cut: ${detail}).`,
        { cause: error },
      );
    }
    if (codes.some((c) => c === 'ENOTFOUND' || c === 'EAI_AGAIN')) {
      return new ModelCallError(
        'connection',
        `Cannot resolve the Ollama address ${host} (${codes.join(', ')}). Check the host name.`,
        { cause: error },
      );
    }
    if (error instanceof TypeError && (detail === 'fetch failed' || codes.length > 0)) {
      return new ModelCallError(
        'connection',
        `Cannot reach Ollama at ${host} (${codes.join(', ') || detail}). Check that it runs and the address.`,
        {
          cause: error,
        },
      );
    }
    if (state.streaming) {
      // Ollama reports a failure after the reply started as an `{"error": ...}` line; the client
      // rethrows it as a plain Error with that text.
      return new ModelCallError('server', `Ollama at ${host} failed in the middle of ${state.what}: ${detail}`, {
        cause: error,
      });
    }
    return new ModelCallError('server', `Ollama at ${host}: ${state.what} failed: ${detail}`, { cause: error });
  }
}

/** Wraps an error thrown by the caller's onText, so it is not mistaken for a backend failure. */
class CallbackError extends Error {
  constructor(override readonly cause: unknown) {
    super('onText threw', { cause });
  }
}

function aborted(cause?: unknown): ModelCallError {
  return new ModelCallError('aborted', 'ollama: request aborted', { cause });
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

// ---------------------------------------------------------------------------------------
// Plugin
// ---------------------------------------------------------------------------------------

async function createClient(rawSettings: Record<string, unknown>, ctx: PluginContext): Promise<ModelClient> {
  const settings = parseSettings(rawSettings);
  const lib: OllamaModule = await import('ollama');
  // No request here: the server may start later; listModels() is the connection test.
  return new OllamaClient(lib, settings, ctx);
}

const plugin: BackendPlugin = { create: createClient };
export default plugin;
