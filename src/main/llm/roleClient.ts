// A model as one DRPO role sees it: fixed sampling settings, the backend's scheduler, the call
// cache and the ledger in front of the plugin's client.
import type { GenerateRequest, GenerateResult, JsonSchema, ModelClient, ModelInput } from '../../plugins/contract.js';
import { asModelCallError, ModelCallError } from '../../plugins/contract.js';
import type { SchedulerLane } from './backendScheduler.js';
import { type CallCache, callKey } from './callCache.js';
import type { CallEvent } from './callEvents.js';
import type { CallLedger, Role } from './callLedger.js';

export interface Backend {
  name: string;
  /** Plugin id and settings (never secrets): two backends with equal identity answer alike. */
  identity: string;
  client: ModelClient;
  /** The connection's shared scheduler, as this run's lane. */
  scheduler: SchedulerLane;
  /** The model its settings name, where they name one. */
  model?: string;
  /** US dollars per million tokens; absent: free (local) or unknown. */
  price?: { input: number; output: number };
}

export interface RoleSettings {
  temperature: number;
  topP?: number;
  maxTokens: number;
  seed?: number;
}

export interface RoleCallOptions {
  n?: number;
  /** Identifies a sampled call within a run (node and purpose), so a resume finds the same samples. */
  rolloutId?: string;
  jsonSchema?: JsonSchema;
  stop?: string[];
  signal?: AbortSignal;
  /** A re-ask after an unusable structured reply: accounted apart from the A.5 calls. */
  repair?: boolean;
}

export interface RoleServices {
  cache: CallCache;
  ledger: CallLedger;
  emit: (event: CallEvent) => void;
  /**
   * Keys of calls to ask again rather than replay (a run paused over their unusable replies): such
   * a key is salted, so the cache holds no answer for it; a renewed key renewed again, again.
   */
  renewed?: ReadonlySet<string>;
  /**
   * The run's budget (runs/runBudget.ts): asked as a call's first request gets its slot (a call
   * once begun is finished whole), and told of each call until it settles.
   */
  gate?: { admit(): void; track<T>(call: Promise<T>): Promise<T> };
}

export class RoleClient {
  constructor(
    readonly role: Role,
    readonly backend: Backend,
    readonly settings: RoleSettings,
    private readonly services: RoleServices,
  ) {}

  get sampled(): boolean {
    return this.settings.temperature > 0;
  }

  keyFor(input: ModelInput, options: RoleCallOptions = {}): string {
    const key = callKey({
      backend: this.backend.identity,
      input,
      ...this.settings,
      n: options.n ?? 1,
      stop: options.stop,
      jsonSchema: options.jsonSchema,
      rollout: this.sampled ? (options.rolloutId ?? '') : undefined,
    });
    let renewed = key;
    while (this.services.renewed?.has(renewed)) renewed = callKey({ renewed });
    return renewed;
  }

  isCached(input: ModelInput, options: RoleCallOptions = {}): boolean {
    return this.services.cache.has(this.keyFor(input, options));
  }

  /** n texts; throws ModelCallError when the backend fails for good. */
  async generate(input: ModelInput, options: RoleCallOptions = {}): Promise<string[]> {
    const key = this.keyFor(input, options);
    const { cache } = this.services;
    const hit = cache.get(key);
    const pending = cache.inFlight.get(key);
    if (hit || pending) {
      this.services.ledger.recordCacheHit(this.role);
      return hit ? hit.texts : pending!;
    }
    const call = this.pay(key, input, options);
    this.services.gate?.track(call);
    cache.inFlight.set(key, call);
    try {
      return await call;
    } finally {
      cache.inFlight.delete(key);
    }
  }

  private async pay(key: string, input: ModelInput, options: RoleCallOptions): Promise<string[]> {
    const { cache, ledger, emit } = this.services;
    const n = options.n ?? 1;
    const { client } = this.backend;
    // Read per call: a probe may have narrowed what the client does since it opened.
    const { multipleSamples, jsonSchema } = client.capabilities;
    const base: GenerateRequest = {
      input,
      temperature: this.settings.temperature,
      topP: this.settings.topP,
      maxTokens: this.settings.maxTokens,
      seed: this.settings.seed,
      n: 1,
      stop: options.stop,
      jsonSchema: jsonSchema ? options.jsonSchema : undefined,
    };
    /** `count` requests of one sample each, the i-th seeded `from + i` (distinct samples where seeds decide). */
    const singles = (count: number, from: number) =>
      Array.from({ length: count }, (_, i) => ({
        ...base,
        seed: base.seed === undefined ? undefined : base.seed + from + i,
      }));
    const started = Date.now();
    let retries = 0;
    let admitted = false;
    const admit = () => {
      if (!admitted) this.services.gate?.admit();
      admitted = true;
    };
    const ask = (requests: GenerateRequest[]) =>
      Promise.all(requests.map((request) => this.request(key, request, options, () => (retries += 1), admit)));
    const results = n > 1 && multipleSamples ? await ask([{ ...base, n }]) : await ask(n > 1 ? singles(n, 0) : [base]);
    // A server that ignores or refuses n answers fewer: the rest is asked one by one, through the scheduler.
    const answered = results.reduce((sum, r) => sum + r.texts.length, 0);
    if (n > 1 && multipleSamples && answered < n) results.push(...(await ask(singles(n - answered, answered))));
    const requests = results.reduce((sum, r) => sum + (r.requests ?? 1), 0);
    const texts = results.flatMap((r: GenerateResult) => r.texts);
    const usage = {
      promptTokens: results.reduce((s, r) => s + r.usage.promptTokens, 0),
      completionTokens: results.reduce((s, r) => s + r.usage.completionTokens, 0),
    };
    cache.set(key, { texts }, !this.sampled);
    const price = this.backend.price;
    const costUsd = price ? (usage.promptTokens * price.input + usage.completionTokens * price.output) / 1e6 : 0;
    ledger.recordCall(this.role, this.backend.name, {
      requests,
      samples: texts.length,
      usage,
      retries,
      repair: options.repair,
      costUsd,
    });
    emit({
      type: 'call',
      role: this.role,
      backend: this.backend.name,
      key,
      rolloutId: this.sampled ? options.rolloutId : undefined,
      requests,
      repair: options.repair || undefined,
      texts,
      usage,
      costUsd,
      retries,
      latencyMs: Date.now() - started,
    });
    return texts;
  }

  /** One request through the backend's scheduler; a failure for good is counted, logged and thrown as a ModelCallError. */
  private async request(
    key: string,
    request: GenerateRequest,
    options: RoleCallOptions,
    countRetry: () => void,
    admit: () => void,
  ): Promise<GenerateResult> {
    const { ledger, emit } = this.services;
    const { client } = this.backend;
    let retries = 0;
    try {
      const { value } = await this.backend.scheduler.run(
        (signal) => {
          admit();
          return client.generate(request, signal);
        },
        {
          signal: options.signal,
          kind: this.role,
          onRetry: ({ attempt, error, delayMs, overload }) => {
            // Waits on a full server are not retries: they use up no retry budget and are not counted as such.
            if (!overload) {
              retries += 1;
              countRetry();
            }
            emit({
              type: 'retry',
              role: this.role,
              backend: this.backend.name,
              attempt,
              kind: error.kind,
              message: error.message,
              delayMs,
              ...(overload ? { overload } : {}),
            });
          },
        },
      );
      return value;
    } catch (error) {
      const failure =
        asModelCallError(error) ??
        new ModelCallError('bad-request', String((error as Error)?.message ?? error), { cause: error });
      if (failure.kind !== 'aborted') {
        ledger.recordError(this.role, retries);
        emit({
          type: 'call-failed',
          role: this.role,
          backend: this.backend.name,
          key,
          kind: failure.kind,
          message: failure.message,
          retries,
        });
      }
      throw failure;
    }
  }
}
