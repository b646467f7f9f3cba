// What an OpenAICompatibleClient is built from: the plugin's settings turned into options, and
// the two setting readers the openai and vllm plugins share (mode, base URL).

import { type Capabilities, JSON_CONSTRAINTS, type JsonConstraint, type ServerProfile } from '../contract.js';
import type { SettingsReader } from '../kit/settings.js';

export type OpenAIModule = typeof import('openai');
export type Mode = 'chat' | 'completion';

export interface CompatibleClientOptions {
  /** Plugin id; every message starts with it. */
  label: string;
  /** Base URLs (ending in /v1) of servers that all serve `model`. */
  baseURLs: string[];
  /** '' when the server needs none (no Authorization header is sent then). */
  apiKey: string;
  organization?: string;
  model: string;
  /** Model for embed(); defaults to `model`. */
  embeddingModel?: string;
  /** 'completion' sends everything to /v1/completions (base models), rendering chats as a transcript. */
  mode: Mode;
  /** In chat mode, a raw text input goes as one user message (OpenAI) or to /v1/completions (vLLM serves both). */
  textInChatMode: 'user-message' | 'completion';
  /** Per HTTP exchange, until the last byte of the reply. */
  requestTimeoutMs: number;
  maxParallel?: number;
  /** What the manifest declares; the client narrows it to what the server was found to do. */
  capabilities: Capabilities;
  /** What an earlier probe found (PluginContext.profile): used from the start, nothing probed again. */
  profile?: ServerProfile;
  /** Send vLLM's `guided_json` beside `response_format`. */
  guidedJson: boolean;
  /** The user's word on the JSON field, over any probe: 'auto' probes; 'none' sends no schema. */
  jsonField: JsonField;
  /** Most stop strings sent (OpenAI takes 4); every stop string is still cut client-side. */
  maxStopStrings: number;
  /** How long an endpoint that failed with 'connection' is skipped while others remain. */
  connectionCooldownMs: number;
  log(message: string): void;
}

export function readMode(read: SettingsReader, fallback: Mode): Mode {
  return read.choice('mode', ['chat', 'completion'], fallback);
}

export type JsonField = 'auto' | 'none' | JsonConstraint;

/** The `jsonField` setting: a server the probe misjudges can be told which field it follows, or none. */
export function readJsonField(read: SettingsReader): JsonField {
  return read.choice('jsonField', ['auto', 'none', ...JSON_CONSTRAINTS], 'auto');
}

/** Validates a base URL and drops trailing slashes. */
export function normalizeBaseURL(raw: string, label: string, key: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${label}: setting "${key}" is not a URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`${label}: setting "${key}" must be an http(s) URL (got ${JSON.stringify(raw)})`);
  return raw.replace(/\/+$/, '');
}
