// The base URLs a client spreads its requests over: each request goes to the endpoint with the
// fewest in flight (ties round-robin), and one that refuses connections is skipped for a while
// when others remain, its request moved to another.

import type { OpenAI } from 'openai';
import { ModelCallError } from '../contract.js';
import { openAIFor } from './openaiInstance.js';
import type { CompatibleClientOptions, OpenAIModule } from './options.js';

export interface Endpoint {
  baseURL: string;
  api: OpenAI;
  inFlight: number;
  coolingUntil: number;
}

export class EndpointPool {
  readonly endpoints: Endpoint[];
  private cursor = 0;

  constructor(
    lib: OpenAIModule,
    private readonly options: CompatibleClientOptions,
  ) {
    if (options.baseURLs.length === 0) throw new Error(`${options.label}: at least one base URL is needed`);
    this.endpoints = options.baseURLs.map((baseURL) => ({
      baseURL,
      api: openAIFor(lib, baseURL, options),
      inFlight: 0,
      coolingUntil: 0,
    }));
  }

  /**
   * Runs `call` on the best endpoint. One that cannot be reached is skipped for a while when
   * others remain, and the call moves to another while `canMove()` (nothing was streamed out yet).
   */
  async run<T>(call: (endpoint: Endpoint) => Promise<T>, canMove: () => boolean = () => true): Promise<T> {
    const { connectionCooldownMs, log } = this.options;
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
          endpoint.coolingUntil = Date.now() + connectionCooldownMs;
          const elsewhere = this.endpoints.length > tried.size && canMove();
          log(
            `${error.message}; skipping ${endpoint.baseURL} for ${Math.round(connectionCooldownMs / 1000)} s${elsewhere ? ', trying another endpoint' : ''}`,
          );
          if (elsewhere) continue;
        }
        throw error;
      }
    }
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
}
