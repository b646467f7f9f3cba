// Which server stands behind an OpenAI-compatible base URL, where it tells: /v1/models' owned_by
// ('llamacpp', 'vllm', 'openai' or 'system'), then llama.cpp's GET /props (its context per slot) or
// vLLM's GET /version. Each is a plain fetch with a short timeout; one that fails or is absent
// only leaves that fact unknown. The readings of each reply are exported for `detect`, which
// probes the same endpoints with its own size-capped requests.

import { getSideJson } from './sideJson.js';

export type ServerKind = 'llamacpp' | 'vllm' | 'openai' | 'unknown';

export interface ServerIdentity {
  kind: ServerKind;
  /** As the server names itself. */
  name?: string;
  /** Prompt + reply tokens per slot, where the server says. */
  contextLength?: number;
  /** HTTP requests made. */
  requests: number;
}

const OWNERS: Record<string, ServerKind> = { llamacpp: 'llamacpp', vllm: 'vllm', openai: 'openai', system: 'openai' };
const CONTEXT_KEYS = ['max_model_len', 'context_length', 'context_window', 'max_context_length'];

/** The server kind a /v1/models entry's owned_by names. */
export function kindOfListing(entry: Record<string, unknown> | undefined): ServerKind {
  return OWNERS[String(entry?.owned_by)] ?? 'unknown';
}

/** The context a /v1/models entry states, under any of the names servers use for it. */
export function listedContext(entry: Record<string, unknown> | undefined): number | undefined {
  return positiveInteger(CONTEXT_KEYS.map((key) => entry?.[key]).find((v) => v !== undefined));
}

/** llama.cpp's GET /props: the context of one slot (what one request may use). */
export function propsContext(props: unknown): number | undefined {
  return positiveInteger(
    (props as { default_generation_settings?: { n_ctx?: unknown } } | undefined)?.default_generation_settings?.n_ctx,
  );
}

export async function identifyServer(
  baseURL: string,
  apiKey: string,
  model: string,
  signal: AbortSignal | undefined,
): Promise<ServerIdentity> {
  const origin = baseURL.replace(/\/v1$/, '');
  const get = (url: string) => getSideJson(url, apiKey, signal);
  const listing = (await get(`${baseURL}/models`)) as { data?: Record<string, unknown>[] } | undefined;
  const entries = Array.isArray(listing?.data) ? listing.data : [];
  const entry = entries.find((m) => m?.id === model) ?? entries[0];
  const kind = kindOfListing(entry);
  const stated = listedContext(entry);
  if (kind === 'llamacpp') {
    const perSlot = propsContext(await get(`${origin}/props`)) ?? stated;
    return { kind, name: 'llama.cpp server', ...(perSlot ? { contextLength: perSlot } : {}), requests: 2 };
  }
  const context = stated ? { contextLength: stated } : {};
  if (kind === 'vllm') {
    const version = ((await get(`${origin}/version`)) as { version?: unknown } | undefined)?.version;
    // The server's own words, kept and shown: a version string of any length is cut to what a version is.
    const name = typeof version === 'string' ? `vLLM ${version.slice(0, 40)}` : 'vLLM';
    return { kind, name, ...context, requests: 2 };
  }
  return { kind, ...(kind === 'openai' ? { name: 'OpenAI' } : {}), ...context, requests: 1 };
}

export function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
