// Embedded llama.cpp backend (node-llama-cpp): runs a local GGUF model in-process.
//
// One client = one Llama instance + one model + one context with `parallel` sequences.
// Each request borrows a sequence from a small pool and always gives it back clean
// (history cleared), so requests never see each other's KV cache and a seeded request is
// reproducible whatever ran before it.

import { stat } from 'node:fs/promises';
import path from 'node:path';

import type {
  ChatHistoryItem,
  GbnfJsonSchema,
  Llama,
  LlamaContext,
  LlamaContextSequence,
  LlamaGrammar,
  LlamaModel,
} from 'node-llama-cpp';

import {
  ModelCallError,
  type BackendPlugin,
  type Capabilities,
  type ChatMessage,
  type GenerateRequest,
  type GenerateResult,
  type JsonSchema,
  type ModelClient,
  type PluginContext,
} from '../contract.js';

type NodeLlamaCpp = typeof import('node-llama-cpp');

export const capabilities: Capabilities = {
  chat: true,
  completion: true,
  multipleSamples: false,
  jsonSchema: true,
  seed: true,
  embeddings: false,
  listModels: false,
};

// ---------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------

export interface LlamaCppSettings {
  /** Absolute path of the GGUF file. */
  modelPath: string;
  threads: number;
  contextSize: number;
  parallel: number;
  gpu: boolean;
}

const DEFAULTS = { threads: 1, contextSize: 4096, parallel: 1, gpu: false } as const;

function readInteger(settings: Record<string, unknown>, key: string, fallback: number, min: number, max: number): number {
  const raw = settings[key];
  if (raw === undefined || raw === null || raw === '') return fallback;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`llama-cpp: setting "${key}" must be an integer from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  }
  return value;
}

function readBoolean(settings: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const raw = settings[key];
  if (raw === undefined || raw === null || raw === '') return fallback;
  if (typeof raw === 'boolean') return raw;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new Error(`llama-cpp: setting "${key}" must be true or false (got ${JSON.stringify(raw)})`);
}

/** Validates the raw settings and resolves a relative model path against `baseDir`. */
export function parseSettings(settings: Record<string, unknown>, baseDir: string): LlamaCppSettings {
  const modelPath = settings['modelPath'];
  if (typeof modelPath !== 'string' || modelPath.trim() === '') {
    throw new Error('llama-cpp: setting "modelPath" is required (path to a .gguf model file)');
  }
  return {
    modelPath: path.resolve(baseDir, modelPath.trim()),
    threads: readInteger(settings, 'threads', DEFAULTS.threads, 1, 1024),
    contextSize: readInteger(settings, 'contextSize', DEFAULTS.contextSize, 64, 1 << 24),
    parallel: readInteger(settings, 'parallel', DEFAULTS.parallel, 1, 256),
    gpu: readBoolean(settings, 'gpu', DEFAULTS.gpu),
  };
}

// ---------------------------------------------------------------------------------------
// JSON Schema -> node-llama-cpp GbnfJsonSchema
// ---------------------------------------------------------------------------------------
//
// node-llama-cpp 3.21 builds a grammar from its own JSON-schema dialect (GbnfJsonSchema).
// Supported there, and kept:
//   type (string | number | integer | boolean | null | object | array), enum (primitives),
//   const (primitive), oneOf, $ref to "#/$defs/<name>" with $defs, description,
//   object: properties, additionalProperties (boolean or schema), minProperties/maxProperties
//           (only effective together with additionalProperties),
//   array: items, prefixItems, minItems, maxItems,
//   string: minLength, maxLength, format "date" | "time" | "date-time".
// Converted to that dialect:
//   anyOf -> oneOf; allOf -> merged into one schema; sibling keywords of oneOf/anyOf are
//   merged into every alternative; type arrays -> oneOf of single types; "nullable": true ->
//   oneOf [schema, null]; definitions -> $defs (and "#/definitions/x" refs -> "#/$defs/x");
//   draft-04 tuple `items: [...]` (+ additionalItems) -> prefixItems (+ items);
//   `items: false` -> maxItems = number of prefixItems; `true` / `{}` schemas -> any JSON value;
//   a missing `type` is inferred from the keywords (properties -> object, items -> array,
//   minLength -> string, minimum -> number); an object without properties and without
//   additionalProperties accepts any keys (JSON Schema default; node-llama-cpp's default is
//   closed); integer with both bounds (minimum/maximum/exclusive*, optional integer
//   multipleOf) spanning <= 1000 values -> enum of those integers.
// Dropped (the grammar does not enforce them; the output may violate them):
//   minimum/maximum/exclusiveMinimum/exclusiveMaximum/multipleOf (number, or integer ranges
//   too wide for an enum), pattern, other string formats (email, uri, uuid, ...),
//   contentEncoding/contentMediaType, uniqueItems, contains/minContains/maxContains,
//   patternProperties, propertyNames, dependentRequired/dependentSchemas, unevaluated*,
//   not, if/then/else, enum/const values that are objects or arrays, $ref to anything but
//   local definitions (becomes "any JSON value").
// Semantics that differ:
//   `required` is ignored because node-llama-cpp always emits every declared property, so
//   optional properties are always present (the output still validates against the schema);
//   an object with properties and no additionalProperties is closed (no extra keys), which
//   is what structured output wants.
// Annotations (title, default, examples, $schema, $id, $comment, readOnly, ...) are ignored.

type Schema = Record<string, unknown>;

const ANY_JSON: Schema = {
  oneOf: [
    { type: ['string', 'number', 'boolean', 'null'] },
    { type: 'object', additionalProperties: true },
    { type: 'array' },
  ],
};

const PRIMITIVE_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'object', 'array']);
const SUPPORTED_FORMATS = new Set(['date', 'time', 'date-time']);
const MAX_INTEGER_ENUM = 1000;

const DROPPED_KEYWORDS = [
  'pattern',
  'contentEncoding',
  'contentMediaType',
  'contentSchema',
  'uniqueItems',
  'contains',
  'minContains',
  'maxContains',
  'patternProperties',
  'propertyNames',
  'dependentRequired',
  'dependentSchemas',
  'dependencies',
  'unevaluatedItems',
  'unevaluatedProperties',
  'not',
  'if',
  'then',
  'else',
] as const;

const NUMERIC_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'] as const;

function isPlainObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPrimitive(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Shallow merge used for allOf and for oneOf/anyOf siblings: properties merged, required united. */
function mergeSchemas(a: Schema, b: Schema): Schema {
  const out: Schema = { ...a, ...b };
  if (isPlainObject(a['properties']) && isPlainObject(b['properties'])) {
    out['properties'] = { ...a['properties'], ...b['properties'] };
  }
  if (Array.isArray(a['required']) && Array.isArray(b['required'])) {
    out['required'] = [...new Set([...a['required'], ...b['required']])];
  }
  return out;
}

function inferType(schema: Schema): string | undefined {
  if ('properties' in schema || 'additionalProperties' in schema || 'minProperties' in schema || 'maxProperties' in schema) return 'object';
  if ('items' in schema || 'prefixItems' in schema || 'minItems' in schema || 'maxItems' in schema) return 'array';
  if ('minLength' in schema || 'maxLength' in schema || 'pattern' in schema || 'format' in schema) return 'string';
  if (NUMERIC_KEYWORDS.some((k) => k in schema)) return 'number';
  return undefined;
}

function rewriteRef(ref: string): string | undefined {
  if (ref.startsWith('#/$defs/')) return ref;
  if (ref.startsWith('#/definitions/')) return `#/$defs/${ref.slice('#/definitions/'.length)}`;
  return undefined;
}

/** Integer range -> list of allowed integers, or undefined if unbounded or too wide. */
function integerRange(schema: Schema): number[] | undefined {
  const num = (k: string): number | undefined => (typeof schema[k] === 'number' ? (schema[k] as number) : undefined);
  let lo = num('minimum');
  let hi = num('maximum');
  const exMin = schema['exclusiveMinimum'];
  const exMax = schema['exclusiveMaximum'];
  if (typeof exMin === 'number') lo = lo === undefined ? Math.floor(exMin) + 1 : Math.max(lo, Math.floor(exMin) + 1);
  else if (exMin === true && lo !== undefined) lo = Math.floor(lo) + 1; // draft-04 boolean form
  if (typeof exMax === 'number') hi = hi === undefined ? Math.ceil(exMax) - 1 : Math.min(hi, Math.ceil(exMax) - 1);
  else if (exMax === true && hi !== undefined) hi = Math.ceil(hi) - 1;
  if (lo === undefined || hi === undefined) return undefined;
  lo = Math.ceil(lo);
  hi = Math.floor(hi);
  const step = num('multipleOf');
  if (step !== undefined && (!Number.isInteger(step) || step <= 0)) return undefined;
  if (hi < lo || hi - lo + 1 > MAX_INTEGER_ENUM) return undefined;
  const values: number[] = [];
  for (let v = lo; v <= hi; v++) if (step === undefined || v % step === 0) values.push(v);
  return values.length > 0 ? values : undefined;
}

export interface ConvertedSchema {
  schema: Schema;
  /** Constraint keywords found in the input that the grammar does not enforce. */
  dropped: string[];
}

/** Converts a standard JSON Schema into node-llama-cpp's GbnfJsonSchema dialect (see above). */
export function toGbnfJsonSchema(input: JsonSchema): ConvertedSchema {
  const dropped = new Set<string>();

  const convert = (node: unknown, depth: number): Schema => {
    if (depth > 64) throw new Error('JSON schema is nested too deeply (more than 64 levels)');
    if (node === true || node === undefined) return ANY_JSON;
    if (node === false) return { type: 'null' }; // "nothing is valid" cannot be expressed
    if (!isPlainObject(node)) return ANY_JSON;
    let s: Schema = node;

    // $defs / definitions are kept on the node where they appear.
    let defs: Schema | undefined;
    const rawDefs = { ...(isPlainObject(s['definitions']) ? s['definitions'] : {}), ...(isPlainObject(s['$defs']) ? s['$defs'] : {}) };
    if (Object.keys(rawDefs).length > 0) {
      defs = {};
      for (const [name, def] of Object.entries(rawDefs)) defs[name] = convert(def, depth + 1);
    }
    const withDefs = (out: Schema): Schema => (defs ? { ...out, $defs: { ...(isPlainObject(out['$defs']) ? out['$defs'] : {}), ...defs } } : out);

    if (typeof s['$ref'] === 'string') {
      const ref = rewriteRef(s['$ref']);
      if (ref !== undefined) return withDefs({ $ref: ref });
      dropped.add(`$ref ${s['$ref']}`);
      return withDefs(ANY_JSON);
    }

    if (Array.isArray(s['allOf'])) {
      const { allOf, ...rest } = s;
      s = (allOf as unknown[]).filter(isPlainObject).reduce<Schema>((acc, part) => mergeSchemas(acc, part), rest);
      if (typeof s['$ref'] === 'string') return withDefs(convert(s, depth + 1));
    }

    const alternatives = Array.isArray(s['oneOf']) ? s['oneOf'] : Array.isArray(s['anyOf']) ? s['anyOf'] : undefined;
    if (alternatives) {
      const { oneOf: _o, anyOf: _a, $defs: _d, definitions: _df, ...base } = s;
      const hasBase = Object.keys(base).some((k) => k !== 'description' && k !== 'title');
      const alts = alternatives.map((alt) => (hasBase && isPlainObject(alt) ? convert(mergeSchemas(base, alt), depth + 1) : convert(alt, depth + 1)));
      return withDefs(alts.length === 0 ? ANY_JSON : { oneOf: alts });
    }

    const description = typeof s['description'] === 'string' ? { description: s['description'] } : {};

    if (s['nullable'] === true) {
      const { nullable: _n, ...rest } = s;
      return withDefs({ oneOf: [convert(rest, depth + 1), { type: 'null' }] });
    }

    if ('const' in s) {
      if (isPrimitive(s['const'])) return withDefs({ const: s['const'], ...description });
      dropped.add('const (non-primitive)');
    }
    if (Array.isArray(s['enum'])) {
      const values = s['enum'].filter(isPrimitive);
      if (values.length < s['enum'].length) dropped.add('enum (non-primitive values)');
      if (values.length > 0) return withDefs({ enum: values, ...description });
    }

    let type: unknown = s['type'];
    if (Array.isArray(type)) {
      const types = [...new Set(type.filter((t): t is string => typeof t === 'string' && PRIMITIVE_TYPES.has(t)))];
      if (types.length === 0) type = undefined;
      else if (types.length === 1) type = types[0];
      else return withDefs({ oneOf: types.map((t) => convert({ ...s, type: t, $defs: undefined, definitions: undefined }, depth + 1)) });
    }
    if (typeof type !== 'string' || !PRIMITIVE_TYPES.has(type)) type = inferType(s);
    if (type === undefined) return withDefs(ANY_JSON);

    for (const k of DROPPED_KEYWORDS) if (k in s) dropped.add(k);

    switch (type) {
      case 'object': {
        const out: Schema = { type: 'object', ...description };
        const props = isPlainObject(s['properties']) ? s['properties'] : undefined;
        if (props && Object.keys(props).length > 0) {
          out['properties'] = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, convert(v, depth + 1)]));
        }
        const ap = s['additionalProperties'];
        if (ap === true || ap === false) out['additionalProperties'] = ap;
        else if (isPlainObject(ap)) out['additionalProperties'] = Object.keys(ap).length === 0 ? true : convert(ap, depth + 1);
        else if (out['properties'] === undefined) out['additionalProperties'] = true;
        for (const k of ['minProperties', 'maxProperties']) if (typeof s[k] === 'number') out[k] = s[k];
        return withDefs(out);
      }
      case 'array': {
        const out: Schema = { type: 'array', ...description };
        let prefix: unknown[] | undefined = Array.isArray(s['prefixItems']) ? s['prefixItems'] : undefined;
        let items: unknown = s['items'];
        if (Array.isArray(items)) {
          // draft-04..2019-09 tuple form
          prefix = items;
          items = s['additionalItems'];
        }
        if (prefix && prefix.length > 0) out['prefixItems'] = prefix.map((p) => convert(p, depth + 1));
        if (items === false) out['maxItems'] = prefix?.length ?? 0;
        else if (isPlainObject(items) && Object.keys(items).length > 0) out['items'] = convert(items, depth + 1);
        for (const k of ['minItems', 'maxItems']) if (typeof s[k] === 'number' && out[k] === undefined) out[k] = s[k];
        return withDefs(out);
      }
      case 'string': {
        const format = s['format'];
        if (typeof format === 'string') {
          if (SUPPORTED_FORMATS.has(format)) return withDefs({ type: 'string', format, ...description });
          dropped.add(`format ${format}`);
        }
        const out: Schema = { type: 'string', ...description };
        for (const k of ['minLength', 'maxLength']) if (typeof s[k] === 'number') out[k] = s[k];
        return withDefs(out);
      }
      case 'integer': {
        if (NUMERIC_KEYWORDS.some((k) => k in s)) {
          const values = integerRange(s);
          if (values) return withDefs({ enum: values, ...description });
          for (const k of NUMERIC_KEYWORDS) if (k in s) dropped.add(k);
        }
        return withDefs({ type: 'integer', ...description });
      }
      case 'number':
        for (const k of NUMERIC_KEYWORDS) if (k in s) dropped.add(k);
        return withDefs({ type: 'number', ...description });
      default:
        return withDefs({ type, ...description });
    }
  };

  return { schema: convert(input, 0), dropped: [...dropped].sort() };
}

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/** Cuts the text at the first stop string (OpenAI semantics: the reply never contains one). */
function cutAtStop(text: string, stops: readonly string[]): string {
  let end = text.length;
  for (const stop of stops) {
    const i = text.indexOf(stop);
    if (i >= 0 && i < end) end = i;
  }
  return text.slice(0, end);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Only resource exhaustion inside llama.cpp is worth a retry; everything else is final. */
function classify(error: unknown, what: string): ModelCallError {
  if (error instanceof ModelCallError) return error;
  const message = errorMessage(error);
  const transient =
    (error instanceof Error && error.name === 'InsufficientMemoryError') ||
    /out of memory|failed to allocate|could not find a kv slot|failed to decode|eval failed/i.test(message);
  return new ModelCallError(transient ? 'server' : 'bad-request', `llama-cpp: ${what}: ${message}`, { cause: error });
}

function abortedError(cause?: unknown): ModelCallError {
  return new ModelCallError('aborted', 'llama-cpp: generation aborted', { cause });
}

/** A fixed set of sequences handed out first-come first-served. */
class SequencePool {
  private readonly free: LlamaContextSequence[];
  private readonly waiters: { resolve: (s: LlamaContextSequence) => void; reject: (e: unknown) => void }[] = [];
  private closedError: unknown;

  constructor(sequences: LlamaContextSequence[]) {
    this.free = sequences.slice();
  }

  acquire(signal: AbortSignal): Promise<LlamaContextSequence> {
    if (this.closedError !== undefined) return Promise.reject(this.closedError);
    if (signal.aborted) return Promise.reject(abortedError(signal.reason));
    const seq = this.free.pop();
    if (seq) return Promise.resolve(seq);
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: (s: LlamaContextSequence) => {
          signal.removeEventListener('abort', onAbort);
          resolve(s);
        },
        reject: (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      const onAbort = (): void => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(abortedError(signal.reason));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  release(seq: LlamaContextSequence): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(seq);
    else this.free.push(seq);
  }

  close(error: unknown): void {
    this.closedError = error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }
}

// ---------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------

interface Loaded {
  lib: NodeLlamaCpp;
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
}

class LlamaCppClient implements ModelClient {
  readonly capabilities = capabilities;
  readonly maxParallel: number;

  private readonly pool: SequencePool;
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly disposeController = new AbortController();
  private disposePromise: Promise<void> | undefined;

  constructor(
    private readonly loaded: Loaded,
    private readonly settings: LlamaCppSettings,
    sequences: LlamaContextSequence[],
    private readonly ctx: PluginContext,
  ) {
    this.maxParallel = sequences.length;
    this.pool = new SequencePool(sequences);
  }

  generate(request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
    if (this.disposePromise) return Promise.reject(new ModelCallError('bad-request', 'llama-cpp: the client has been disposed'));
    const run = this.run(request, signal);
    this.inFlight.add(run);
    const forget = (): void => {
      this.inFlight.delete(run);
    };
    run.then(forget, forget);
    return run;
  }

  private async run(request: GenerateRequest, callerSignal: AbortSignal | undefined): Promise<GenerateResult> {
    const signal = callerSignal ? AbortSignal.any([callerSignal, this.disposeController.signal]) : this.disposeController.signal;
    if (signal.aborted) throw abortedError(signal.reason);
    this.validate(request);
    const grammar = request.jsonSchema ? await this.grammarFor(request.jsonSchema) : undefined;

    const sequence = await this.pool.acquire(signal);
    let disposable: { dispose(): void } | undefined;
    try {
      const { lib, model } = this.loaded;
      const contextSize = sequence.contextSize;
      const stops = (request.stop ?? []).filter((s) => s.length > 0);
      const tooLong = (promptTokens: number): ModelCallError =>
        new ModelCallError(
          'bad-request',
          `llama-cpp: prompt has ${promptTokens} tokens; context size is ${contextSize} (at least 1 token must be left for the reply). ` +
            'Shorten the prompt or raise the "contextSize" setting.',
        );
      const sampling = {
        temperature: request.temperature,
        ...(request.topP !== undefined ? { topP: request.topP } : {}),
        ...(request.seed !== undefined ? { seed: request.seed } : {}),
        ...(grammar ? { grammar } : {}),
        ...(stops.length > 0 ? { customStopTriggers: stops } : {}),
        signal,
      };

      let text: string;
      let promptTokens: number;
      if (request.input.kind === 'text') {
        const prompt = request.input.text;
        promptTokens = model.tokenize(prompt, false, model.tokens.shouldPrependBosToken ? 'trimLeadingSpace' : undefined).length;
        if (model.tokens.shouldPrependBosToken && model.tokens.bos != null) promptTokens += 1;
        if (promptTokens + 1 >= contextSize) throw tooLong(promptTokens);
        const completion = new lib.LlamaCompletion({ contextSequence: sequence });
        disposable = completion;
        const result = await completion.generateCompletionWithMeta(prompt, {
          ...sampling,
          maxTokens: Math.min(request.maxTokens, contextSize - promptTokens - 1),
          // Never silently drop the start of the prompt or of the reply: the prompt was
          // checked to fit, and maxTokens is capped to the room left.
          disableContextShift: true,
          contextShiftSize: 1,
        });
        text = result.response;
      } else {
        const { systemPrompt, history, prompt } = splitChat(request.input.messages);
        const session = new lib.LlamaChatSession({
          contextSequence: sequence,
          ...(systemPrompt !== undefined ? { systemPrompt } : {}),
        });
        disposable = session;
        const wrapperHistory = adaptHistory(history, session.chatWrapper.settings.supportsSystemMessages, prompt);
        session.setChatHistory(wrapperHistory.history);
        const rendered = session.chatWrapper.generateContextState({
          chatHistory: [...wrapperHistory.history, { type: 'user', text: wrapperHistory.prompt }, { type: 'model', response: [] }],
        });
        promptTokens = rendered.contextText.tokenize(model.tokenizer).length;
        if (promptTokens + 1 >= contextSize) throw tooLong(promptTokens);
        text = await session.prompt(wrapperHistory.prompt, {
          ...sampling,
          maxTokens: Math.min(request.maxTokens, contextSize - promptTokens - 1),
        });
      }

      if (signal.aborted) throw abortedError(signal.reason);
      text = cutAtStop(text, stops);
      const completionTokens = text.length === 0 ? 0 : model.tokenize(text).length;
      return { texts: [text], usage: { promptTokens, completionTokens } };
    } catch (error) {
      if (signal.aborted) throw abortedError(signal.reason ?? error);
      throw classify(error, 'generation failed');
    } finally {
      try {
        disposable?.dispose();
      } catch (error) {
        this.ctx.log(`llama-cpp: disposing a per-request object failed: ${errorMessage(error)}`);
      }
      await this.returnClean(sequence);
    }
  }

  private validate(request: GenerateRequest): void {
    const bad = (message: string): ModelCallError => new ModelCallError('bad-request', `llama-cpp: ${message}`);
    if (request.n !== 1) throw bad(`n = ${request.n} is not supported (capability multipleSamples is false; the host fans out)`);
    if (!Number.isInteger(request.maxTokens) || request.maxTokens < 1) throw bad(`maxTokens must be a positive integer (got ${request.maxTokens})`);
    if (!Number.isFinite(request.temperature) || request.temperature < 0) throw bad(`temperature must be >= 0 (got ${request.temperature})`);
    if (request.topP !== undefined && !(request.topP > 0 && request.topP <= 1)) throw bad(`topP must be in (0, 1] (got ${request.topP})`);
    if (request.seed !== undefined && !Number.isInteger(request.seed)) throw bad(`seed must be an integer (got ${request.seed})`);
    if (request.input.kind === 'chat') {
      const last = request.input.messages[request.input.messages.length - 1];
      if (!last || last.role !== 'user') throw bad('a chat input must end with a user message');
    }
  }

  private grammarFor(schema: JsonSchema): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema);
    let grammar = this.grammars.get(key);
    if (!grammar) {
      const { schema: converted, dropped } = toGbnfJsonSchema(schema);
      if (dropped.length > 0) this.ctx.log(`llama-cpp: JSON schema keywords not enforced by the grammar: ${dropped.join(', ')}`);
      grammar = this.loaded.llama.createGrammarForJsonSchema<GbnfJsonSchema>(converted as GbnfJsonSchema).catch((error: unknown) => {
        this.grammars.delete(key);
        throw new ModelCallError('bad-request', `llama-cpp: cannot build a grammar for the JSON schema: ${errorMessage(error)}`, { cause: error });
      });
      this.grammars.set(key, grammar);
    }
    return grammar;
  }

  /** Clears the sequence's KV cache and puts it back; replaces it if clearing fails. */
  private async returnClean(sequence: LlamaContextSequence): Promise<void> {
    try {
      await sequence.clearHistory();
      this.pool.release(sequence);
      return;
    } catch (error) {
      if (this.disposePromise) return;
      this.ctx.log(`llama-cpp: clearing a context sequence failed (${errorMessage(error)}); replacing it`);
    }
    try {
      if (!sequence.disposed) sequence.dispose();
      this.pool.release(this.loaded.context.getSequence());
    } catch (error) {
      this.ctx.log(`llama-cpp: could not replace a context sequence: ${errorMessage(error)}`);
      this.pool.close(new ModelCallError('server', `llama-cpp: the context is unusable: ${errorMessage(error)}`, { cause: error }));
    }
  }

  dispose(): Promise<void> {
    this.disposePromise ??= (async () => {
      this.pool.close(new ModelCallError('aborted', 'llama-cpp: the client was disposed'));
      this.disposeController.abort(new Error('llama-cpp client disposed'));
      await Promise.allSettled([...this.inFlight]);
      await Promise.allSettled([...this.grammars.values()]);
      this.grammars.clear(); // LlamaGrammar holds no native handle of its own to free.
      const { llama, model, context } = this.loaded;
      for (const step of [() => context.dispose(), () => model.dispose(), () => llama.dispose()]) {
        try {
          await step();
        } catch (error) {
          this.ctx.log(`llama-cpp: dispose step failed: ${errorMessage(error)}`);
        }
      }
    })();
    return this.disposePromise;
  }
}

/** Splits a chat into the system prompt, earlier turns and the final user prompt. */
function splitChat(messages: readonly ChatMessage[]): { systemPrompt: string | undefined; history: ChatHistoryItem[]; prompt: string } {
  const last = messages[messages.length - 1];
  if (!last) throw new ModelCallError('bad-request', 'llama-cpp: empty chat');
  const history: ChatHistoryItem[] = [];
  let leadingSystem: string[] | undefined = [];
  for (const message of messages.slice(0, -1)) {
    if (message.role === 'system') {
      if (leadingSystem) leadingSystem.push(message.content);
      else history.push({ type: 'system', text: message.content });
      continue;
    }
    if (leadingSystem && leadingSystem.length > 0) history.push({ type: 'system', text: leadingSystem.join('\n\n') });
    leadingSystem = undefined;
    history.push(message.role === 'user' ? { type: 'user', text: message.content } : { type: 'model', response: [message.content] });
  }
  if (leadingSystem && leadingSystem.length > 0) history.push({ type: 'system', text: leadingSystem.join('\n\n') });
  const firstSystem = history[0]?.type === 'system' ? history[0].text : undefined;
  return { systemPrompt: typeof firstSystem === 'string' ? firstSystem : undefined, history, prompt: last.content };
}

/** For chat wrappers without a system role, system text is prepended to the next user turn. */
function adaptHistory(history: ChatHistoryItem[], supportsSystem: boolean, prompt: string): { history: ChatHistoryItem[]; prompt: string } {
  if (supportsSystem) return { history, prompt };
  const out: ChatHistoryItem[] = [];
  let pending: string[] = [];
  for (const item of history) {
    if (item.type === 'system') {
      pending.push(typeof item.text === 'string' ? item.text : item.text.toString());
    } else if (item.type === 'user' && pending.length > 0) {
      out.push({ type: 'user', text: [...pending, item.text].join('\n\n') });
      pending = [];
    } else {
      out.push(item);
    }
  }
  return { history: out, prompt: pending.length > 0 ? [...pending, prompt].join('\n\n') : prompt };
}

// ---------------------------------------------------------------------------------------
// Plugin
// ---------------------------------------------------------------------------------------

async function createClient(rawSettings: Record<string, unknown>, ctx: PluginContext): Promise<ModelClient> {
  const settings = parseSettings(rawSettings, ctx.baseDir);
  const info = await stat(settings.modelPath).catch(() => undefined);
  if (!info?.isFile()) throw new ModelCallError('not-found', `GGUF model file not found: ${settings.modelPath}`);

  const lib: NodeLlamaCpp = await import('node-llama-cpp');
  let llama: Llama | undefined;
  let model: LlamaModel | undefined;
  try {
    llama = await lib.getLlama({
      gpu: settings.gpu ? 'auto' : false,
      build: 'never',
      maxThreads: settings.threads,
      logLevel: lib.LlamaLogLevel.warn,
      logger: (level, message) => {
        const text = message.trim();
        if (text) ctx.log(`llama.cpp ${level}: ${text}`);
      },
    });
    model = await llama.loadModel({ modelPath: settings.modelPath });
    if (model.trainContextSize < settings.contextSize) {
      ctx.log(
        `llama-cpp: contextSize ${settings.contextSize} is larger than the model's training context (${model.trainContextSize}); ` +
          'it works, but replies to prompts past that length may degrade',
      );
    }
    const context = await model.createContext({
      threads: settings.threads,
      sequences: settings.parallel,
      contextSize: settings.contextSize,
    });
    const sequences = Array.from({ length: settings.parallel }, () => context.getSequence());
    return new LlamaCppClient({ lib, llama, model, context }, settings, sequences, ctx);
  } catch (error) {
    await model?.dispose().catch(() => undefined);
    await llama?.dispose().catch(() => undefined);
    throw new ModelCallError('bad-request', `llama-cpp: cannot load ${settings.modelPath}: ${errorMessage(error)}`, { cause: error });
  }
}

const plugin: BackendPlugin = { create: createClient };
export default plugin;
