// Embedded llama.cpp backend (node-llama-cpp): runs a local GGUF model in-process.
//
// One client = one Llama instance + one model + one context with `parallel` sequences.
// Each request borrows the free sequence whose last prompt shares the longest prefix with its
// own, and node-llama-cpp evaluates only the tokens past that shared prefix (as llama.cpp's
// server does with prompt caching). DRPO's meta-prompts share long prefixes (the aspect list
// of every selection, the identical prompt of an optimizer's fanned-out samples), so this
// saves most of the prompt processing. A request that fails leaves its sequence cleared.

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
  type BackendPlugin,
  type Capabilities,
  type ChatMessage,
  cutAtStop,
  type GenerateRequest,
  type GenerateResult,
  type JsonSchema,
  ModelCallError,
  type ModelClient,
  type PluginContext,
} from '../contract.js';
import { ClientLifetime } from '../kit/clientLifetime.js';
import { errorText } from '../kit/errorCauses.js';
import { checkRequest } from '../kit/requestChecks.js';
import { SettingsReader } from '../kit/settings.js';
import { toGbnfJsonSchema } from './jsonSchemaToGbnf.js';
import manifest from './manifest.json' with { type: 'json' };

type NodeLlamaCpp = typeof import('node-llama-cpp');

const capabilities: Capabilities = manifest.capabilities;

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

/** Validates the raw settings and resolves a relative model path against `baseDir`. */
export function parseSettings(settings: Record<string, unknown>, baseDir: string): LlamaCppSettings {
  const read = new SettingsReader('llama-cpp', settings);
  return {
    modelPath: path.resolve(baseDir, read.requiredString('modelPath', 'path to a .gguf model file')),
    threads: read.integer('threads', 1, 1024, DEFAULTS.threads),
    contextSize: read.integer('contextSize', 64, 1 << 24, DEFAULTS.contextSize),
    parallel: read.integer('parallel', 1, 256, DEFAULTS.parallel),
    gpu: read.boolean('gpu', DEFAULTS.gpu),
  };
}

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/** Only resource exhaustion inside llama.cpp is worth a retry; everything else is final. */
function classify(error: unknown, what: string): ModelCallError {
  if (error instanceof ModelCallError) return error;
  const message = errorText(error);
  const transient =
    (error instanceof Error && error.name === 'InsufficientMemoryError') ||
    /out of memory|failed to allocate|could not find a kv slot|failed to decode|eval failed/i.test(message);
  return new ModelCallError(transient ? 'server' : 'bad-request', `llama-cpp: ${what}: ${message}`, { cause: error });
}

function abortedError(cause?: unknown): ModelCallError {
  return new ModelCallError('aborted', 'llama-cpp: generation aborted', { cause });
}

/** Length of the common prefix of two strings. */
function sharedPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/**
 * A fixed set of sequences. Waiters are served first-come first-served; a free sequence goes to
 * the request whose prompt best matches what the sequence last evaluated.
 */
class SequencePool {
  private readonly free: { sequence: LlamaContextSequence; lastPrompt: string }[];
  private readonly waiters: { resolve: (s: LlamaContextSequence) => void; reject: (e: unknown) => void }[] = [];
  private closedError: unknown;

  constructor(sequences: LlamaContextSequence[]) {
    this.free = sequences.map((sequence) => ({ sequence, lastPrompt: '' }));
  }

  acquire(signal: AbortSignal, prompt: string): Promise<LlamaContextSequence> {
    if (this.closedError !== undefined) return Promise.reject(this.closedError);
    if (signal.aborted) return Promise.reject(abortedError(signal.reason));
    if (this.free.length > 0) {
      let best = 0;
      for (let i = 1; i < this.free.length; i++) {
        if (sharedPrefix(this.free[i]!.lastPrompt, prompt) > sharedPrefix(this.free[best]!.lastPrompt, prompt))
          best = i;
      }
      return Promise.resolve(this.free.splice(best, 1)[0]!.sequence);
    }
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

  /** @param lastPrompt what the sequence's KV cache now holds ('' once cleared) */
  release(sequence: LlamaContextSequence, lastPrompt: string): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(sequence);
    else this.free.push({ sequence, lastPrompt });
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
  private readonly lifetime = new ClientLifetime('llama-cpp');

  constructor(
    private readonly loaded: Loaded,
    sequences: LlamaContextSequence[],
    private readonly ctx: PluginContext,
  ) {
    this.maxParallel = sequences.length;
    this.pool = new SequencePool(sequences);
  }

  generate(request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
    return this.lifetime.track(() => this.run(request, signal));
  }

  private async run(request: GenerateRequest, callerSignal: AbortSignal | undefined): Promise<GenerateResult> {
    const signal = callerSignal ? AbortSignal.any([callerSignal, this.lifetime.signal]) : this.lifetime.signal;
    if (signal.aborted) throw abortedError(signal.reason);
    this.validate(request);
    const grammar = request.jsonSchema ? await this.grammarFor(request.jsonSchema) : undefined;

    const promptKey = request.input.kind === 'text' ? request.input.text : JSON.stringify(request.input.messages);
    const sequence = await this.pool.acquire(signal, promptKey);
    let disposable: { dispose(): void } | undefined;
    let succeeded = false;
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
        ...(request.onText ? { onTextChunk: request.onText } : {}),
        signal,
      };

      let text: string;
      let promptTokens: number;
      if (request.input.kind === 'text') {
        const prompt = request.input.text;
        promptTokens = model.tokenize(
          prompt,
          false,
          model.tokens.shouldPrependBosToken ? 'trimLeadingSpace' : undefined,
        ).length;
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
          chatHistory: [
            ...wrapperHistory.history,
            { type: 'user', text: wrapperHistory.prompt },
            { type: 'model', response: [] },
          ],
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
      succeeded = true;
      return { texts: [text], usage: { promptTokens, completionTokens } };
    } catch (error) {
      if (signal.aborted) throw abortedError(signal.reason ?? error);
      throw classify(error, 'generation failed');
    } finally {
      try {
        disposable?.dispose();
      } catch (error) {
        this.ctx.log(`llama-cpp: disposing a per-request object failed: ${errorText(error)}`);
      }
      if (succeeded) this.pool.release(sequence, promptKey);
      else await this.returnClean(sequence);
    }
  }

  private validate(request: GenerateRequest): void {
    checkRequest(request, 'llama-cpp', capabilities);
    const last = request.input.kind === 'chat' ? request.input.messages.at(-1) : undefined;
    if (last && last.role !== 'user')
      throw new ModelCallError('bad-request', 'llama-cpp: a chat input must end with a user message');
  }

  private grammarFor(schema: JsonSchema): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema);
    let grammar = this.grammars.get(key);
    if (!grammar) {
      const { schema: converted, dropped } = toGbnfJsonSchema(schema);
      if (dropped.length > 0)
        this.ctx.log(`llama-cpp: JSON schema keywords not enforced by the grammar: ${dropped.join(', ')}`);
      grammar = this.loaded.llama
        .createGrammarForJsonSchema<GbnfJsonSchema>(converted as GbnfJsonSchema)
        .catch((error: unknown) => {
          this.grammars.delete(key);
          throw new ModelCallError(
            'bad-request',
            `llama-cpp: cannot build a grammar for the JSON schema: ${errorText(error)}`,
            { cause: error },
          );
        });
      this.grammars.set(key, grammar);
    }
    return grammar;
  }

  /** After a failure: clears the sequence's KV cache and puts it back; replaces it if clearing fails. */
  private async returnClean(sequence: LlamaContextSequence): Promise<void> {
    try {
      await sequence.clearHistory();
      this.pool.release(sequence, '');
      return;
    } catch (error) {
      if (this.lifetime.disposed) return;
      this.ctx.log(`llama-cpp: clearing a context sequence failed (${errorText(error)}); replacing it`);
    }
    try {
      if (!sequence.disposed) sequence.dispose();
      this.pool.release(this.loaded.context.getSequence(), '');
    } catch (error) {
      this.ctx.log(`llama-cpp: could not replace a context sequence: ${errorText(error)}`);
      this.pool.close(
        new ModelCallError('server', `llama-cpp: the context is unusable: ${errorText(error)}`, { cause: error }),
      );
    }
  }

  dispose(): Promise<void> {
    // Requests still waiting for a sequence fail as disposed, not as aborted by the caller.
    if (!this.lifetime.disposed) this.pool.close(new ModelCallError('aborted', 'llama-cpp: the client was disposed'));
    return this.lifetime.dispose(async () => {
      await Promise.allSettled([...this.grammars.values()]);
      this.grammars.clear(); // LlamaGrammar holds no native handle of its own to free.
      const { llama, model, context } = this.loaded;
      for (const step of [() => context.dispose(), () => model.dispose(), () => llama.dispose()]) {
        try {
          await step();
        } catch (error) {
          this.ctx.log(`llama-cpp: dispose step failed: ${errorText(error)}`);
        }
      }
    });
  }
}

/** Splits a chat into the system prompt, earlier turns and the final user prompt. */
function splitChat(messages: readonly ChatMessage[]): {
  systemPrompt: string | undefined;
  history: ChatHistoryItem[];
  prompt: string;
} {
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
    history.push(
      message.role === 'user'
        ? { type: 'user', text: message.content }
        : { type: 'model', response: [message.content] },
    );
  }
  if (leadingSystem && leadingSystem.length > 0) history.push({ type: 'system', text: leadingSystem.join('\n\n') });
  const firstSystem = history[0]?.type === 'system' ? history[0].text : undefined;
  return { systemPrompt: typeof firstSystem === 'string' ? firstSystem : undefined, history, prompt: last.content };
}

/** For chat wrappers without a system role, system text is prepended to the next user turn. */
function adaptHistory(
  history: ChatHistoryItem[],
  supportsSystem: boolean,
  prompt: string,
): { history: ChatHistoryItem[]; prompt: string } {
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
    return new LlamaCppClient({ lib, llama, model, context }, sequences, ctx);
  } catch (error) {
    await model?.dispose().catch(() => undefined);
    await llama?.dispose().catch(() => undefined);
    throw new ModelCallError('bad-request', `llama-cpp: cannot load ${settings.modelPath}: ${errorText(error)}`, {
      cause: error,
    });
  }
}

const plugin: BackendPlugin = { create: createClient };
export default plugin;
