// A real HTTP server (node:http, 127.0.0.1, ephemeral port) that speaks Ollama's wire protocol,
// with the text coming from a real ModelClient (in the tests: the embedded llama-cpp plugin
// running stories260K). It lets the `ollama` plugin be tested with the official `ollama` npm
// client doing real HTTP, and injects the failures a real Ollama (or a proxy in front of it)
// produces: HTTP errors, slowness, a cut stream, prose where JSON was asked.
//
// Endpoints: POST /api/chat, POST /api/generate (raw or templated), GET /api/tags,
// POST /api/show, POST /api/embed (hashed bag-of-words vectors), GET /api/version.
// Wire details follow Ollama 0.12: NDJSON (`application/x-ndjson`) when streaming, one JSON
// object otherwise; errors are `{"error": "..."}` with the HTTP status; an unknown model is
// 404 `model "x" not found, try pulling it first`; an unknown route is Gin's plain-text
// `404 page not found`. With `apiKey` it stands behind an authenticating proxy.

import { createHash } from 'node:crypto';
import http from 'node:http';

import {
  type ChatMessage,
  type GenerateRequest,
  type GenerateResult,
  type JsonSchema,
  ModelCallError,
  type ModelClient,
  type ModelInput,
} from '../../src/plugins/contract.js';
import { listenOnLoopback } from './listenOnLoopback.js';

/** One injected fault; it applies to the next request (on `path`, when given). Fields combine. */
export interface Fault {
  /** Only the next request to this path (e.g. '/api/chat') takes the fault. */
  path?: string;
  /** Wait this long before answering (the client may time out meanwhile). */
  delayMs?: number;
  /** Answer with this HTTP status and `{"error": ...}` instead of serving the request. */
  status?: number;
  /** The error text for `status` (a default per status otherwise). */
  error?: string;
  /** `Retry-After` header value (seconds, or an HTTP date) sent with `status`. */
  retryAfter?: number | string;
  /** Streaming: destroy the socket after this many content chunks (no `done` chunk is sent). */
  cutAfterChunks?: number;
  /** Streaming: end the response cleanly but without the final `done: true` chunk. */
  endWithoutDone?: boolean;
  /** Streaming: wait this long between chunks (so a client can act mid-stream). */
  chunkDelayMs?: number;
  /** Replace the model's text with prose that is not JSON, even when JSON was asked. */
  nonJson?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** The parsed JSON body (undefined for GET or an unparsable body). */
  body: unknown;
  headers: http.IncomingHttpHeaders;
  /** The client went away before the response was complete. */
  clientClosed: boolean;
}

export interface FakeModel {
  /** Full name with tag, e.g. 'stories260k:latest'. */
  name: string;
  contextLength: number;
  family?: string;
  parameterSize?: string;
}

export interface FakeOllamaOptions {
  /** Models served (every one is backed by the same ModelClient). */
  models?: FakeModel[];
  /** Version reported by /api/version. */
  version?: string;
  /** num_predict when the request gives none (Ollama's -1 means "until the context is full"). */
  defaultNumPredict?: number;
  /** Length of the /api/embed vectors. */
  embeddingLength?: number;
  /**
   * Stands behind an authenticating proxy: a request without `Authorization: Bearer <apiKey>` gets
   * the proxy's plain-text 401 (with `WWW-Authenticate: Bearer`) and never reaches Ollama.
   */
  apiKey?: string;
}

export const NON_JSON_PROSE = 'Sure! Here is what you asked for: the answer is mostly yes, with a few caveats.';

const DEFAULT_MODELS: FakeModel[] = [
  { name: 'stories260k:latest', contextLength: 2048, family: 'llama', parameterSize: '260K' },
];

const STATUS_TEXT_ERRORS: Record<number, string> = {
  400: 'bad request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not found',
  429: 'too many requests',
  500: 'llama runner process has terminated: exit status 2',
  502: 'bad gateway',
  503: 'server busy, please try again.  maximum pending requests exceeded',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Tags a bare name the way Ollama does ('llama3' -> 'llama3:latest'). */
function fullName(name: string): string {
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  return lastSegment.includes(':') ? name : `${name}:latest`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Deterministic bag-of-words vector: each lower-cased word adds 1 at a hashed index; L2-normalized like Ollama's. */
export function hashedEmbedding(text: string, dims: number): number[] {
  const vector = new Array<number>(dims).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const index = createHash('sha256').update(word).digest().readUInt32BE(0) % dims;
    vector[index]! += 1;
  }
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((v) => v / norm);
}

/** Splits text into token-like pieces that concatenate back to it ("Once upon" -> "Once", " upon"). */
function pieces(text: string): string[] {
  return text.length === 0 ? [] : text.split(/(?=\s)/);
}

export class FakeOllamaServer {
  readonly requests: RecordedRequest[] = [];
  /** Peak number of requests being served at once since the last reset(). */
  maxInFlight = 0;
  inFlight = 0;

  private readonly server: http.Server;
  private readonly faults: Fault[] = [];
  private readonly models: FakeModel[];
  private readonly version: string;
  private readonly defaultNumPredict: number;
  private readonly embeddingLength: number;
  private readonly apiKey: string | undefined;
  private readonly closing = new AbortController();
  private port = 0;

  constructor(
    private readonly model: ModelClient,
    options: FakeOllamaOptions = {},
  ) {
    this.models = options.models ?? DEFAULT_MODELS;
    this.version = options.version ?? '0.12.6';
    this.defaultNumPredict = options.defaultNumPredict ?? 128;
    this.embeddingLength = options.embeddingLength ?? 64;
    this.apiKey = options.apiKey;
    this.server = http.createServer((req, res) => {
      void this.handle(req, res);
    });
  }

  /** Creates a server and starts it listening. */
  static async start(model: ModelClient, options: FakeOllamaOptions = {}): Promise<FakeOllamaServer> {
    const server = new FakeOllamaServer(model, options);
    await server.listen();
    return server;
  }

  /** Starts listening on 127.0.0.1 (a free port) and returns the base URL. */
  async listen(): Promise<string> {
    this.port = await listenOnLoopback(this.server);
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Queues faults; each one is taken by the next request (matching its `path`, if any). */
  fail(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  /** Forgets queued faults, recorded requests and the in-flight peak. */
  reset(): void {
    this.faults.length = 0;
    this.requests.length = 0;
    this.maxInFlight = this.inFlight;
  }

  async close(): Promise<void> {
    this.closing.abort();
    this.faults.length = 0;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private takeFault(path: string): Fault {
    const i = this.faults.findIndex((f) => f.path === undefined || f.path === path);
    return i >= 0 ? this.faults.splice(i, 1)[0]! : {};
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    // Aborted when the client goes away (or the server closes): the generation stops too.
    const gone = new AbortController();
    const onClosing = (): void => gone.abort();
    this.closing.signal.addEventListener('abort', onClosing);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      body: undefined,
      headers: req.headers,
      clientClosed: false,
    };
    res.on('close', () => {
      this.inFlight--;
      this.closing.signal.removeEventListener('abort', onClosing);
      if (!res.writableFinished) {
        record.clientClosed = true;
        gone.abort();
      }
    });

    try {
      const raw = await readBody(req);
      if (raw.length > 0) {
        try {
          record.body = JSON.parse(raw);
        } catch {
          record.body = undefined;
        }
      }
      this.requests.push(record);
      if (this.apiKey !== undefined && req.headers.authorization !== `Bearer ${this.apiKey}`) {
        res.writeHead(401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Bearer' });
        res.end('401 Unauthorized');
        return;
      }

      const fault = this.takeFault(path);
      if (fault.delayMs) await sleep(fault.delayMs, gone.signal);
      if (gone.signal.aborted) return;
      if (fault.status !== undefined) {
        const headers: Record<string, string> = {};
        if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
        sendJson(
          res,
          fault.status,
          { error: fault.error ?? STATUS_TEXT_ERRORS[fault.status] ?? `error ${fault.status}` },
          headers,
        );
        return;
      }

      const route = `${req.method} ${path}`;
      switch (route) {
        case 'GET /api/version':
          sendJson(res, 200, { version: this.version });
          return;
        case 'GET /api/tags':
        case 'HEAD /api/tags':
          sendJson(res, 200, { models: this.models.map((m) => this.tag(m)) });
          return;
        case 'POST /api/show':
          sendJson(res, 200, this.show(parseObject(raw)));
          return;
        case 'POST /api/embed':
          sendJson(res, 200, this.embed(parseObject(raw)));
          return;
        case 'POST /api/chat':
        case 'POST /api/generate':
          await this.generate(path === '/api/chat' ? 'chat' : 'generate', parseObject(raw), fault, res, gone.signal);
          return;
        default:
          res.writeHead(404, { 'Content-Type': 'text/plain' });
          res.end('404 page not found');
      }
    } catch (error) {
      if (res.headersSent) {
        // Ollama reports an error that happens mid-stream as one more NDJSON line.
        if (!res.writableEnded && !res.destroyed) res.end(`${JSON.stringify({ error: errorText(error) })}\n`);
        return;
      }
      if (res.destroyed) return;
      const status =
        error instanceof HttpError
          ? error.status
          : error instanceof ModelCallError && error.kind === 'bad-request'
            ? 400
            : 500;
      sendJson(res, status, { error: errorText(error) });
    }
  }

  private findModel(name: unknown): FakeModel {
    if (typeof name !== 'string' || name === '') throw new HttpError(400, 'model is required');
    const wanted = fullName(name);
    const model = this.models.find((m) => m.name === wanted);
    if (!model) throw new HttpError(404, `model ${JSON.stringify(name)} not found, try pulling it first`);
    return model;
  }

  private details(m: FakeModel): Record<string, unknown> {
    return {
      parent_model: '',
      format: 'gguf',
      family: m.family ?? 'llama',
      families: [m.family ?? 'llama'],
      parameter_size: m.parameterSize ?? '260K',
      quantization_level: 'F32',
    };
  }

  private tag(m: FakeModel): Record<string, unknown> {
    return {
      name: m.name,
      model: m.name,
      modified_at: '2025-01-01T00:00:00Z',
      size: 1185376,
      digest: createHash('sha256').update(m.name).digest('hex'),
      details: this.details(m),
    };
  }

  private show(body: Record<string, unknown>): Record<string, unknown> {
    const m = this.findModel(body.model ?? body.name);
    const family = m.family ?? 'llama';
    return {
      license: '',
      modelfile: `FROM ${m.name}\n`,
      parameters: '',
      template: '{{ .Prompt }}',
      details: this.details(m),
      model_info: {
        'general.architecture': family,
        'general.parameter_count': 260000,
        [`${family}.context_length`]: m.contextLength,
        [`${family}.embedding_length`]: 64,
      },
      capabilities: ['completion'],
      modified_at: '2025-01-01T00:00:00Z',
    };
  }

  private embed(body: Record<string, unknown>): Record<string, unknown> {
    const m = this.findModel(body.model);
    const input = body.input;
    const texts =
      typeof input === 'string'
        ? [input]
        : Array.isArray(input) && input.every((t) => typeof t === 'string')
          ? (input as string[])
          : undefined;
    if (!texts) throw new HttpError(400, 'invalid input type');
    return {
      model: m.name,
      embeddings: texts.map((t) => hashedEmbedding(t, this.embeddingLength)),
      total_duration: 1000,
      load_duration: 100,
      prompt_eval_count: texts.reduce((n, t) => n + (t.match(/\S+/g)?.length ?? 0), 0),
    };
  }

  private async generate(
    endpoint: 'chat' | 'generate',
    body: Record<string, unknown>,
    fault: Fault,
    res: http.ServerResponse,
    signal: AbortSignal,
  ): Promise<void> {
    const m = this.findModel(body.model);
    const stream = body.stream !== false; // Ollama streams unless told not to
    const options = isRecord(body.options) ? body.options : {};
    const started = Date.now();

    const input = this.toInput(endpoint, body);
    const base = { model: m.name, created_at: new Date().toISOString() };
    const frame = (text: string): Record<string, unknown> =>
      endpoint === 'chat' ? { ...base, message: { role: 'assistant', content: text } } : { ...base, response: text };

    if (!input) {
      // Empty messages / prompt: Ollama just loads the model.
      sendJson(res, 200, { ...frame(''), done_reason: 'load', done: true });
      return;
    }

    const numPredict =
      typeof options.num_predict === 'number' && options.num_predict > 0 ? options.num_predict : this.defaultNumPredict;
    const request: GenerateRequest = {
      input,
      temperature: typeof options.temperature === 'number' ? options.temperature : 0.8,
      maxTokens: Math.floor(numPredict),
      n: 1,
      ...(typeof options.top_p === 'number' ? { topP: options.top_p } : {}),
      ...(typeof options.seed === 'number' ? { seed: options.seed } : {}),
      ...(Array.isArray(options.stop) ? { stop: options.stop.filter((s): s is string => typeof s === 'string') } : {}),
      ...(this.schemaOf(body.format) ? { jsonSchema: this.schemaOf(body.format)! } : {}),
    };
    let result: GenerateResult;
    try {
      result = await this.model.generate(request, signal);
    } catch (error) {
      if (signal.aborted) return; // the client went away; nobody to answer
      throw error;
    }
    if (signal.aborted) return;
    const text = fault.nonJson ? NON_JSON_PROSE : (result.texts[0] ?? '');
    const evalCount = fault.nonJson ? pieces(text).length : result.usage.completionTokens;
    const elapsedNs = (Date.now() - started) * 1e6;
    const final = {
      done: true,
      done_reason: result.usage.completionTokens >= request.maxTokens ? 'length' : 'stop',
      total_duration: elapsedNs,
      load_duration: 1000,
      prompt_eval_count: result.usage.promptTokens,
      prompt_eval_duration: Math.floor(elapsedNs / 4),
      eval_count: evalCount,
      eval_duration: Math.floor(elapsedNs / 2),
    };

    if (!stream) {
      if (fault.cutAfterChunks !== undefined) {
        res.socket?.destroy();
        return;
      }
      sendJson(res, 200, { ...frame(text), ...final });
      return;
    }

    res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Transfer-Encoding': 'chunked' });
    const parts = pieces(text);
    for (let i = 0; i < parts.length; i++) {
      if (fault.cutAfterChunks !== undefined && i >= fault.cutAfterChunks) break;
      if (signal.aborted || res.destroyed) return;
      res.write(`${JSON.stringify({ ...frame(parts[i]!), done: false })}\n`);
      if (fault.chunkDelayMs) await sleep(fault.chunkDelayMs, signal);
    }
    if (signal.aborted || res.destroyed) return;
    if (fault.cutAfterChunks !== undefined) {
      // Give the written chunks a moment to reach the client, then drop the connection.
      await sleep(20, signal);
      res.socket?.destroy();
      return;
    }
    if (fault.endWithoutDone) {
      res.end();
      return;
    }
    res.end(`${JSON.stringify({ ...frame(''), ...final })}\n`);
  }

  /** The ModelInput for a chat or generate body; undefined when there is nothing to generate from. */
  private toInput(endpoint: 'chat' | 'generate', body: Record<string, unknown>): ModelInput | undefined {
    if (endpoint === 'chat') {
      const messages = body.messages ?? [];
      if (!Array.isArray(messages)) throw new HttpError(400, 'messages must be an array');
      const out: ChatMessage[] = messages.map((msg: unknown) => {
        if (!isRecord(msg) || typeof msg.content !== 'string') throw new HttpError(400, 'invalid message');
        const role = msg.role;
        if (role !== 'system' && role !== 'user' && role !== 'assistant')
          throw new HttpError(400, `invalid role ${JSON.stringify(role)}`);
        return { role, content: msg.content };
      });
      return out.length === 0 ? undefined : { kind: 'chat', messages: out };
    }
    const prompt = body.prompt;
    if (prompt !== undefined && typeof prompt !== 'string') throw new HttpError(400, 'prompt must be a string');
    if (!prompt) return undefined;
    // raw: the prompt goes to the model as is (the system prompt is ignored, as Ollama does);
    // otherwise the model's template is applied, i.e. it is a one-turn chat.
    if (body.raw === true) return { kind: 'text', text: prompt };
    const system = typeof body.system === 'string' && body.system !== '' ? body.system : undefined;
    return {
      kind: 'chat',
      messages: [...(system ? [{ role: 'system' as const, content: system }] : []), { role: 'user', content: prompt }],
    };
  }

  private schemaOf(format: unknown): JsonSchema | undefined {
    if (format === 'json') return { type: 'object' };
    if (isRecord(format)) return format;
    if (format === undefined || format === '' || format === null) return undefined;
    throw new HttpError(400, `invalid format: ${JSON.stringify(format)}`);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function parseObject(raw: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = raw === '' ? {} : JSON.parse(raw);
  } catch (error) {
    throw new HttpError(400, errorText(error));
  }
  if (!isRecord(value)) throw new HttpError(400, 'request body must be a JSON object');
  return value;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.writableEnded) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
