// OpenAI's API and any OpenAI-compatible server, through the official `openai` client
// (imported when a client is created). One base URL; the request logic, quirk handling and error
// classification live in openaiCompatibleClient.ts, shared with the vllm plugin.

import type { BackendPlugin, Capabilities, ModelClient, PluginContext } from '../contract.js';
import manifest from './manifest.json' with { type: 'json' };
import {
  type Mode,
  normalizeBaseURL,
  OpenAICompatibleClient,
  type OpenAIModule,
  readInteger,
  readMode,
  readString,
} from './openaiCompatibleClient.js';

const LABEL = 'openai';
const capabilities: Capabilities = manifest.capabilities;

export interface OpenAISettings {
  baseURL: string;
  apiKey: string;
  model: string;
  mode: Mode;
  maxParallel: number | undefined;
  requestTimeoutMs: number;
  organization: string | undefined;
  embeddingModel: string | undefined;
}

export function parseSettings(settings: Record<string, unknown>): OpenAISettings {
  const model = readString(settings, 'model', LABEL);
  if (!model) throw new Error(`${LABEL}: setting "model" is required (the model id the server serves)`);
  const apiKey = settings.apiKey;
  if (apiKey !== undefined && apiKey !== null && typeof apiKey !== 'string')
    throw new Error(`${LABEL}: setting "apiKey" must be a string`);
  return {
    baseURL: normalizeBaseURL(readString(settings, 'baseURL', LABEL, 'https://api.openai.com/v1')!, LABEL, 'baseURL'),
    apiKey: (apiKey ?? '').trim(),
    model,
    mode: readMode(settings, LABEL, 'chat'),
    maxParallel: readInteger(settings, 'maxParallel', LABEL, undefined, 1, 4096),
    requestTimeoutMs: readInteger(settings, 'requestTimeoutMs', LABEL, 300_000, 1, 86_400_000)!,
    organization: readString(settings, 'organization', LABEL),
    embeddingModel: readString(settings, 'embeddingModel', LABEL),
  };
}

async function createClient(rawSettings: Record<string, unknown>, ctx: PluginContext): Promise<ModelClient> {
  const settings = parseSettings(rawSettings);
  const lib: OpenAIModule = await import('openai');
  return new OpenAICompatibleClient(lib, {
    label: LABEL,
    baseURLs: [settings.baseURL],
    apiKey: settings.apiKey,
    ...(settings.organization ? { organization: settings.organization } : {}),
    model: settings.model,
    ...(settings.embeddingModel ? { embeddingModel: settings.embeddingModel } : {}),
    mode: settings.mode,
    textInChatMode: 'user-message',
    requestTimeoutMs: settings.requestTimeoutMs,
    ...(settings.maxParallel !== undefined ? { maxParallel: settings.maxParallel } : {}),
    capabilities,
    guidedJson: false,
    maxStopStrings: 4,
    connectionCooldownMs: 0,
    log: (message) => ctx.log(message),
  });
}

const plugin: BackendPlugin = { create: createClient };
export default plugin;
