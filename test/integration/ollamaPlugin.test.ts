// The ollama plugin end to end: the real `ollama` npm client does real HTTP against a fake
// Ollama server (test/support/fakeOllamaServer.ts) whose text comes from the real embedded
// model (llama-cpp plugin, stories260K). Replies are compared with what the llama-cpp client
// itself returns for the same input at temperature 0, which proves the text crossed the wire.
import path from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { GenerateRequest, ModelClient, PluginContext } from '../../src/plugins/contract.js';
import plugin, { parseSettings } from '../../src/plugins/ollama/index.js';
import manifest from '../../src/plugins/ollama/manifest.json' with { type: 'json' };
import { FakeOllamaServer, NON_JSON_PROSE } from '../support/fakeOllamaServer.js';
import { closedPort, errorOf } from '../support/pluginTestKit.js';

const MODEL_PATH = path.resolve(import.meta.dirname, '../../../shared/models/stories260K/stories260K.gguf');
const MODEL = 'stories260k'; // the server knows it as stories260k:latest, as Ollama tags bare names

const logs: string[] = [];
const ctx: PluginContext = { baseDir: import.meta.dirname, log: (m) => logs.push(m) };

const SYSTEM_AND_TURNS = [
  { role: 'system' as const, content: 'You tell short stories about animals.' },
  { role: 'user' as const, content: 'Tell me about a cat.' },
  { role: 'assistant' as const, content: 'The cat was big and soft.' },
  { role: 'user' as const, content: 'What did the cat do next?' },
];

const SCHEMA = {
  type: 'object',
  properties: { name: { type: 'string' }, score: { type: 'integer', enum: [1, 2, 3, 4, 5] } },
  required: ['name', 'score'],
};

function request(overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return { input: { kind: 'text', text: 'Once upon a time' }, temperature: 0, maxTokens: 30, n: 1, ...overrides };
}

describe('ollama plugin (real ollama client, fake server backed by stories260K)', () => {
  let llama: ModelClient;
  let server: FakeOllamaServer;
  let client: ModelClient;
  const extraClients: ModelClient[] = [];

  async function makeClient(settings: Record<string, unknown> = {}): Promise<ModelClient> {
    const c = await plugin.create({ host: server.url, model: MODEL, ...settings }, ctx);
    extraClients.push(c);
    return c;
  }

  beforeAll(async () => {
    const llamaPlugin = (await import('../../src/plugins/llama-cpp/index.js')).default;
    llama = await llamaPlugin.create({ modelPath: MODEL_PATH, threads: 1, contextSize: 4096, parallel: 2 }, ctx);
    server = await FakeOllamaServer.start(llama, {
      models: [
        { name: 'stories260k:latest', contextLength: 2048 },
        { name: 'nomic-embed-text:latest', contextLength: 8192, family: 'nomic-bert' },
      ],
    });
    client = await plugin.create({ host: server.url, model: MODEL }, ctx);
  });

  afterAll(async () => {
    await Promise.allSettled(extraClients.map((c) => c.dispose()));
    await client?.dispose();
    await server?.close();
    await llama?.dispose();
  });

  beforeEach(() => {
    server.reset();
  });

  // ---------------------------------------------------------------------------------------
  // Shape
  // ---------------------------------------------------------------------------------------

  it('has a manifest matching the contract, and numParallel becomes maxParallel', async () => {
    expect(manifest.id).toBe('ollama');
    expect(manifest.apiVersion).toBe(1);
    expect(client.capabilities).toEqual(manifest.capabilities);
    expect(manifest.capabilities).toEqual({
      chat: true,
      completion: true,
      multipleSamples: false,
      jsonSchema: true,
      seed: true,
      embeddings: true,
      listModels: true,
    });
    expect(manifest.settings.map((s) => s.key)).toEqual([
      'host',
      'apiKey',
      'model',
      'keepAlive',
      'numCtx',
      'numParallel',
      'requestTimeoutMs',
    ]);
    expect(client.maxParallel).toBe(1);
    expect((await makeClient({ numParallel: 3 })).maxParallel).toBe(3);
    expect((await makeClient({ numParallel: '2' })).maxParallel).toBe(2);
    // Creating a client contacts nothing (the server may start later).
    expect(server.requests).toHaveLength(0);
  });

  it('validates its settings', async () => {
    await expect(plugin.create({ host: server.url }, ctx)).rejects.toThrow(/"model" is required/);
    await expect(plugin.create({ model: MODEL, numParallel: 0 }, ctx)).rejects.toThrow(/numParallel/);
    expect(parseSettings({ model: 'm' })).toEqual({
      host: 'http://127.0.0.1:11434',
      apiKey: undefined,
      model: 'm',
      keepAlive: undefined,
      numCtx: undefined,
      numParallel: 1,
      requestTimeoutMs: 300_000,
    });
    expect(parseSettings({ model: 'm', keepAlive: '-1' }).keepAlive).toBe(-1);
    expect(parseSettings({ model: 'm', keepAlive: '10m' }).keepAlive).toBe('10m');
  });

  // ---------------------------------------------------------------------------------------
  // Generation through the wire
  // ---------------------------------------------------------------------------------------

  it('chats (system + turns) and returns exactly the model’s text', async () => {
    const messages = SYSTEM_AND_TURNS;
    const direct = await llama.generate(request({ input: { kind: 'chat', messages } }));
    const viaOllama = await client.generate(request({ input: { kind: 'chat', messages } }));
    expect(direct.texts[0]!.length).toBeGreaterThan(0);
    expect(viaOllama.texts).toEqual(direct.texts);

    expect(server.requests).toHaveLength(1);
    const sent = server.requests[0]!;
    expect(sent.path).toBe('/api/chat');
    expect(sent.body).toMatchObject({
      model: MODEL,
      stream: true,
      messages,
      options: { temperature: 0, num_predict: 30 },
    });
    expect(sent.headers['user-agent']).toMatch(/^ollama-js\//);
  });

  it('completes raw text through /api/generate with raw: true', async () => {
    const input = { kind: 'text' as const, text: 'Once upon a time there was a little dog' };
    const direct = await llama.generate(request({ input }));
    const viaOllama = await client.generate(request({ input }));
    expect(direct.texts[0]!.length).toBeGreaterThan(0);
    expect(viaOllama.texts).toEqual(direct.texts);
    expect(server.requests[0]!.path).toBe('/api/generate');
    expect(server.requests[0]!.body).toMatchObject({ model: MODEL, prompt: input.text, raw: true, stream: true });
  });

  it('stops at a stop string', async () => {
    const full = (await llama.generate(request({ maxTokens: 30 }))).texts[0]!;
    const words = full.trim().split(/\s+/);
    expect(words.length).toBeGreaterThan(4);
    const stop = ` ${words[3]!}`;
    const viaOllama = await client.generate(request({ stop: [stop] }));
    const direct = await llama.generate(request({ stop: [stop] }));
    expect(viaOllama.texts).toEqual(direct.texts);
    expect(viaOllama.texts[0]).toBe(full.slice(0, full.indexOf(stop)));
    expect(viaOllama.texts[0]).not.toContain(stop);
    expect(server.requests[0]!.body).toMatchObject({ options: { stop: [stop] } });
  });

  it('streams: onText chunks concatenate to the final text, and the server was asked to stream', async () => {
    const chunks: string[] = [];
    const result = await client.generate(request({ onText: (c) => chunks.push(c) }));
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(result.texts[0]);
    expect((server.requests[0]!.body as { stream?: unknown }).stream).toBe(true);

    // An onText that throws ends the request and its error comes back untouched.
    const boom = new Error('consumer failed');
    await expect(
      client.generate(
        request({
          onText: () => {
            throw boom;
          },
        }),
      ),
    ).rejects.toBe(boom);
  });

  it('constrains the reply to a JSON schema with `format`', async () => {
    const input = { kind: 'chat' as const, messages: [{ role: 'user' as const, content: 'Rate the story.' }] };
    const result = await client.generate(request({ input, jsonSchema: SCHEMA, maxTokens: 60 }));
    const parsed = JSON.parse(result.texts[0]!) as Record<string, unknown>;
    expect(typeof parsed.name).toBe('string');
    expect([1, 2, 3, 4, 5]).toContain(parsed.score);
    expect(server.requests[0]!.body).toMatchObject({ format: SCHEMA });
    const direct = await llama.generate(request({ input, jsonSchema: SCHEMA, maxTokens: 60 }));
    expect(result.texts).toEqual(direct.texts);
  });

  it('reports token usage from prompt_eval_count / eval_count', async () => {
    const direct = await llama.generate(request());
    const result = await client.generate(request());
    expect(result.usage.promptTokens).toBeGreaterThan(0);
    expect(result.usage.completionTokens).toBeGreaterThan(0);
    expect(result.usage).toEqual(direct.usage);
  });

  it('forwards seed, topP, numCtx and keepAlive', async () => {
    const c = await makeClient({ numCtx: 1024, keepAlive: '10m' });
    await c.generate(request({ temperature: 0.7, topP: 0.9, seed: 42, maxTokens: 8 }));
    expect(server.requests[0]!.body).toMatchObject({
      keep_alive: '10m',
      options: { temperature: 0.7, top_p: 0.9, seed: 42, num_predict: 8, num_ctx: 1024 },
    });
    // Same seed, same text (the seed reaches the sampler).
    const a = await c.generate(request({ temperature: 0.9, seed: 7, maxTokens: 20 }));
    const b = await c.generate(request({ temperature: 0.9, seed: 7, maxTokens: 20 }));
    expect(a.texts).toEqual(b.texts);
  });

  it('lists models with their context length', async () => {
    const models = await client.listModels!();
    expect(models).toEqual([
      { id: 'stories260k:latest', contextLength: 2048 },
      { id: 'nomic-embed-text:latest', contextLength: 8192 },
    ]);
    expect(server.requests.map((r) => r.path)).toEqual(['/api/tags', '/api/show', '/api/show']);
    // With num_ctx set, that is what the server accepts.
    const small = await makeClient({ numCtx: 1024 });
    expect((await small.listModels!())[0]).toEqual({ id: 'stories260k:latest', contextLength: 1024 });
  });

  it('embeds texts', async () => {
    const e = await makeClient({ model: 'nomic-embed-text' });
    const vectors = await e.embed!(['the cat sat', 'a dog ran', 'the cat sat']);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(64);
    }
    expect(Array.from(vectors[0]!)).toEqual(Array.from(vectors[2]!));
    expect(Array.from(vectors[0]!)).not.toEqual(Array.from(vectors[1]!));
    expect(server.requests[0]!.body).toMatchObject({
      model: 'nomic-embed-text',
      input: ['the cat sat', 'a dog ran', 'the cat sat'],
    });
    expect(await e.embed!([])).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  // ---------------------------------------------------------------------------------------
  // Failures
  // ---------------------------------------------------------------------------------------

  it('connection refused: tells the user to start Ollama', async () => {
    const host = `http://127.0.0.1:${await closedPort()}`;
    const c = await plugin.create({ host, model: MODEL }, ctx);
    extraClients.push(c);
    for (const call of [c.generate(request()), c.listModels!(), c.embed!(['x'])]) {
      const error = await errorOf(call);
      expect(error.kind).toBe('connection');
      expect(error.retriable).toBe(true);
      expect(error.message).toBe(
        `Ollama is not running at ${host} (connection refused). Start it with \`ollama serve\`, or check the address.`,
      );
    }
  });

  it('times out after requestTimeoutMs, for generation and for non-streamed calls', async () => {
    const c = await makeClient({ requestTimeoutMs: 250 });
    server.fail({ delayMs: 3000 }, { delayMs: 3000 });
    const started = Date.now();
    const error = await errorOf(c.generate(request()));
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/requestTimeoutMs/);
    const listError = await errorOf(c.listModels!());
    expect(listError.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('401 and 403 are auth errors (final)', async () => {
    server.fail({ status: 401 }, { status: 403, error: 'forbidden by proxy' });
    const e401 = await errorOf(client.generate(request()));
    expect(e401.kind).toBe('auth');
    expect(e401.retriable).toBe(false);
    expect(e401.message).toContain('401');
    const e403 = await errorOf(client.generate(request()));
    expect(e403.kind).toBe('auth');
    expect(e403.message).toContain('forbidden by proxy');
  });

  it('404 for a model that is not pulled says how to pull it', async () => {
    const c = await makeClient({ model: 'llama9:70b' });
    const error = await errorOf(c.generate(request()));
    expect(error.kind).toBe('not-found');
    expect(error.message).toBe(
      `The model "llama9:70b" is not pulled on the Ollama at ${server.url}. Pull it with \`ollama pull llama9:70b\`.`,
    );
    const chatError = await errorOf(
      c.generate(request({ input: { kind: 'chat', messages: [{ role: 'user', content: 'hi' }] } })),
    );
    expect(chatError.kind).toBe('not-found');
    const embedError = await errorOf(c.embed!(['hi']));
    expect(embedError.kind).toBe('not-found');
    expect(embedError.message).toContain('ollama pull llama9:70b');
  });

  it('429 is a rate limit and carries Retry-After', async () => {
    server.fail({ status: 429, retryAfter: 1 });
    const error = await errorOf(client.generate(request()));
    expect(error.kind).toBe('rate-limit');
    expect(error.retriable).toBe(true);
    expect(error.retryAfterMs).toBe(1000);
    // The HTTP-date form (RFC 9110): the wait runs until then; whole seconds, so at most 60 s.
    server.fail({ status: 429, retryAfter: new Date(Date.now() + 60_000).toUTCString() });
    const dated = await errorOf(client.generate(request()));
    expect(dated.retryAfterMs).toBeGreaterThan(50_000);
    expect(dated.retryAfterMs).toBeLessThanOrEqual(60_000);
    server.fail({ status: 429 });
    const without = await errorOf(client.generate(request()));
    expect(without.kind).toBe('rate-limit');
    expect(without.retryAfterMs).toBeUndefined();
  });

  it('5xx is a server error (retriable); 503, a full queue, is overload (waited out, as a 429)', async () => {
    server.fail({ status: 500 }, { status: 503, path: '/api/tags' });
    const error = await errorOf(client.generate(request()));
    expect(error.kind).toBe('server');
    expect(error.retriable).toBe(true);
    expect(error.overload).toBe(false);
    expect(error.message).toContain('llama runner process has terminated');
    const busy = await errorOf(client.listModels!());
    expect(busy.kind).toBe('overloaded');
    expect(busy.overload).toBe(true);
    expect(busy.message).toMatch(/is busy \(503/);
  });

  it('a stream cut in the middle is a connection error', async () => {
    server.fail({ cutAfterChunks: 2 });
    const chunks: string[] = [];
    const error = await errorOf(client.generate(request({ onText: (c) => chunks.push(c) })));
    expect(error.kind).toBe('connection');
    expect(error.message).toMatch(/the stream was cut/);
    expect(chunks).toHaveLength(2);

    server.fail({ endWithoutDone: true });
    const noDone = await errorOf(client.generate(request()));
    expect(noDone.kind).toBe('connection');
    expect(noDone.message).toMatch(/the stream was cut/);
  });

  it('returns a non-JSON reply as is when JSON was asked (validation is the host’s job)', async () => {
    server.fail({ nonJson: true });
    const result = await client.generate(request({ jsonSchema: SCHEMA }));
    expect(result.texts).toEqual([NON_JSON_PROSE]);
    expect(() => JSON.parse(result.texts[0]!)).toThrow();
  });

  it('abort mid-stream gives "aborted" and leaves concurrent requests alone', async () => {
    const c = await makeClient({ numParallel: 2 });
    server.fail({ chunkDelayMs: 40 }, { chunkDelayMs: 40 });
    const expected = await llama.generate(request());
    const controller = new AbortController();
    let abortedAfter = 0;
    const victim = c.generate(
      request({
        onText: () => {
          abortedAfter++;
          controller.abort();
        },
      }),
      controller.signal,
    );
    const bystanderChunks: string[] = [];
    const bystander = c.generate(request({ onText: (t) => bystanderChunks.push(t) }));
    const error = await errorOf(victim);
    expect(error.kind).toBe('aborted');
    expect(abortedAfter).toBe(1);
    const other = await bystander;
    expect(other.texts).toEqual(expected.texts);
    expect(bystanderChunks.join('')).toBe(expected.texts[0]);
    expect(server.maxInFlight).toBe(2);
    await expect.poll(() => server.requests.filter((r) => r.clientClosed).length).toBe(1);

    // Already aborted: nothing is sent.
    server.reset();
    const error2 = await errorOf(c.generate(request(), AbortSignal.abort()));
    expect(error2.kind).toBe('aborted');
    expect(server.requests).toHaveLength(0);
  });

  it('dispose aborts in-flight requests and is idempotent', async () => {
    const c = await plugin.create({ host: server.url, model: MODEL }, ctx);
    server.fail({ delayMs: 5000 });
    const pending = c.generate(request());
    await expect.poll(() => server.requests.length).toBe(1);
    const d1 = c.dispose();
    const d2 = c.dispose();
    expect(d2).toBe(d1);
    const error = await errorOf(pending);
    expect(error.kind).toBe('aborted');
    await d1;
    await c.dispose();
    expect((await errorOf(c.generate(request()))).kind).toBe('bad-request');
  });
});
