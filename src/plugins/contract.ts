// The backend plugin contract: the only module a plugin imports from the host.
// A plugin is a folder with `manifest.json` and a module whose default export is a
// BackendPlugin. The host (scheduler, cache, accounting) wraps every ModelClient, so a
// plugin only translates one request into one backend call and classifies its errors.

export type ChatRole = 'system' | 'user' | 'assistant';
export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/** Chat models get messages; base models get a raw text prompt (completion). */
export type ModelInput = { kind: 'chat'; messages: ChatMessage[] } | { kind: 'text'; text: string };

/** A JSON Schema object (draft 2020-12 subset: object, array, string, number, integer, enum). */
export type JsonSchema = Record<string, unknown>;

export interface GenerateRequest {
  input: ModelInput;
  temperature: number;
  topP?: number;
  maxTokens: number;
  /** Samples wanted. A client whose capabilities lack `multipleSamples` is only ever sent n = 1. */
  n: number;
  seed?: number;
  stop?: string[];
  /** Constrain the reply to this schema where the backend can (capability `jsonSchema`). */
  jsonSchema?: JsonSchema;
  /** Streaming: called with each piece of text as it arrives (n = 1 only). */
  onText?: (chunk: string) => void;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface GenerateResult {
  /**
   * One text per sample, stop strings removed. Fewer than n when the server answered fewer (one
   * that ignores n): the host asks for the rest through its scheduler, so every request counts
   * against the backend's limits. A plugin never fans n out into requests of its own.
   */
  texts: string[];
  usage: TokenUsage;
  /** HTTP requests (or backend calls) this result took, refused fallback attempts included; default 1. */
  requests?: number;
}

/**
 * A request field through which a server may be made to follow a JSON schema:
 * - 'response_format:json_schema': OpenAI's `response_format: {type: 'json_schema', json_schema: {name, schema}}`;
 * - 'response_format:json_object': `response_format: {type: 'json_object', schema}` (llama.cpp's server, chat);
 * - 'guided_json': vLLM's `guided_json`;
 * - 'json_schema': a top-level `json_schema` field (llama.cpp's server, chat and completions).
 */
export const JSON_CONSTRAINTS = [
  'response_format:json_schema',
  'response_format:json_object',
  'guided_json',
  'json_schema',
] as const;
export type JsonConstraint = (typeof JSON_CONSTRAINTS)[number];

/**
 * What a probe found a server really does (not what it accepts with a 200): kept with the
 * connection, shown where the connection is, and handed back to the plugin (PluginContext.profile)
 * so it is learned once.
 */
export interface ServerProfile {
  /** When it was probed (ms since the epoch). */
  probedAt: number;
  /** The server as it names itself, where it does ('vLLM 0.8.5', 'llama.cpp server'). */
  server?: string;
  /**
   * Per API the connection uses: the constraint whose reply followed a probe schema; null: none
   * did (the host then parses and repairs free text); absent: that API was not probed.
   */
  json: { chat?: JsonConstraint | null; completion?: JsonConstraint | null };
  /** One request with n = 2 answered two choices. */
  multipleSamples?: boolean;
  /** Streamed replies carry token usage. */
  streamUsage?: boolean;
  /** Prompt + reply tokens the server takes (per slot, where it has slots), where it says. */
  contextLength?: number;
  /** HTTP requests the probe made (the server received them too). */
  requests: number;
  /** What was found, in words for the user: "JSON on chat: json_object + schema; n>1: no; usage in streams: yes". */
  summary: string;
}

export interface Capabilities {
  chat: boolean;
  completion: boolean;
  multipleSamples: boolean;
  jsonSchema: boolean;
  seed: boolean;
  embeddings: boolean;
  listModels: boolean;
}

export interface ModelInfo {
  id: string;
  /** Longest prompt + reply the server accepts, where it says. */
  contextLength?: number;
}

export interface ModelClient {
  /** What the backend can do; a client with `probe` narrows it to what the probe found. */
  readonly capabilities: Capabilities;
  generate(request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult>;
  /** The models the backend serves (capability `listModels`); doubles as the connection test. */
  listModels?(signal?: AbortSignal): Promise<ModelInfo[]>;
  /** One vector per text (capability `embeddings`), for ICL retrieval. */
  embed?(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
  /** Largest number of requests the backend serves at once (the scheduler never exceeds it). */
  readonly maxParallel?: number;
  /**
   * What the server itself says it serves at once (llama.cpp's slots), asked once when a backend
   * with concurrency 'auto' opens: 'auto' starts there and stays at or below it. Undefined: it says nothing.
   */
  declaredCapacity?(signal?: AbortSignal): Promise<DeclaredCapacity | undefined>;
  /**
   * Verifies by a few tiny requests what the server really does (JSON constraints, n > 1, usage in
   * streams, context length) and uses what it found from then on. The host calls it when a
   * connection is first used without a known profile, and on Test; it keeps the result with the
   * connection. Plugins of backends that are what they declare leave it out.
   */
  probe?(signal?: AbortSignal): Promise<ServerProfile>;
  /** Releases everything the client opened (models, contexts, sockets). */
  dispose(): Promise<void>;
}

export interface DeclaredCapacity {
  limit: number;
  /** Who says so, in words for the run log ("the server's /props (total_slots 4)"). */
  source: string;
}

/** What went wrong, in the terms the scheduler decides on. */
export const MODEL_ERROR_KINDS = [
  'connection', // refused, reset, DNS: retriable
  'timeout', // retriable
  'rate-limit', // 429: the server is full: wait (retryAfterMs), then ask again; no retry used up
  'overloaded', // 503: the server is full, as for 429
  'server', // other 5xx: retriable
  'auth', // 401/403: final
  'not-found', // unknown model or endpoint: final
  'bad-request', // the request itself is wrong (e.g. context overflow): final
  'aborted', // cancelled by the user: final
] as const;
export type ModelErrorKind = (typeof MODEL_ERROR_KINDS)[number];

export class ModelCallError extends Error {
  readonly kind: ModelErrorKind;
  readonly retryAfterMs: number | undefined;
  constructor(kind: ModelErrorKind, message: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ModelCallError';
    this.kind = kind;
    this.retryAfterMs = options.retryAfterMs;
  }
  get retriable(): boolean {
    return this.kind === 'connection' || this.kind === 'timeout' || this.kind === 'server' || this.overload;
  }
  /** The server is full (429, 503): a wait and a lower concurrency, not a failure. */
  get overload(): boolean {
    return this.kind === 'rate-limit' || this.kind === 'overloaded';
  }
}

/**
 * The error as the contract's class, or undefined when it says nothing of its kind. A user plugin
 * that ships on its own cannot import this module, so it throws an Error of its own with a `kind`
 * (and `retryAfterMs`), as the README's example does; the host must retry its rate limits alike.
 */
export function asModelCallError(error: unknown): ModelCallError | undefined {
  if (error instanceof ModelCallError) return error;
  if (!(error instanceof Error)) return undefined;
  const { kind, retryAfterMs } = error as Error & { kind?: unknown; retryAfterMs?: unknown };
  if (typeof kind !== 'string' || !(MODEL_ERROR_KINDS as readonly string[]).includes(kind)) return undefined;
  const wait = typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs) && retryAfterMs >= 0;
  return new ModelCallError(kind as ModelErrorKind, error.message, {
    cause: error,
    retryAfterMs: wait ? retryAfterMs : undefined,
  });
}

export interface PluginManifest {
  id: string;
  version: string;
  /** The host's plugin API version this plugin was written for. */
  apiVersion: number;
  name: string;
  description?: string;
  capabilities: Capabilities;
  /** Declarative settings the host validates and renders as a form. */
  settings: SettingField[];
}

export interface SettingField {
  key: string;
  title: string;
  /**
   * 'secret' values never live in a settings or config file: there they are written
   * "env:NAME", and the host hands the plugin the variable's value. 'string-list' is an array
   * of strings (e.g. several endpoints).
   */
  type: 'string' | 'number' | 'boolean' | 'path' | 'secret' | 'string-list';
  required?: boolean;
  default?: string | number | boolean;
  description?: string;
}

export interface PluginContext {
  /** Folder a relative path in the settings is resolved against (the config file's folder). */
  baseDir: string;
  log(message: string): void;
  /** What an earlier probe of this connection found: the client uses it instead of probing again. */
  profile?: ServerProfile;
}

export interface BackendPlugin {
  create(settings: Record<string, unknown>, context: PluginContext): Promise<ModelClient>;
}

export const PLUGIN_API_VERSION = 1;

/** Cuts a reply at the first stop string, so no plugin ever returns one (OpenAI's semantics). */
export function cutAtStop(text: string, stops: readonly string[]): string {
  let end = text.length;
  for (const stop of stops) {
    const i = stop ? text.indexOf(stop) : -1;
    if (i >= 0 && i < end) end = i;
  }
  return text.slice(0, end);
}
