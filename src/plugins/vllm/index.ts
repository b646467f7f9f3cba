// vLLM's OpenAI-compatible server on one or more endpoints serving the same model. The request
// logic is the shared openai-compatible client's (../openai-compatible/); this adds what vLLM
// offers and a cluster needs: a health check of every endpoint at create time, the served model
// (and its max_model_len) found by listing, guided_json beside response_format, raw completions
// by default, and load spread over the endpoints (least in flight, ties round-robin; one that
// refuses connections is skipped for 30 s while others remain).

import {
  type BackendPlugin,
  type Capabilities,
  ModelCallError,
  type ModelClient,
  type ModelInfo,
  type PluginContext,
} from '../contract.js';
import { innermostReason } from '../kit/errorCauses.js';
import { SettingsReader } from '../kit/settings.js';
import { OpenAICompatibleClient } from '../openai-compatible/client.js';
import {
  type CompatibleClientOptions,
  type JsonField,
  type Mode,
  normalizeBaseURL,
  type OpenAIModule,
  readJsonField,
  readMode,
} from '../openai-compatible/options.js';
import manifest from './manifest.json' with { type: 'json' };

const LABEL = 'vllm';
const capabilities: Capabilities = manifest.capabilities;
const HEALTH_TIMEOUT_MS = 10_000;
const CONNECTION_COOLDOWN_MS = 30_000;

export interface VllmSettings {
  /** Base URLs ending in /v1. */
  endpoints: string[];
  apiKey: string;
  model: string | undefined;
  mode: Mode;
  jsonField: JsonField;
  maxParallelPerEndpoint: number;
  requestTimeoutMs: number;
}

export function parseSettings(settings: Record<string, unknown>): VllmSettings {
  const read = new SettingsReader(LABEL, settings);
  const endpoints = read.stringList('endpoints').map((raw) => {
    const url = normalizeBaseURL(raw, LABEL, 'endpoints');
    return new URL(url).pathname.replace(/\/+$/, '') === '' ? `${url}/v1` : url;
  });
  if (endpoints.length === 0)
    throw read.error('setting "endpoints" needs at least one base URL (e.g. http://127.0.0.1:8000/v1)');
  const duplicate = endpoints.find((e, i) => endpoints.indexOf(e) !== i);
  if (duplicate) throw read.error(`endpoint ${duplicate} is listed twice`);
  return {
    endpoints,
    apiKey: read.string('apiKey', ''),
    model: read.string('model'),
    mode: readMode(read, 'completion'),
    jsonField: readJsonField(read),
    maxParallelPerEndpoint: read.integer('maxParallelPerEndpoint', 1, 4096, 8),
    requestTimeoutMs: read.integer('requestTimeoutMs', 1, 86_400_000, 300_000),
  };
}

/** vLLM's /health sits at the server root, beside /v1. */
export function healthURL(baseURL: string): string {
  return `${baseURL.replace(/\/v1$/, '')}/health`;
}

/** GET /health on every endpoint; throws naming each one that is down. */
async function checkHealth(endpoints: readonly string[], apiKey: string): Promise<void> {
  const failures = (
    await Promise.all(
      endpoints.map(async (endpoint) => {
        const url = healthURL(endpoint);
        try {
          const response = await fetch(url, {
            signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
            ...(apiKey ? { headers: { Authorization: `Bearer ${apiKey}` } } : {}),
          });
          await response.body?.cancel();
          return response.ok
            ? undefined
            : { endpoint, kind: 'server' as const, why: `GET ${url} answered HTTP ${response.status}` };
        } catch (error) {
          return { endpoint, kind: 'connection' as const, why: `GET ${url} failed: ${reason(error)}` };
        }
      }),
    )
  ).filter((f) => f !== undefined);
  if (failures.length === 0) return;
  const lines = failures.map(
    (f) => `endpoint ${f.endpoint} is ${f.kind === 'connection' ? 'unreachable' : 'not healthy'} (${f.why})`,
  );
  throw new ModelCallError(
    failures.some((f) => f.kind === 'connection') ? 'connection' : 'server',
    `${LABEL}: ${lines.join('; ')}`,
  );
}

function reason(error: unknown): string {
  return (error as Error)?.name === 'TimeoutError'
    ? `no answer within ${HEALTH_TIMEOUT_MS} ms`
    : innermostReason(error);
}

async function createClient(rawSettings: Record<string, unknown>, ctx: PluginContext): Promise<ModelClient> {
  const settings = parseSettings(rawSettings);
  await checkHealth(settings.endpoints, settings.apiKey);
  const lib: OpenAIModule = await import('openai');
  const options = (model: string, profile = ctx.profile): CompatibleClientOptions => ({
    label: LABEL,
    baseURLs: settings.endpoints,
    apiKey: settings.apiKey,
    model,
    mode: settings.mode,
    textInChatMode: 'completion',
    requestTimeoutMs: settings.requestTimeoutMs,
    maxParallel: settings.endpoints.length * settings.maxParallelPerEndpoint,
    capabilities,
    ...(profile ? { profile } : {}),
    guidedJson: true,
    jsonField: settings.jsonField,
    maxStopStrings: Number.MAX_SAFE_INTEGER,
    connectionCooldownMs: CONNECTION_COOLDOWN_MS,
    log: (message) => ctx.log(message),
  });

  // Every endpoint must serve the model (this also checks the API key on each).
  const lister = new OpenAICompatibleClient(lib, options(settings.model ?? '', undefined));
  let listings: ModelInfo[][];
  try {
    listings = await Promise.all(settings.endpoints.map((endpoint) => lister.listModelsOf(endpoint)));
  } finally {
    await lister.dispose();
  }
  const model = settings.model ?? listings[0]![0]?.id;
  if (!model) throw new ModelCallError('not-found', `${LABEL}: ${settings.endpoints[0]} serves no model`);
  settings.endpoints.forEach((endpoint, i) => {
    const served = listings[i]!;
    if (!served.some((m) => m.id === model)) {
      throw new ModelCallError(
        'not-found',
        `${LABEL}: the model ${model} does not exist at ${endpoint} (it serves: ${served.map((m) => m.id).join(', ') || 'nothing'})`,
      );
    }
  });
  const contextLength = listings[0]!.find((m) => m.id === model)?.contextLength;
  ctx.log(
    `${LABEL}: ${model}${contextLength ? ` (context ${contextLength} tokens)` : ''} on ${settings.endpoints.length} endpoint(s), ` +
      `up to ${settings.endpoints.length * settings.maxParallelPerEndpoint} requests at once, ${settings.mode} mode`,
  );
  return new OpenAICompatibleClient(lib, options(model));
}

const plugin: BackendPlugin = { create: createClient };
export default plugin;
