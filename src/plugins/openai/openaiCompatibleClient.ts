// One ModelClient over one or more base URLs serving the same model through the OpenAI wire
// protocol, spoken with the official `openai` client. Shared by the `openai` plugin (one base
// URL) and the `vllm` plugin (several, load spread over them).
//
// Servers that say "OpenAI-compatible" are often only partly so, so nothing here depends on the
// happy path: every optional request feature (stream usage, n > 1, response_format, vLLM's
// guided_json, the max_tokens field name) starts "unknown"; a 400 (or a 500 whose message names
// the feature) while it is unknown makes the client retry without it, and the first success
// settles it for the rest of the client's life. n > 1 that is rejected or answered short is fanned
// out into separate requests. Text is always streamed and accumulated per choice; usage comes
// from whichever chunk carries it, or is estimated. The `openai` client's own retries are off
// (maxRetries 0): the host's scheduler owns retries; the only repeats here are those fallbacks
// and, with several endpoints, moving a refused request to another endpoint.

import type { ClientOptions, OpenAI } from 'openai';

import {
  type Capabilities,
  type ChatMessage,
  cutAtStop,
  type GenerateRequest,
  type GenerateResult,
  ModelCallError,
  type ModelClient,
  type ModelInfo,
  type ModelInput,
  type TokenUsage,
} from '../contract.js';

export type OpenAIModule = typeof import('openai');
export type Mode = 'chat' | 'completion';

export interface CompatibleClientOptions {
  /** Plugin id; every message starts with it. */
  label: string;
  /** Base URLs (ending in /v1) of servers that all serve `model`. */
  baseURLs: string[];
  /** '' when the server needs none (no Authorization header is sent then). */
  apiKey: string;
  organization?: string;
  model: string;
  /** Model for embed(); defaults to `model`. */
  embeddingModel?: string;
  /** 'completion' sends everything to /v1/completions (base models), rendering chats as a transcript. */
  mode: Mode;
  /** In chat mode, a raw text input goes as one user message (OpenAI) or to /v1/completions (vLLM serves both). */
  textInChatMode: 'user-message' | 'completion';
  /** Per HTTP exchange, until the last byte of the reply. */
  requestTimeoutMs: number;
  maxParallel?: number;
  capabilities: Capabilities;
  /** Send vLLM's `guided_json` beside `response_format`. */
  guidedJson: boolean;
  /** Most stop strings sent (OpenAI takes 4); every stop string is still cut client-side. */
  maxStopStrings: number;
  /** How long an endpoint that failed with 'connection' is skipped while others remain. */
  connectionCooldownMs: number;
  log(message: string): void;
}

/** Optional request features a server may reject. 'maxTokens' unsupported = send max_completion_tokens. */
type Feature = 'streamUsage' | 'multipleChoices' | 'guidedJson' | 'responseFormat' | 'maxTokens';
type FeatureState = 'unknown' | 'supported' | 'unsupported';

const FEATURE_HINTS: Record<Feature, RegExp> = {
  streamUsage: /stream_options|include_usage/i,
  multipleChoices: /\bn\s*(>|=|must\b|should\b|is\b|can\b)|['"`]n['"`]|\bchoices?\b/i,
  guidedJson: /guided/i,
  responseFormat: /response_format|json_schema|json_object/i,
  maxTokens: /max_completion_tokens/i,
};
/** Tried in this order when a 400 names no feature. */
const BLIND_DROP_ORDER: Feature[] = ['streamUsage', 'multipleChoices', 'guidedJson', 'responseFormat'];

const FEATURE_NAMES: Record<Feature, string> = {
  streamUsage: 'stream_options.include_usage',
  multipleChoices: 'n > 1',
  guidedJson: 'guided_json',
  responseFormat: 'response_format (JSON schema)',
  maxTokens: 'max_tokens',
};

const EMBED_BATCH = 256;

/** A stream that ended without every choice finishing, or broke off. */
class StreamCut extends Error {}

interface Endpoint {
  baseURL: string;
  api: OpenAI;
  inFlight: number;
  coolingUntil: number;
}

/** How one request reaches the server. */
interface Route {
  api: 'chat' | 'completion';
  messages?: ChatMessage[];
  prompt?: string;
  /** Stop strings the rendering adds (the transcript's next user turn). */
  extraStops: string[];
  promptChars: number;
}

interface Sampled {
  texts: string[];
  usage: TokenUsage | undefined;
}

interface ChunkLike {
  choices?: Array<{
    index?: number;
    delta?: { content?: string | null } | null;
    text?: string | null;
    finish_reason?: string | null;
  }> | null;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

export class OpenAICompatibleClient implements ModelClient {
  readonly capabilities: Capabilities;
  readonly maxParallel: number | undefined;

  private readonly endpoints: Endpoint[];
  private cursor = 0;
  private readonly features = new Map<Feature, FeatureState>();
  private readonly disposeController = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();
  private disposePromise: Promise<void> | undefined;

  constructor(
    private readonly lib: OpenAIModule,
    private readonly options: CompatibleClientOptions,
  ) {
    this.capabilities = options.capabilities;
    this.maxParallel = options.maxParallel;
    if (options.baseURLs.length === 0) throw new Error(`${options.label}: at least one base URL is needed`);
    this.endpoints = options.baseURLs.map((baseURL) => ({
      baseURL,
      api: this.openAIFor(baseURL),
      inFlight: 0,
      coolingUntil: 0,
    }));
  }

  /** The base URLs, in the order given. */
  get baseURLs(): string[] {
    return this.endpoints.map((e) => e.baseURL);
  }

  generate(request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
    return this.track(() => this.generateAll(request, signal));
  }

  listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    return this.track(() =>
      this.onSomeEndpoint(
        (endpoint) => this.listModelsAt(endpoint, signal),
        () => true,
      ),
    );
  }

  /** The models one particular endpoint serves (the vllm plugin checks each at create time). */
  listModelsOf(baseURL: string, signal?: AbortSignal): Promise<ModelInfo[]> {
    const endpoint = this.endpoints.find((e) => e.baseURL === baseURL);
    if (!endpoint) return Promise.reject(new Error(`${this.options.label}: unknown endpoint ${baseURL}`));
    return this.track(() => this.listModelsAt(endpoint, signal));
  }

  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    return this.track(async () => {
      const out: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += EMBED_BATCH) {
        const batch = texts.slice(start, start + EMBED_BATCH);
        out.push(
          ...(await this.onSomeEndpoint(
            (endpoint) => this.embedAt(endpoint, batch, signal),
            () => true,
          )),
        );
      }
      return out;
    });
  }

  dispose(): Promise<void> {
    this.disposePromise ??= (async () => {
      this.disposeController.abort(new Error(`${this.options.label} client disposed`));
      await Promise.allSettled([...this.inFlight]);
    })();
    return this.disposePromise;
  }

  // -------------------------------------------------------------------------------------
  // Generation
  // -------------------------------------------------------------------------------------

  private async generateAll(request: GenerateRequest, signal: AbortSignal | undefined): Promise<GenerateResult> {
    this.validate(request);
    const route = this.routeFor(request.input);
    // Features this call left out, and whether the rejection named them.
    const dropped = new Map<Feature, 'named' | 'guessed'>();
    let lastDropped: Feature | undefined;
    for (;;) {
      const used = this.featuresFor(request, dropped);
      try {
        const sampled = await this.sample(request, route, used, signal);
        for (const feature of used) if (this.state(feature) === 'unknown') this.features.set(feature, 'supported');
        // A guess that was not the last drop may have been innocent: it stays unknown and is
        // tried again (and settled) by a later call.
        for (const [feature, how] of dropped) {
          if (how === 'named' || feature === lastDropped) this.learnUnsupported(feature, 'the server rejected it');
        }
        return sampled;
      } catch (error) {
        const next = error instanceof ModelCallError ? this.featureToDrop(error, used, dropped) : undefined;
        if (!next) throw error;
        dropped.set(next.feature, next.named ? 'named' : 'guessed');
        lastDropped = next.feature;
        const said = (error as Error).message.replace(`${this.options.label}: `, '');
        this.options.log(`${this.options.label}: ${said}; retrying without ${FEATURE_NAMES[next.feature]}`);
      }
    }
  }

  /** The features this request would use, given what is known and what this call already dropped. */
  private featuresFor(request: GenerateRequest, dropped: ReadonlyMap<Feature, unknown>): Set<Feature> {
    const used = new Set<Feature>();
    const consider = (feature: Feature, applies: boolean): void => {
      if (applies && !dropped.has(feature) && this.state(feature) !== 'unsupported') used.add(feature);
    };
    consider('streamUsage', true);
    consider('maxTokens', true);
    consider('multipleChoices', request.n > 1);
    consider('responseFormat', request.jsonSchema !== undefined);
    consider('guidedJson', request.jsonSchema !== undefined && this.options.guidedJson);
    return used;
  }

  /** Which still-unproven feature to leave out after a rejection, if any. */
  private featureToDrop(
    error: ModelCallError,
    used: ReadonlySet<Feature>,
    dropped: ReadonlyMap<Feature, unknown>,
  ): { feature: Feature; named: boolean } | undefined {
    const status = httpStatusOf(error);
    const rejection = error.kind === 'bad-request' || status === 500;
    if (!rejection) return undefined;
    const candidates = [...used].filter((f) => this.state(f) === 'unknown' && !dropped.has(f));
    const named = candidates.find((f) => FEATURE_HINTS[f].test(error.message));
    if (named) return { feature: named, named: true };
    // A 500 that names nothing is a server failure, not a quirk; a 400 may be either.
    if (error.kind !== 'bad-request') return undefined;
    const guessed = BLIND_DROP_ORDER.find((f) => candidates.includes(f));
    return guessed ? { feature: guessed, named: false } : undefined;
  }

  private state(feature: Feature): FeatureState {
    return this.features.get(feature) ?? 'unknown';
  }

  private learnUnsupported(feature: Feature, why: string): void {
    if (this.state(feature) === 'unsupported') return;
    this.features.set(feature, 'unsupported');
    const instead =
      feature === 'multipleChoices'
        ? 'fanning n out into separate requests'
        : feature === 'maxTokens'
          ? 'sending max_completion_tokens instead'
          : feature === 'streamUsage'
            ? 'estimating usage when the server reports none'
            : 'leaving JSON validation to the host';
    this.options.log(
      `${this.options.label}: ${this.baseURLs.join(', ')}: ${FEATURE_NAMES[feature]} not supported (${why}); ${instead} from now on`,
    );
  }

  /** n samples: one request with n where the server allows it, else (or for what it left out) one request each. */
  private async sample(
    request: GenerateRequest,
    route: Route,
    used: ReadonlySet<Feature>,
    signal: AbortSignal | undefined,
  ): Promise<GenerateResult> {
    const n = request.n;
    const parts: Sampled[] = [];
    let have = 0;
    if (n === 1 || used.has('multipleChoices')) {
      let emitted = false;
      const onText = n === 1 && request.onText ? request.onText : undefined;
      const first = await this.onSomeEndpoint(
        (endpoint) =>
          this.streamOnce(
            endpoint,
            request,
            route,
            used,
            n,
            request.seed,
            signal,
            onText ? (t) => ((emitted = true), onText(t)) : undefined,
          ),
        () => !emitted,
      );
      first.texts = first.texts.slice(0, n);
      parts.push(first);
      have = first.texts.length;
      if (have < n) this.learnUnsupported('multipleChoices', `asked for ${n} choices, got ${have}`);
    }
    if (have < n) {
      const single = new Set(used);
      single.delete('multipleChoices');
      parts.push(...(await this.fanOut(request, route, single, have, n - have, signal)));
    }
    const texts = parts.flatMap((p) => p.texts);
    const usage = parts.reduce(
      (sum, p) => {
        const u = p.usage ?? {
          promptTokens: Math.ceil(route.promptChars / 4),
          completionTokens: Math.ceil(p.texts.reduce((s, t) => s + t.length, 0) / 4),
        };
        return {
          promptTokens: sum.promptTokens + u.promptTokens,
          completionTokens: sum.completionTokens + u.completionTokens,
        };
      },
      { promptTokens: 0, completionTokens: 0 },
    );
    return { texts, usage };
  }

  /** `count` single-choice requests at once, seeds continuing from `offset`; the first failure cancels the rest. */
  private async fanOut(
    request: GenerateRequest,
    route: Route,
    used: ReadonlySet<Feature>,
    offset: number,
    count: number,
    signal: AbortSignal | undefined,
  ): Promise<Sampled[]> {
    const group = new AbortController();
    const groupSignal = signal ? AbortSignal.any([signal, group.signal]) : group.signal;
    try {
      return await Promise.all(
        Array.from({ length: count }, (_, i) => {
          const seed = request.seed === undefined ? undefined : request.seed + offset + i;
          return this.onSomeEndpoint(
            (endpoint) => this.streamOnce(endpoint, request, route, used, 1, seed, groupSignal, undefined),
            () => true,
          );
        }),
      );
    } catch (error) {
      group.abort();
      throw error;
    }
  }

  /** One streamed request; texts by choice index, stop strings cut. */
  private streamOnce(
    endpoint: Endpoint,
    request: GenerateRequest,
    route: Route,
    used: ReadonlySet<Feature>,
    n: number,
    seed: number | undefined,
    signal: AbortSignal | undefined,
    onText: ((chunk: string) => void) | undefined,
  ): Promise<Sampled> {
    const stops = [...new Set([...(request.stop ?? []), ...route.extraStops])].filter((s) => s.length > 0);
    const body: Record<string, unknown> = {
      model: this.options.model,
      ...(route.api === 'chat' ? { messages: route.messages } : { prompt: route.prompt }),
      stream: true,
      ...(used.has('streamUsage') ? { stream_options: { include_usage: true } } : {}),
      [used.has('maxTokens') ? 'max_tokens' : 'max_completion_tokens']: request.maxTokens,
      temperature: request.temperature,
      ...(request.topP !== undefined ? { top_p: request.topP } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(stops.length > 0 ? { stop: stops.slice(0, this.options.maxStopStrings) } : {}),
      ...(n > 1 ? { n } : {}),
      ...(used.has('responseFormat') && request.jsonSchema
        ? {
            response_format: {
              type: 'json_schema',
              json_schema: { name: 'reply', schema: request.jsonSchema, strict: false },
            },
          }
        : {}),
      ...(used.has('guidedJson') && request.jsonSchema ? { guided_json: request.jsonSchema } : {}),
    };
    return this.exchange(
      endpoint,
      signal,
      async (exchangeSignal, progress) => {
        const stream: AsyncIterable<ChunkLike> =
          route.api === 'chat'
            ? await endpoint.api.chat.completions.create(
                body as unknown as OpenAI.Chat.ChatCompletionCreateParamsStreaming,
                { signal: exchangeSignal },
              )
            : await endpoint.api.completions.create(body as unknown as OpenAI.CompletionCreateParamsStreaming, {
                signal: exchangeSignal,
              });
        progress.responded = true;
        const texts = new Map<number, string>();
        const finished = new Set<number>();
        let usage: TokenUsage | undefined;
        for await (const chunk of stream) {
          if (chunk.usage && typeof chunk.usage.prompt_tokens === 'number') {
            usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens ?? 0 };
          }
          for (const choice of chunk.choices ?? []) {
            const index = choice.index ?? 0;
            const piece = route.api === 'chat' ? choice.delta?.content : choice.text;
            if (!texts.has(index)) texts.set(index, '');
            if (piece) {
              texts.set(index, texts.get(index)! + piece);
              if (onText && index === 0) deliver(onText, piece);
            }
            if (choice.finish_reason) finished.add(index);
          }
        }
        // The openai client ends the iteration quietly when its request is aborted.
        if (exchangeSignal.aborted) throw exchangeSignal.reason;
        if (texts.size === 0) throw new StreamCut('the reply stream ended without any choice');
        const unfinished = [...texts.keys()].filter((i) => !finished.has(i));
        if (unfinished.length > 0)
          throw new StreamCut('the reply stream ended before the reply was finished (no finish_reason)');
        const ordered = [...texts.entries()].sort((a, b) => a[0] - b[0]).map(([, text]) => cutAtStop(text, stops));
        return { texts: ordered, usage };
      },
      this.options.model,
    );
  }

  private routeFor(input: ModelInput): Route {
    const { mode, textInChatMode } = this.options;
    if (input.kind === 'text') {
      if (mode === 'chat' && textInChatMode === 'user-message') {
        return {
          api: 'chat',
          messages: [{ role: 'user', content: input.text }],
          extraStops: [],
          promptChars: input.text.length,
        };
      }
      return { api: 'completion', prompt: input.text, extraStops: [], promptChars: input.text.length };
    }
    const promptChars = input.messages.reduce((s, m) => s + m.content.length, 0);
    if (mode === 'chat') return { api: 'chat', messages: input.messages, extraStops: [], promptChars };
    // A base model has no chat template: render the chat as a plain transcript and stop where
    // the model would start writing the user's next turn.
    const prompt = `${input.messages.map(transcriptTurn).join('')}Assistant:`;
    return { api: 'completion', prompt, extraStops: ['\nUser:'], promptChars: prompt.length };
  }

  private validate(request: GenerateRequest): void {
    const bad = (message: string): ModelCallError =>
      new ModelCallError('bad-request', `${this.options.label}: ${message}`);
    if (this.disposePromise) throw bad('the client has been disposed');
    if (!Number.isInteger(request.n) || request.n < 1) throw bad(`n must be a positive integer (got ${request.n})`);
    if (!Number.isInteger(request.maxTokens) || request.maxTokens < 1)
      throw bad(`maxTokens must be a positive integer (got ${request.maxTokens})`);
    if (!Number.isFinite(request.temperature) || request.temperature < 0)
      throw bad(`temperature must be >= 0 (got ${request.temperature})`);
    if (request.seed !== undefined && !Number.isInteger(request.seed))
      throw bad(`seed must be an integer (got ${request.seed})`);
    if (request.input.kind === 'chat' && request.input.messages.length === 0)
      throw bad('a chat input needs at least one message');
  }

  // -------------------------------------------------------------------------------------
  // Models and embeddings
  // -------------------------------------------------------------------------------------

  private listModelsAt(endpoint: Endpoint, signal: AbortSignal | undefined): Promise<ModelInfo[]> {
    return this.exchange(endpoint, signal, async (exchangeSignal, progress) => {
      const page = await endpoint.api.models.list({ signal: exchangeSignal });
      progress.responded = true;
      return page.data.map((model) => {
        const contextLength = contextLengthOf(model as unknown as Record<string, unknown>);
        return contextLength === undefined ? { id: model.id } : { id: model.id, contextLength };
      });
    });
  }

  private embedAt(endpoint: Endpoint, texts: string[], signal: AbortSignal | undefined): Promise<Float32Array[]> {
    const model = this.options.embeddingModel ?? this.options.model;
    return this.exchange(
      endpoint,
      signal,
      async (exchangeSignal, progress) => {
        // Asking for floats explicitly: the client otherwise asks for base64 and decodes it,
        // which breaks on servers that ignore encoding_format and send arrays.
        const response = await endpoint.api.embeddings.create(
          { model, input: texts, encoding_format: 'float' },
          { signal: exchangeSignal },
        );
        progress.responded = true;
        const vectors: Float32Array[] = new Array(texts.length);
        response.data.forEach((item, position) => {
          vectors[item.index ?? position] = toVector(item.embedding as unknown);
        });
        if (vectors.length !== texts.length || vectors.some((v) => v === undefined)) {
          throw new ModelCallError(
            'server',
            `${this.options.label}: ${endpoint.baseURL} returned ${response.data.length} embeddings for ${texts.length} texts`,
          );
        }
        return vectors;
      },
      model,
    );
  }

  // -------------------------------------------------------------------------------------
  // Endpoints, exchanges, errors
  // -------------------------------------------------------------------------------------

  private track<T>(run: () => Promise<T>): Promise<T> {
    if (this.disposePromise)
      return Promise.reject(new ModelCallError('bad-request', `${this.options.label}: the client has been disposed`));
    const promise = run();
    this.inFlight.add(promise);
    const forget = (): void => {
      this.inFlight.delete(promise);
    };
    promise.then(forget, forget);
    return promise;
  }

  /** Least in-flight among the endpoints not yet tried (healthy ones first), ties round-robin. */
  private pick(tried: ReadonlySet<Endpoint>): Endpoint | undefined {
    const now = Date.now();
    const untried = this.endpoints.filter((e) => !tried.has(e));
    const healthy = untried.filter((e) => e.coolingUntil <= now);
    const pool = healthy.length > 0 ? healthy : untried;
    let best: Endpoint | undefined;
    for (let i = 0; i < this.endpoints.length; i++) {
      const endpoint = this.endpoints[(this.cursor + i) % this.endpoints.length]!;
      if (pool.includes(endpoint) && (!best || endpoint.inFlight < best.inFlight)) best = endpoint;
    }
    if (best) this.cursor = (this.endpoints.indexOf(best) + 1) % this.endpoints.length;
    return best;
  }

  /**
   * Runs `call` on the best endpoint. One that cannot be reached is skipped for a while when
   * others remain, and the call moves to another while `canMove()` (nothing was streamed out yet).
   */
  private async onSomeEndpoint<T>(call: (endpoint: Endpoint) => Promise<T>, canMove: () => boolean): Promise<T> {
    const tried = new Set<Endpoint>();
    for (;;) {
      const endpoint = this.pick(tried)!;
      tried.add(endpoint);
      try {
        const result = await call(endpoint);
        endpoint.coolingUntil = 0;
        return result;
      } catch (error) {
        if (error instanceof ModelCallError && error.kind === 'connection' && this.endpoints.length > 1) {
          endpoint.coolingUntil = Date.now() + this.options.connectionCooldownMs;
          const elsewhere = this.endpoints.length > tried.size && canMove();
          this.options.log(
            `${error.message}; skipping ${endpoint.baseURL} for ${Math.round(this.options.connectionCooldownMs / 1000)} s${elsewhere ? ', trying another endpoint' : ''}`,
          );
          if (elsewhere) continue;
        }
        throw error;
      }
    }
  }

  /**
   * One HTTP exchange under the request timeout, the caller's signal and dispose; every error
   * leaves as a ModelCallError. `missingModel`: the model a 404 most likely refers to.
   */
  private async exchange<T>(
    endpoint: Endpoint,
    callerSignal: AbortSignal | undefined,
    run: (signal: AbortSignal, progress: { responded: boolean }) => Promise<T>,
    missingModel?: string,
  ): Promise<T> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error('request timed out')), this.options.requestTimeoutMs);
    const signal = AbortSignal.any([
      this.disposeController.signal,
      timeout.signal,
      ...(callerSignal ? [callerSignal] : []),
    ]);
    const progress = { responded: false };
    endpoint.inFlight += 1;
    try {
      if (signal.aborted) throw signal.reason;
      return await run(signal, progress);
    } catch (error) {
      const failure = this.classify(error, endpoint, progress.responded, missingModel, {
        aborted: this.disposeController.signal.aborted || callerSignal?.aborted === true,
        timedOut: timeout.signal.aborted,
      });
      if (missingModel !== undefined && failure.kind === 'not-found' && failure.message.includes('does not exist')) {
        throw await this.withAvailableModels(failure, endpoint, missingModel);
      }
      throw failure;
    } finally {
      clearTimeout(timer);
      endpoint.inFlight -= 1;
    }
  }

  private classify(
    error: unknown,
    endpoint: Endpoint,
    responded: boolean,
    model: string | undefined,
    state: { aborted: boolean; timedOut: boolean },
  ): ModelCallError {
    const { label, requestTimeoutMs } = this.options;
    const { lib } = this;
    const at = endpoint.baseURL;
    const make = (
      kind: ConstructorParameters<typeof ModelCallError>[0],
      message: string,
      extra: { retryAfterMs?: number } = {},
    ) => new ModelCallError(kind, `${label}: ${this.redact(message)}`, { ...extra, cause: this.safeCause(error) });

    if (state.aborted) return make('aborted', `request to ${at} aborted`);
    if (state.timedOut) return make('timeout', `no complete reply from ${at} within ${requestTimeoutMs} ms`);
    if (error instanceof ModelCallError) return error;
    if (error instanceof lib.APIUserAbortError) return make('aborted', `request to ${at} aborted`);
    if (error instanceof lib.APIConnectionTimeoutError)
      return make('timeout', `no reply from ${at} within ${requestTimeoutMs} ms`);
    if (error instanceof lib.APIConnectionError)
      return make('connection', `cannot reach ${at}: ${connectionDetail(error)}`);
    if (error instanceof lib.APIError) {
      const status = error.status;
      const said = serverMessage(error);
      if (status === undefined) return make('server', `${at} reported an error in the reply stream: ${said}`);
      const code = typeof error.code === 'string' ? error.code : undefined;
      if (status === 401 || status === 403) {
        // The server's words are left out: OpenAI's 401 quotes the key it was given.
        return new ModelCallError(
          'auth',
          `${label}: ${at} refused the API key (HTTP ${status})${status === 403 ? ': no access to this model or endpoint' : ''}`,
        );
      }
      if (status === 404) {
        if (model !== undefined && (code === 'model_not_found' || /\bmodel\b/i.test(said)))
          return make('not-found', `the model ${model} does not exist at ${at} (${said})`);
        return make('not-found', `${at} answered 404 (${said}); check the base URL (it usually ends in /v1)`);
      }
      if (status === 429) {
        if (code === 'insufficient_quota')
          return make('auth', `${at} refused the request: the account's quota is used up (${said})`);
        const retryAfterMs = retryAfterOf(error.headers);
        return make(
          'rate-limit',
          `rate limited by ${at} (HTTP 429: ${said})`,
          retryAfterMs === undefined ? {} : { retryAfterMs },
        );
      }
      if (status === 408) return make('timeout', `${at} timed out the request (HTTP 408: ${said})`);
      if (status >= 500 || status === 409) {
        const retryAfterMs = retryAfterOf(error.headers); // 503s often say when to come back
        return make(
          'server',
          `${at} failed (HTTP ${status}: ${said})`,
          retryAfterMs === undefined ? {} : { retryAfterMs },
        );
      }
      return make('bad-request', `${at} rejected the request (HTTP ${status}: ${said})`);
    }
    if (error instanceof StreamCut)
      return make('connection', `the connection to ${at} broke off mid-reply: ${error.message}`);
    if (error instanceof SyntaxError && responded)
      return make('server', `${at} sent a reply stream that is not valid JSON: ${error.message}`);
    if (responded || hasErrorCode(error))
      return make('connection', `the connection to ${at} broke off mid-reply: ${connectionDetail(error)}`);
    return make('bad-request', `request to ${at} failed: ${errorText(error)}`);
  }

  /** Appends what the endpoint does serve to a "model does not exist" error (one cheap listing). */
  private async withAvailableModels(
    failure: ModelCallError,
    endpoint: Endpoint,
    model: string,
  ): Promise<ModelCallError> {
    let available = '';
    try {
      const models = await endpoint.api.models.list({
        signal: AbortSignal.any([AbortSignal.timeout(5000), this.disposeController.signal]),
      });
      const ids = models.data.map((m) => m.id);
      available =
        ids.length > 0
          ? `; it serves: ${ids.slice(0, 20).join(', ')}${ids.length > 20 ? ', …' : ''}`
          : '; it lists no models';
    } catch {
      available = '';
    }
    const base = `${this.options.label}: the model ${model} does not exist at ${endpoint.baseURL}`;
    return new ModelCallError('not-found', `${base}${available}`, { cause: failure.cause });
  }

  private redact(text: string): string {
    const key = this.options.apiKey;
    let out = key.length >= 4 ? text.split(key).join('***') : text;
    out = out.replace(/\bsk-[A-Za-z0-9_*-]{4,}/g, 'sk-***');
    return out;
  }

  /** The underlying error, unless its text carries the key. */
  private safeCause(error: unknown): unknown {
    const key = this.options.apiKey;
    if (key.length === 0) return error;
    let text: string;
    try {
      text = `${errorText(error)} ${JSON.stringify((error as { error?: unknown })?.error ?? '')}`;
    } catch {
      return undefined;
    }
    return text.includes(key) ? undefined : error;
  }

  private openAIFor(baseURL: string): OpenAI {
    const { apiKey, organization, requestTimeoutMs, log, label } = this.options;
    const options: ClientOptions = {
      baseURL,
      // The client insists on a key; with none, the placeholder is never sent (header nulled below).
      apiKey: apiKey || 'no-key',
      // Explicit values, so nothing is read from OPENAI_* environment variables.
      adminAPIKey: null,
      organization: organization || null,
      project: null,
      webhookSecret: null,
      maxRetries: 0,
      timeout: requestTimeoutMs,
      fetch: normalizingFetch,
      logLevel: 'warn',
      logger: {
        error: (message: string) => log(`${label}: ${this.redact(message)}`),
        warn: (message: string) => log(`${label}: ${this.redact(message)}`),
        info: () => undefined,
        debug: () => undefined,
      },
      ...(apiKey ? {} : { defaultHeaders: { Authorization: null } }),
    };
    return new this.lib.OpenAI(options);
  }
}

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/** Hands a piece of text to the caller; a callback that throws is the caller's failure, not the server's. */
function deliver(onText: (chunk: string) => void, piece: string): void {
  try {
    onText(piece);
  } catch (error) {
    throw new ModelCallError('bad-request', `the onText callback failed: ${errorText(error)}`, { cause: error });
  }
}

function transcriptTurn(message: ChatMessage): string {
  if (message.role === 'system') return `${message.content}\n\n`;
  return `${message.role === 'user' ? 'User' : 'Assistant'}: ${message.content}\n\n`;
}

function contextLengthOf(model: Record<string, unknown>): number | undefined {
  for (const key of ['max_model_len', 'context_length', 'context_window', 'max_context_length']) {
    const value = model[key];
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  }
  return undefined;
}

function toVector(embedding: unknown): Float32Array {
  if (Array.isArray(embedding)) return Float32Array.from(embedding as number[]);
  if (typeof embedding === 'string') {
    const bytes = Buffer.from(embedding, 'base64');
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }
  throw new ModelCallError('server', `embedding in an unknown encoding (${typeof embedding})`);
}

function httpStatusOf(error: ModelCallError): number | undefined {
  const status = (error.cause as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function hasErrorCode(error: unknown): boolean {
  return typeof (error as { code?: unknown })?.code === 'string';
}

/** The server's own words from an APIError (its message is "STATUS words"). */
function serverMessage(error: { message: string; error?: unknown }): string {
  const inner = (error.error as { message?: unknown } | undefined)?.message;
  if (typeof inner === 'string' && inner) return inner;
  return error.message.replace(/^\d{3}\s+/, '');
}

/** The most specific reason in an error's cause chain ("connect ECONNREFUSED 127.0.0.1:9", "other side closed"). */
function connectionDetail(error: unknown): string {
  let detail: string | undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current && typeof current === 'object'; depth++) {
    const c = current as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    const message = typeof c.message === 'string' ? c.message : '';
    if (typeof c.code === 'string') detail = message || c.code;
    else if (message && message !== 'Connection error.' && message !== 'fetch failed' && message !== 'terminated')
      detail ??= message;
    current = Array.isArray(c.errors) && c.errors.length > 0 ? c.errors[0] : c.cause;
  }
  return detail ?? errorText(error);
}

/** Milliseconds to wait from `retry-after-ms` or `retry-after` (seconds or an HTTP date). */
export function retryAfterOf(headers: Headers | undefined): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms) {
    const value = Number.parseFloat(ms);
    if (Number.isFinite(value) && value >= 0) return Math.ceil(value);
  }
  const after = headers?.get('retry-after');
  if (after) {
    const seconds = Number(after);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
    const date = Date.parse(after);
    if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  return undefined;
}

/**
 * fetch that rewrites error bodies into OpenAI's `{error: {message}}` shape: older vLLM writes
 * `{object: 'error', message}`, FastAPI validation `{detail: …}`, others `{error: 'text'}`; the
 * openai client would keep none of those words.
 */
const normalizingFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const response = await fetch(input, init);
  if (response.ok) return response;
  const text = await response.text();
  let body = text;
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const error = parsed.error;
      if (typeof error === 'string') body = JSON.stringify({ error: { message: error } });
      else if (error === undefined && typeof parsed.message === 'string') {
        body = JSON.stringify({
          error: {
            message: parsed.message,
            type: parsed.type ?? null,
            param: parsed.param ?? null,
            code: null,
          },
        });
      } else if (error === undefined && parsed.detail !== undefined) {
        const detail = parsed.detail;
        body = JSON.stringify({ error: { message: typeof detail === 'string' ? detail : JSON.stringify(detail) } });
      }
    }
  } catch {
    // Not JSON: the client keeps plain text as the message.
  }
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
};

// ---------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------

export function readString(
  settings: Record<string, unknown>,
  key: string,
  label: string,
  fallback?: string,
): string | undefined {
  const raw = settings[key];
  if (raw === undefined || raw === null || raw === '') return fallback;
  if (typeof raw !== 'string') throw new Error(`${label}: setting "${key}" must be a string (got ${typeof raw})`);
  const value = raw.trim();
  return value === '' ? fallback : value;
}

export function readInteger(
  settings: Record<string, unknown>,
  key: string,
  label: string,
  fallback: number | undefined,
  min: number,
  max: number,
): number | undefined {
  const raw = settings[key];
  if (raw === undefined || raw === null || raw === '') return fallback;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${label}: setting "${key}" must be an integer from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  }
  return value;
}

export function readMode(settings: Record<string, unknown>, label: string, fallback: Mode): Mode {
  const value = readString(settings, 'mode', label, fallback);
  if (value !== 'chat' && value !== 'completion')
    throw new Error(`${label}: setting "mode" must be "chat" or "completion" (got ${JSON.stringify(value)})`);
  return value;
}

/** A string-list setting (an array, or one string with entries separated by commas or newlines). */
export function readStringList(settings: Record<string, unknown>, key: string, label: string): string[] {
  const raw = settings[key];
  const items = Array.isArray(raw)
    ? raw
    : typeof raw === 'string'
      ? raw.split(/[\n,]/)
      : raw === undefined || raw === null
        ? []
        : undefined;
  if (!items || items.some((item) => typeof item !== 'string'))
    throw new Error(`${label}: setting "${key}" must be a list of strings`);
  return (items as string[]).map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Validates a base URL and drops trailing slashes. */
export function normalizeBaseURL(raw: string, label: string, key: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${label}: setting "${key}" is not a URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`${label}: setting "${key}" must be an http(s) URL (got ${JSON.stringify(raw)})`);
  return raw.replace(/\/+$/, '');
}
