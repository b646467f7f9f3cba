// OpenAI's API and any OpenAI-compatible server, through the official `openai` client
// (imported when a client is created). One base URL; the request logic, quirk handling and error
// classification are the shared openai-compatible client's (../openai-compatible/).

import type { BackendPlugin, Capabilities, ModelClient, PluginContext } from '../contract.js';
import { SettingsReader } from '../kit/settings.js';
import { OpenAICompatibleClient } from '../openai-compatible/client.js';
import {
  type JsonField,
  type Mode,
  normalizeBaseURL,
  type OpenAIModule,
  readJsonField,
  readMode,
} from '../openai-compatible/options.js';
import manifest from './manifest.json' with { type: 'json' };

const LABEL = 'openai';
const capabilities: Capabilities = manifest.capabilities;

export interface OpenAISettings {
  baseURL: string;
  apiKey: string;
  model: string;
  mode: Mode;
  jsonField: JsonField;
  maxParallel: number | undefined;
  requestTimeoutMs: number;
  organization: string | undefined;
  embeddingModel: string | undefined;
}

export function parseSettings(settings: Record<string, unknown>): OpenAISettings {
  const read = new SettingsReader(LABEL, settings);
  const model = read.requiredString('model', 'the model id the server serves');
  return {
    baseURL: normalizeBaseURL(read.string('baseURL', 'https://api.openai.com/v1'), LABEL, 'baseURL'),
    apiKey: read.string('apiKey', ''),
    model,
    mode: readMode(read, 'chat'),
    jsonField: readJsonField(read),
    maxParallel: read.integer('maxParallel', 1, 4096),
    requestTimeoutMs: read.integer('requestTimeoutMs', 1, 86_400_000, 300_000),
    organization: read.string('organization'),
    embeddingModel: read.string('embeddingModel'),
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
    ...(ctx.profile ? { profile: ctx.profile } : {}),
    guidedJson: false,
    jsonField: settings.jsonField,
    maxStopStrings: 4,
    connectionCooldownMs: 0,
    log: (message) => ctx.log(message),
  });
}

const plugin: BackendPlugin = { create: createClient };
export default plugin;
