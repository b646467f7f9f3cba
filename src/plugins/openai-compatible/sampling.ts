// n samples for one request: one request with n choices where the server allows it; n that is
// rejected or answered short is fanned out into single-choice requests (seeds continuing), and
// usage is summed over the parts, or estimated (4 characters a token) where a server reports none.

import type { GenerateRequest, GenerateResult } from '../contract.js';
import type { EndpointPool } from './endpoints.js';
import type { Wire } from './exchange.js';
import type { Feature, FeatureBook } from './features.js';
import type { Route } from './request.js';
import { type Sampled, streamOnce } from './stream.js';

export interface Sampler {
  wire: Wire;
  pool: EndpointPool;
  features: FeatureBook;
}

export async function sample(
  sampler: Sampler,
  request: GenerateRequest,
  route: Route,
  used: ReadonlySet<Feature>,
  signal: AbortSignal | undefined,
): Promise<GenerateResult> {
  const { wire, pool, features } = sampler;
  const n = request.n;
  const parts: Sampled[] = [];
  let have = 0;
  if (n === 1 || used.has('multipleChoices')) {
    // Once text has reached the caller, the request may not move to another endpoint.
    let emitted = false;
    const callerOnText = n === 1 ? request.onText : undefined;
    const onText = callerOnText
      ? (piece: string): void => {
          emitted = true;
          callerOnText(piece);
        }
      : undefined;
    const first = await pool.run(
      (endpoint) => streamOnce(wire, endpoint, { request, route, used, n, seed: request.seed, signal, onText }),
      () => !emitted,
    );
    first.texts = first.texts.slice(0, n);
    parts.push(first);
    have = first.texts.length;
    if (have < n) features.learnUnsupported('multipleChoices', `asked for ${n} choices, got ${have}`);
  }
  if (have < n) {
    const single = new Set(used);
    single.delete('multipleChoices');
    parts.push(...(await fanOut(sampler, request, route, single, { offset: have, count: n - have }, signal)));
  }
  return { texts: parts.flatMap((p) => p.texts), usage: totalUsage(parts, route) };
}

/** `count` single-choice requests at once, seeds continuing from `offset`; the first failure cancels the rest. */
async function fanOut(
  { wire, pool }: Sampler,
  request: GenerateRequest,
  route: Route,
  used: ReadonlySet<Feature>,
  { offset, count }: { offset: number; count: number },
  signal: AbortSignal | undefined,
): Promise<Sampled[]> {
  const group = new AbortController();
  const groupSignal = signal ? AbortSignal.any([signal, group.signal]) : group.signal;
  try {
    return await Promise.all(
      Array.from({ length: count }, (_, i) => {
        const seed = request.seed === undefined ? undefined : request.seed + offset + i;
        return pool.run((endpoint) =>
          streamOnce(wire, endpoint, { request, route, used, n: 1, seed, signal: groupSignal, onText: undefined }),
        );
      }),
    );
  } catch (error) {
    group.abort();
    throw error;
  }
}

function totalUsage(parts: readonly Sampled[], route: Route): GenerateResult['usage'] {
  return parts.reduce(
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
}
