// One ModelClient over one or more base URLs serving the same model through the OpenAI wire
// protocol, spoken with the official `openai` client. The openai plugin builds it on one base
// URL, the vllm plugin on several. Text is always streamed; the `openai` client's own retries
// are off (the host's scheduler owns retries): the only repeats here are the capability
// fallbacks (features.ts, sampling.ts) and, with several endpoints, moving a refused request
// to another endpoint (endpoints.ts).

import type {
  Capabilities,
  DeclaredCapacity,
  GenerateRequest,
  GenerateResult,
  ModelClient,
  ModelInfo,
} from '../contract.js';
import { ClientLifetime } from '../kit/clientLifetime.js';
import { checkRequest } from '../kit/requestChecks.js';
import { declaredSlots } from './capacity.js';
import { EndpointPool } from './endpoints.js';
import type { Wire } from './exchange.js';
import { FeatureBook } from './features.js';
import { embedAt, listModelsAt } from './models.js';
import type { CompatibleClientOptions, OpenAIModule } from './options.js';
import { routeFor } from './request.js';
import { type Sampler, sample } from './sampling.js';

const EMBED_BATCH = 256;

export class OpenAICompatibleClient implements ModelClient {
  readonly capabilities: Capabilities;
  readonly maxParallel: number | undefined;

  private readonly lifetime: ClientLifetime;
  private readonly wire: Wire;
  private readonly pool: EndpointPool;
  private readonly sampler: Sampler;

  constructor(lib: OpenAIModule, options: CompatibleClientOptions) {
    this.capabilities = options.capabilities;
    this.maxParallel = options.maxParallel;
    this.lifetime = new ClientLifetime(options.label);
    this.wire = { lib, options, disposeSignal: this.lifetime.signal };
    this.pool = new EndpointPool(lib, options);
    this.sampler = { wire: this.wire, pool: this.pool, features: new FeatureBook(options) };
  }

  generate(request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
    return this.lifetime.track(async () => {
      checkRequest(request, this.wire.options.label, this.capabilities);
      const route = routeFor(request.input, this.wire.options);
      return this.sampler.features.withFallbacks(request, (used) => sample(this.sampler, request, route, used, signal));
    });
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
