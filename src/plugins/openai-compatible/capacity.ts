// What an OpenAI-compatible server says it serves at once, where it says: llama.cpp's server
// answers GET /props (beside /v1, not under it) with `total_slots` (its --parallel). Servers
// without it (vLLM, LM Studio, hosted APIs) answer 404 or something else, and 'auto' probes
// instead. A plain fetch: the openai client resolves every path under /v1.
import type { DeclaredCapacity } from '../contract.js';
import { getSideJson } from './sideJson.js';

/** The sum of the endpoints' slots, when every endpoint says; undefined otherwise. */
export async function declaredSlots(
  baseURLs: readonly string[],
  apiKey: string,
  signal?: AbortSignal,
): Promise<DeclaredCapacity | undefined> {
  const slots = await Promise.all(baseURLs.map((baseURL) => slotsAt(baseURL, apiKey, signal)));
  if (slots.some((s) => s === undefined)) return undefined;
  const total = slots.reduce((sum: number, s) => sum + s!, 0);
  return { limit: total, source: `the server's /props (total_slots ${total})` };
}

async function slotsAt(baseURL: string, apiKey: string, signal?: AbortSignal): Promise<number | undefined> {
  // Not a llama.cpp server, or not reachable now: nothing declared.
  const props = (await getSideJson(`${baseURL.replace(/\/v1$/, '')}/props`, apiKey, signal)) as {
    total_slots?: unknown;
  } | null;
  const slots = props?.total_slots;
  return typeof slots === 'number' && Number.isInteger(slots) && slots >= 1 && slots <= 4096 ? slots : undefined;
}
