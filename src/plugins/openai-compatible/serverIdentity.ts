// Which server stands behind an OpenAI-compatible base URL, where it tells: /v1/models' owned_by
// ('llamacpp', 'vllm', 'openai' or 'system'), then llama.cpp's GET /props (its context per slot) or
// vLLM's GET /version. Each is a plain fetch with a short timeout; one that fails or is absent
// only leaves that fact unknown.

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
  const kind = OWNERS[String(entry?.owned_by)] ?? 'unknown';
  const listedContext = positiveInteger(CONTEXT_KEYS.map((key) => entry?.[key]).find((v) => v !== undefined));
  if (kind === 'llamacpp') {
    const props = (await get(`${origin}/props`)) as { default_generation_settings?: { n_ctx?: unknown } } | undefined;
    const perSlot = positiveInteger(props?.default_generation_settings?.n_ctx) ?? listedContext;
    return { kind, name: 'llama.cpp server', ...(perSlot ? { contextLength: perSlot } : {}), requests: 2 };
  }
  const context = listedContext ? { contextLength: listedContext } : {};
  if (kind === 'vllm') {
    const version = ((await get(`${origin}/version`)) as { version?: unknown } | undefined)?.version;
    // The server's own words, kept and shown: a version string of any length is cut to what a version is.
    const name = typeof version === 'string' ? `vLLM ${version.slice(0, 40)}` : 'vLLM';
    return { kind, name, ...context, requests: 2 };
  }
  return { kind, ...(kind === 'openai' ? { name: 'OpenAI' } : {}), ...context, requests: 1 };
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
