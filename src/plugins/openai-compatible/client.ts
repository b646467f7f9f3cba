// One ModelClient over one or more base URLs serving the same model through the OpenAI wire
// protocol, spoken with the official `openai` client. The openai plugin builds it on one base
// URL, the vllm plugin on several. Text is always streamed; the `openai` client's own retries
// are off (the host's scheduler owns retries): the only repeats here are the capability
// fallbacks (features.ts) and, with several endpoints, moving a refused request to another
// endpoint (endpoints.ts). probe() finds what the server really does (probe.ts); from then on,
// or from the start with a known profile, the client uses exactly that.

import type {
  Capabilities,
  DeclaredCapacity,
  GenerateRequest,
  GenerateResult,
  ModelClient,
  ModelInfo,
  ServerProfile,
} from '../contract.js';
import { ClientLifetime } from '../kit/clientLifetime.js';
import { checkRequest } from '../kit/requestChecks.js';
import { declaredSlots } from './capacity.js';
import { EndpointPool } from './endpoints.js';
import type { Wire } from './exchange.js';
import { FeatureBook } from './features.js';
import { embedAt, listModelsAt } from './models.js';
import type { CompatibleClientOptions, OpenAIModule } from './options.js';
import { probeServer } from './probe.js';
import { routeFor } from './request.js';
import { type Sampler, sample, type Tally } from './sampling.js';

const EMBED_BATCH = 256;

export class OpenAICompatibleClient implements ModelClient {
  readonly maxParallel: number | undefined;

  private readonly lifetime: ClientLifetime;
  private readonly wire: Wire;
  private readonly pool: EndpointPool;
  private readonly sampler: Sampler;

  constructor(lib: OpenAIModule, options: CompatibleClientOptions) {
    this.maxParallel = options.maxParallel;
    this.lifetime = new ClientLifetime(options.label);
    this.wire = { lib, options, disposeSignal: this.lifetime.signal };
    this.pool = new EndpointPool(lib, options);
    this.sampler = { wire: this.wire, pool: this.pool, features: new FeatureBook(options) };
    if (options.profile) this.sampler.features.applyProfile(options.profile);
  }

  get capabilities(): Capabilities {
    const { capabilities, mode } = this.wire.options;
    return this.sampler.features.narrow(capabilities, mode === 'chat' ? 'chat' : 'completion');
  }

  generate(request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
    return this.lifetime.track(async () => {
      // The declared capabilities: n > 1 the server was found not to take is sent as n = 1 (one
      // text back), not refused, since the host may have asked before it learned so.
      checkRequest(request, this.wire.options.label, this.wire.options.capabilities);
      const route = routeFor(request.input, this.wire.options);
      const tally: Tally = { requests: 0 };
      return this.sampler.features.withFallbacks(request, route.api, (used) =>
        sample(this.sampler, request, route, used, signal, tally),
      );
    });
  }

  probe(signal?: AbortSignal): Promise<ServerProfile> {
    const stop = signal ? AbortSignal.any([signal, this.lifetime.signal]) : this.lifetime.signal;
    return this.lifetime.track(() => probeServer(this.sampler, stop));
  }

  declaredCapacity(signal?: AbortSignal): Promise<DeclaredCapacity | undefined> {
    const { baseURLs, apiKey } = this.wire.options;
    return this.lifetime.track(() => declaredSlots(baseURLs, apiKey, signal));
  }

  listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    return this.lifetime.track(() => this.pool.run((endpoint) => listModelsAt(this.wire, endpoint, signal)));
  }

  /** The models one particular endpoint serves (the vllm plugin checks each at create time). */
  listModelsOf(baseURL: string, signal?: AbortSignal): Promise<ModelInfo[]> {
    const endpoint = this.pool.endpoints.find((e) => e.baseURL === baseURL);
    if (!endpoint) return Promise.reject(new Error(`${this.wire.options.label}: unknown endpoint ${baseURL}`));
    return this.lifetime.track(() => listModelsAt(this.wire, endpoint, signal));
  }

  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    return this.lifetime.track(async () => {
      const out: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += EMBED_BATCH) {
        const batch = texts.slice(start, start + EMBED_BATCH);
        out.push(...(await this.pool.run((endpoint) => embedAt(this.wire, endpoint, batch, signal))));
      }
      return out;
    });
  }

  dispose(): Promise<void> {
    return this.lifetime.dispose();
  }
}
