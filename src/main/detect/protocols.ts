// What answers at an address, from what it says on each server's own API: Ollama (GET
// /api/version and /api/tags, context lengths from POST /api/show), LM Studio (GET /api/v0/models,
// with max_context_length), then /v1/models, whose owned_by tells llama.cpp's server (context per
// slot from GET /props) and vLLM (max_model_len) from any other OpenAI-compatible server. Every
// reply is zod-checked: one of the wrong shape counts as no answer of that protocol.
import { z } from 'zod';
import {
  kindOfListing,
  listedContext,
  positiveInteger,
  propsContext,
} from '../../plugins/openai-compatible/serverIdentity.js';
import type { DetectedServerDto, DetectedServerKind } from '../../shared/studioApi.js';
import { type Reply, requestJson } from './probeHttp.js';

export type DetectedModel = DetectedServerDto['models'][number];

export type Outcome =
  | { found: true; kind: DetectedServerKind; models: DetectedModel[] }
  | { found: false; reason: string };

/** How long detect waits for one address, all its requests together: a stalled server must not hold it up. */
export const PROBE_TIMEOUT_MS = 2_000;

/** Ollama's /api/show costs a request per model: context lengths for the first ones only. */
const MAX_SHOWN = 32;

const ollamaVersion = z.object({ version: z.string() });
const ollamaTags = z.object({ models: z.array(z.object({ name: z.unknown(), model: z.unknown() })) });
const ollamaShow = z.object({ model_info: z.record(z.string(), z.unknown()) });
const lmStudioModels = z.object({
  data: z.array(z.object({ id: z.unknown(), type: z.string(), state: z.unknown(), max_context_length: z.unknown() })),
});
const openaiModels = z.object({ data: z.array(z.record(z.string(), z.unknown())) });
/** LM Studio's type of models that only embed. */
const EMBEDDING_TYPE = 'embeddings';

export async function probeAddress(address: string, signal: AbortSignal): Promise<Outcome> {
  const get = (path: string) => requestJson(`${address}${path}`, signal);
  const replies = await Promise.all([get('/api/version'), get('/api/tags'), get('/api/v0/models'), get('/v1/models')]);
  const [version, tags, lmStudio, openai] = replies;

  const ollama = parsed(ollamaVersion, version) && parsed(ollamaTags, tags);
  if (ollama) {
    const names = ollama.models.map((m) => modelId(m.name) ?? modelId(m.model)).filter((id) => id !== undefined);
    const contexts = await Promise.all(names.slice(0, MAX_SHOWN).map((id) => ollamaContext(address, id, signal)));
    return outcome(
      'ollama',
      names.map((id, i) => withContext(id, contexts[i])),
      'has no model pulled (`ollama pull MODEL`)',
    );
  }

  const studio = parsed(lmStudioModels, lmStudio);
  if (studio) {
    // Loaded models first: the one in memory answers at once.
    const llms = studio.data
      .filter((m) => m.type !== EMBEDDING_TYPE)
      .sort((a, b) => Number(b.state === 'loaded') - Number(a.state === 'loaded'));
    const models = llms.flatMap((m) => {
      const id = modelId(m.id);
      return id ? [withContext(id, positiveInteger(m.max_context_length))] : [];
    });
    return outcome('lm-studio', models, 'has no language model downloaded');
  }

  const listing = parsed(openaiModels, openai);
  if (listing) {
    const entries = listing.data.filter((entry) => modelId(entry.id) !== undefined);
    const owner = kindOfListing(entries[0]);
    // llama.cpp's server states the context of a slot, which is what one request may use.
    const perSlot = owner === 'llamacpp' ? propsContext(await jsonOf(`${address}/props`, signal)) : undefined;
    const models = entries.map((entry) => withContext(modelId(entry.id)!, perSlot ?? listedContext(entry)));
    const kind = owner === 'llamacpp' ? 'llama.cpp' : owner === 'vllm' ? 'vllm' : 'openai-compatible';
    return outcome(kind, models, 'lists no model on /v1/models');
  }

  return { found: false, reason: silentReason(replies) };
}

async function ollamaContext(address: string, model: string, signal: AbortSignal): Promise<number | undefined> {
  const show = parsed(ollamaShow, await requestJson(`${address}/api/show`, signal, { model }));
  const arch = show?.model_info['general.architecture'];
  return typeof arch === 'string' ? positiveInteger(show?.model_info[`${arch}.context_length`]) : undefined;
}

async function jsonOf(url: string, signal: AbortSignal): Promise<unknown> {
  const reply = await requestJson(url, signal);
  return reply.kind === 'json' ? reply.body : undefined;
}

function parsed<T>(schema: z.ZodType<T>, reply: Reply): T | undefined {
  if (reply.kind !== 'json') return undefined;
  const result = schema.safeParse(reply.body);
  return result.success ? result.data : undefined;
}

/** A model id fit to show and to save: a non-empty line of at most 512 characters. */
function modelId(value: unknown): string | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  return typeof value === 'string' && value.length > 0 && value.length <= 512 && !/[\u0000-\u001f\u007f]/.test(value)
    ? value
    : undefined;
}

function withContext(id: string, contextLength: number | undefined): DetectedModel {
  return contextLength ? { id, contextLength } : { id };
}

const NAMES: Record<DetectedServerKind, string> = {
  ollama: 'Ollama',
  'lm-studio': 'LM Studio',
  'llama.cpp': "llama.cpp's server",
  vllm: 'vLLM',
  'openai-compatible': 'An OpenAI-compatible server',
};

/** Found with its models, or silent when it serves none (nothing could be saved for it). */
function outcome(kind: DetectedServerKind, models: DetectedModel[], none: string): Outcome {
  return models.length > 0
    ? { found: true, kind, models }
    : { found: false, reason: `${NAMES[kind]} answers but ${none}` };
}

/** Why nothing usable answered, from the most telling of the replies (Ollama's two, LM Studio's, /v1/models). */
function silentReason(replies: readonly Reply[]): string {
  const kinds = new Set(replies.map((r) => r.kind));
  const statuses = replies.flatMap((r) => (r.kind === 'status' ? [r.status] : []));
  const authOn = replies.map((r) => (r.kind === 'status' && (r.status === 401 || r.status === 403) ? r.status : 0));
  const ollamaAuth = authOn[0] || authOn[1];
  if (ollamaAuth)
    return `refuses requests without a key (HTTP ${ollamaAuth}): an Ollama behind an authenticating proxy needs its key — add the connection by hand with the ollama plugin and its "apiKey" (env:NAME)`;
  const apiAuth = authOn[2] || authOn[3];
  if (apiAuth)
    return `its OpenAI-compatible API wants a key (HTTP ${apiAuth}) — add the connection by hand with the openai (or vllm) plugin and its "apiKey" (env:NAME)`;
  if (kinds.size === 1 && kinds.has('refused')) return 'nothing listens there (connection refused)';
  if (kinds.has('timeout')) return `no answer within ${PROBE_TIMEOUT_MS / 1000} s`;
  const unreachable = replies.find((r) => r.kind === 'unreachable');
  if (unreachable?.kind === 'unreachable' && kinds.size === 1) return `cannot be reached (${unreachable.detail})`;
  const said = kinds.has('too-big')
    ? 'a reply larger than 2 MiB'
    : kinds.has('not-json')
      ? 'replies that are not JSON'
      : kinds.has('json')
        ? 'JSON of another shape'
        : statuses.length > 0
          ? `HTTP ${[...new Set(statuses)].join(', ')}`
          : 'no usable reply';
  return `answers, but not as Ollama, LM Studio, llama.cpp's server, vLLM or an OpenAI-compatible server (${said} on /api/tags, /api/v0/models and /v1/models)`;
}
