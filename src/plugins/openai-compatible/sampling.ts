// n samples for one request: one HTTP request, with n choices where the server takes n > 1, else
// with one. A server that answers fewer choices than asked (one that refuses or ignores n) gives
// fewer texts: the host asks for the rest through its scheduler, so every request counts against
// the server's limits. Usage is the server's, or estimated (4 characters a token) where it reports none.

import type { GenerateRequest, GenerateResult } from '../contract.js';
import type { EndpointPool } from './endpoints.js';
import type { Wire } from './exchange.js';
import type { Feature, FeatureBook } from './features.js';
import type { Route } from './request.js';
import { streamOnce } from './stream.js';

export interface Sampler {
  wire: Wire;
  pool: EndpointPool;
  features: FeatureBook;
}

/** HTTP requests one generate() made, refused ones included. */
export interface Tally {
  requests: number;
}

export async function sample(
  { wire, pool, features }: Sampler,
  request: GenerateRequest,
  route: Route,
  used: ReadonlySet<Feature>,
  signal: AbortSignal | undefined,
  tally: Tally,
): Promise<GenerateResult> {
  const n = used.has('multipleChoices') ? request.n : 1;
  const json = features.jsonConstraints(route.api, used);
  // Once text has reached the caller, the request may not move to another endpoint.
  let emitted = false;
  const callerOnText = request.n === 1 ? request.onText : undefined;
  const onText = callerOnText
    ? (piece: string): void => {
        emitted = true;
        callerOnText(piece);
      }
    : undefined;
  const sampled = await pool.run(
    (endpoint) => {
      tally.requests += 1;
      return streamOnce(wire, endpoint, { request, route, used, json, n, seed: request.seed, signal, onText });
    },
    () => !emitted,
  );
  const texts = sampled.texts.slice(0, n);
  if (n > 1 && texts.length < n)
    features.learnUnsupported('multipleChoices', `asked for ${n} choices, got ${texts.length}`);
  const usage = sampled.usage ?? {
    promptTokens: Math.ceil(route.promptChars / 4),
    completionTokens: Math.ceil(texts.reduce((s, t) => s + t.length, 0) / 4),
  };
  return { texts, usage, requests: tally.requests };
}
