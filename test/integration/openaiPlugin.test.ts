// The openai plugin with the real `openai` client, over HTTP, against a fake OpenAI server whose
// text comes from a real model (stories260K through the embedded llama-cpp plugin): what the
// plugin returns must be what the model wrote, whatever quirks or faults the server shows.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { GenerateRequest, ModelClient, PluginContext } from '../../src/plugins/contract.js';
import plugin from '../../src/plugins/openai/index.js';
import manifest from '../../src/plugins/openai/manifest.json' with { type: 'json' };
import { FakeOpenAIServer, type FakeServerOptions } from '../support/fakeOpenAIServer.js';
import { closedPort, createTinyModel, errorOf, SCORE_SCHEMA as SCHEMA } from '../support/pluginTestKit.js';

const logs: string[] = [];
const ctx: PluginContext = { baseDir: import.meta.dirname, log: (m) => logs.push(m) };

let llama: ModelClient;
const servers: FakeOpenAIServer[] = [];
const clients: ModelClient[] = [];

async function startServer(options: FakeServerOptions = {}): Promise<FakeOpenAIServer> {
  const server = await FakeOpenAIServer.start(llama, options);
  servers.push(server);
  return server;
}

async function clientFor(server: { baseURL: string }, settings: Record<string, unknown> = {}): Promise<ModelClient> {
  const client = await plugin.create({ baseURL: server.baseURL, model: 'stories260K', ...settings }, ctx);
  clients.push(client);
  return client;
}

function request(overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    input: { kind: 'chat', messages: [{ role: 'user', content: 'Tell me a story about a cat.' }] },
    temperature: 0,
    maxTokens: 30,
    n: 1,
    ...overrides,
  };
}

/** What the model itself answers to the same request (one sample). */
async function direct(overrides: Partial<GenerateRequest> = {}) {
  return llama.generate({ ...request(overrides), n: 1 });
}

describe('openai plugin against a fake OpenAI server backed by stories260K', () => {
  let server: FakeOpenAIServer;

  beforeAll(async () => {
    llama = await createTinyModel();
    server = await startServer();
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await llama?.dispose();
  });

  it('has a manifest matching the contract', async () => {
    const client = await clientFor(server);
    expect(manifest.id).toBe('openai');
    expect(manifest.apiVersion).toBe(1);
    expect(client.capabilities).toEqual(manifest.capabilities);
    expect(manifest.settings.map((s) => s.key)).toEqual([
      'baseURL',
      'apiKey',
      'model',
      'mode',
      'maxParallel',
      'requestTimeoutMs',
      'organization',
      'embeddingModel',
      'jsonField',
    ]);
    expect(manifest.settings.find((s) => s.key === 'apiKey')!.type).toBe('secret');
    expect(client.maxParallel).toBeUndefined();
    expect((await clientFor(server, { maxParallel: 6 })).maxParallel).toBe(6);
    await expect(plugin.create({ baseURL: server.baseURL }, ctx)).rejects.toThrow(/"model" is required/);
    await expect(plugin.create({ model: 'x', mode: 'edit' }, ctx)).rejects.toThrow(/"mode"/);
    await expect(plugin.create({ model: 'x', baseURL: 'not a url' }, ctx)).rejects.toThrow(/"baseURL"/);
  });

  it("chats: the text is the model's, streamed piece by piece, with the server's usage", async () => {
    const client = await clientFor(server);
    const expected = await direct();
    const pieces: string[] = [];
    const before = server.requests.length;
    const result = await client.generate(request({ onText: (t) => pieces.push(t) }));
    expect(result.texts).toEqual(expected.texts);
    expect(result.texts[0]!.length).toBeGreaterThan(0);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(result.texts[0]);
    expect(result.usage).toEqual(expected.usage);
    const sent = server.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.path).toBe('/v1/chat/completions');
    expect(sent[0]!.body).toMatchObject({
      model: 'stories260K',
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 30,
      temperature: 0,
    });
    expect(sent[0]!.body!.n).toBeUndefined();
    expect(sent[0]!.headers.authorization).toBeUndefined(); // no key configured: no header at all
  });

  it('sends a raw text prompt as one user message in chat mode', async () => {
    const client = await clientFor(server);
    const text = 'Once upon a time';
    const expected = await direct({ input: { kind: 'chat', messages: [{ role: 'user', content: text }] } });
    const result = await client.generate(request({ input: { kind: 'text', text } }));
    expect(result.texts).toEqual(expected.texts);
    expect(server.requests.at(-1)!.body!.messages).toEqual([{ role: 'user', content: text }]);
  });

  it('completes raw text in completion mode, with stop strings', async () => {
    const client = await clientFor(server, { mode: 'completion' });
    const input = { kind: 'text' as const, text: 'Once upon a time there was a little dog' };
    const expected = await direct({ input });
    const result = await client.generate(request({ input }));
    expect(result.texts).toEqual(expected.texts);
    expect(server.requests.at(-1)!.path).toBe('/v1/completions');
    expect(server.requests.at(-1)!.body).toMatchObject({ prompt: input.text, stream: true });

    const stopped = await client.generate(request({ input, maxTokens: 60, stop: ['.'] }));
    expect(stopped.texts).toEqual((await direct({ input, maxTokens: 60, stop: ['.'] })).texts);
    expect(stopped.texts[0]).not.toContain('.');
    expect(server.requests.at(-1)!.body!.stop).toEqual(['.']);
  });

  it('renders a chat as a transcript in completion mode', async () => {
    const client = await clientFor(server, { mode: 'completion' });
    const result = await client.generate(
      request({
        input: {
          kind: 'chat',
          messages: [
            { role: 'system', content: 'Be kind.' },
            { role: 'user', content: 'Hi there' },
          ],
        },
      }),
    );
    const body = server.requests.at(-1)!.body!;
    expect(body.prompt).toBe('Be kind.\n\nUser: Hi there\n\nAssistant:');
    expect(body.stop).toEqual(['\nUser:']);
    expect(result.texts[0]).not.toContain('\nUser:');
  });

  it('asks for n = 3 in one request, with the seeds the model would get one by one', async () => {
    const client = await clientFor(server);
    const before = server.requests.length;
    const result = await client.generate(request({ n: 3, temperature: 0.9, seed: 11 }));
    const expected = await Promise.all([11, 12, 13].map((seed) => direct({ temperature: 0.9, seed })));
    expect(result.texts).toEqual(expected.map((e) => e.texts[0]));
    expect(new Set(result.texts).size).toBeGreaterThan(1);
    const sent = server.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toMatchObject({ n: 3, seed: 11 });
  });

  it('asks once more with n = 1 when the server rejects n > 1, returns the one text, and remembers', async () => {
    const picky = await startServer({ quirks: { rejectN: true } });
    const client = await clientFor(picky);
    const result = await client.generate(request({ n: 3, temperature: 0.9, seed: 11 }));
    expect(result.texts).toEqual((await direct({ temperature: 0.9, seed: 11 })).texts);
    expect(result.requests).toBe(2);
    expect(picky.requests.map((r) => r.body!.n)).toEqual([3, undefined]);
    expect(client.capabilities.multipleSamples).toBe(false);

    const again = await client.generate(request({ n: 2, temperature: 0.9, seed: 11 }));
    expect(again.texts).toEqual(result.texts);
    expect(again.requests).toBe(1);
    expect(picky.requests.map((r) => r.body!.n)).toEqual([3, undefined, undefined]); // no second try with n
    expect(logs.some((l) => l.includes('n > 1 not supported'))).toBe(true);
  });

  it('falls back to n = 1 when the server answers 500 where OpenAI answers 400', async () => {
    const picky = await startServer({ quirks: { rejectN: true, status500For400: true } });
    const client = await clientFor(picky);
    const result = await client.generate(request({ n: 2, temperature: 0.9, seed: 4 }));
    expect(result.texts).toEqual((await direct({ temperature: 0.9, seed: 4 })).texts);
    expect(result.requests).toBe(2);
  });

  it('returns the choices a server that ignores n answered, and sends n = 1 from then on', async () => {
    const deaf = await startServer({ quirks: { ignoreN: true } });
    const client = await clientFor(deaf);
    const result = await client.generate(request({ n: 3, temperature: 0.9, seed: 21 }));
    const expected = await direct({ temperature: 0.9, seed: 21 });
    expect(result.texts).toEqual(expected.texts);
    expect(result.usage).toEqual(expected.usage);
    expect(result.requests).toBe(1);
    await client.generate(request({ n: 3, temperature: 0.9, seed: 21 }));
    expect(deaf.requests.map((r) => r.body!.n)).toEqual([3, undefined]);
  });

  it('switches to max_completion_tokens when the server asks for it', async () => {
    const reasoning = await startServer({ quirks: { requireMaxCompletionTokens: true } });
    const client = await clientFor(reasoning);
    expect((await client.generate(request())).texts).toEqual((await direct()).texts);
    await client.generate(request());
    expect(reasoning.requests.map((r) => [r.body!.max_tokens, r.body!.max_completion_tokens])).toEqual([
      [30, undefined],
      [undefined, 30],
      [undefined, 30],
    ]);
  });

  it("asks for a JSON schema and gets the model's schema-constrained JSON", async () => {
    const client = await clientFor(server);
    const input = { kind: 'chat' as const, messages: [{ role: 'user' as const, content: 'Rate the answer.' }] };
    const result = await client.generate(request({ input, jsonSchema: SCHEMA, maxTokens: 120 }));
    expect(result.texts).toEqual((await direct({ input, jsonSchema: SCHEMA, maxTokens: 120 })).texts);
    const parsed = JSON.parse(result.texts[0]!) as { score: unknown; rationale: unknown };
    expect([1, 2, 3, 4, 5]).toContain(parsed.score);
    expect(server.requests.at(-1)!.body!.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'reply', schema: SCHEMA, strict: false },
    });
    expect(server.requests.at(-1)!.body!.guided_json).toBeUndefined();
  });

  it('returns free text from a server that ignores response_format, and prose where JSON was asked', async () => {
    const careless = await startServer({ quirks: { ignoreResponseFormat: true } });
    const client = await clientFor(careless);
    const result = await client.generate(request({ jsonSchema: SCHEMA }));
    expect(result.texts).toEqual((await direct()).texts);
    expect(careless.requests.at(-1)!.body!.response_format).toBeDefined();

    server.fail({ nonJson: true });
    const prose = await (await clientFor(server)).generate(request({ jsonSchema: SCHEMA }));
    expect(prose.texts[0]).toMatch(/^I think the answer/);
    expect(() => JSON.parse(prose.texts[0]!)).toThrow();
  });

  it('copes with a missing role chunk and with usage only in the last chunk', async () => {
    const expected = await direct();
    const noRole = await clientFor(await startServer({ quirks: { omitRoleChunk: true } }));
    expect((await noRole.generate(request())).texts).toEqual(expected.texts);

    const lastChunk = await startServer({ quirks: { usageOnlyInLastChunk: true } });
    const result = await (await clientFor(lastChunk)).generate(request());
    expect(result.texts).toEqual(expected.texts);
    expect(result.usage).toEqual(expected.usage);
  });

  it('retries without stream_options where it is rejected, and then estimates usage', async () => {
    const old = await startServer({ quirks: { rejectStreamOptions: true } });
    const client = await clientFor(old);
    const expected = await direct();
    const result = await client.generate(request());
    expect(result.texts).toEqual(expected.texts);
    expect(result.usage.completionTokens).toBe(Math.ceil(result.texts[0]!.length / 4));
    expect(result.usage.promptTokens).toBe(Math.ceil('Tell me a story about a cat.'.length / 4));
    await client.generate(request());
    expect(old.requests.map((r) => r.body!.stream_options !== undefined)).toEqual([true, false, false]);
  });

  it('keeps the words of older vLLM error bodies', async () => {
    const legacy = await startServer({ quirks: { legacyErrorBody: true, rejectN: true } });
    const client = await clientFor(legacy);
    expect((await client.generate(request({ n: 2, temperature: 0.5, seed: 1 }))).texts).toHaveLength(1);
    expect(logs.some((l) => l.includes('n must be 1'))).toBe(true);
    const missing = await errorOf((await clientFor(legacy, { model: 'gpt-nope' })).generate(request()));
    expect(missing.kind).toBe('not-found');
    expect(missing.message).toContain('the model gpt-nope does not exist');
  });

  it('lists models with their context length and embeds deterministically', async () => {
    const client = await clientFor(server, { embeddingModel: 'fake-embedding' });
    expect(await client.listModels!()).toEqual([
      { id: 'stories260K', contextLength: 2048 },
      { id: 'fake-embedding', contextLength: 2048 },
    ]);
    const texts = ['The cat sat on the mat.', 'the cat sat on the mat', 'A rocket flew to the moon.'];
    const vectors = await client.embed!(texts);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(64);
    }
    expect([...vectors[0]!]).toEqual([...vectors[1]!]);
    expect([...vectors[0]!]).not.toEqual([...vectors[2]!]);
    expect(server.requests.at(-1)!.body).toMatchObject({ model: 'fake-embedding', encoding_format: 'float' });
    expect(await client.embed!([])).toEqual([]);
  });

  it('sends the API key as a Bearer token and never repeats it in an error', async () => {
    const key = 'sk-test-0123456789abcdef';
    const guarded = await startServer({ apiKey: key });
    const ok = await clientFor(guarded, { apiKey: key });
    expect((await ok.generate(request())).texts[0]!.length).toBeGreaterThan(0);
    expect(guarded.requests.at(-1)!.headers.authorization).toBe(`Bearer ${key}`);

    const wrongKey = 'sk-wrong-9876543210fedcba';
    const wrong = await clientFor(guarded, { apiKey: wrongKey });
    const error = await errorOf(wrong.generate(request()));
    expect(error.kind).toBe('auth');
    expect(error.retriable).toBe(false);
    expect(error.message).toContain(guarded.baseURL);
    expect(guarded.requests.at(-1)!.headers.authorization).toBe(`Bearer ${wrongKey}`);
    const everything = `${error.message} ${String(error.cause)} ${JSON.stringify(error.cause ?? null)} ${logs.join('\n')}`;
    expect(everything).not.toContain(wrongKey);
    const listing = await errorOf(wrong.listModels!());
    expect(listing.kind).toBe('auth');
    expect(listing.message).not.toContain(wrongKey);
  });

  it('reports connection refused with the base URL', async () => {
    const port = await closedPort();
    const client = await clientFor({ baseURL: `http://127.0.0.1:${port}/v1` });
    const error = await errorOf(client.generate(request()));
    expect(error.kind).toBe('connection');
    expect(error.retriable).toBe(true);
    expect(error.message).toContain(`cannot reach http://127.0.0.1:${port}/v1`);
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it('times out a slow server, before the reply starts and in the middle of it', async () => {
    const client = await clientFor(server, { requestTimeoutMs: 300 });
    server.fail({ delayMs: 5000 });
    let started = Date.now();
    const error = await errorOf(client.generate(request()));
    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2000);

    // The openai client's own timeout stops counting once headers arrive; the plugin's does not.
    server.fail({ stallAfterChunks: 2 });
    started = Date.now();
    const pieces: string[] = [];
    const stalled = await errorOf(client.generate(request({ onText: (t) => pieces.push(t) })));
    expect(stalled.kind).toBe('timeout');
    expect(pieces.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('classifies 401, 404, 429 (with Retry-After), 500, 503 and a cut stream', async () => {
    const client = await clientFor(server);

    server.fail({ status: 401 });
    expect((await errorOf(client.generate(request()))).kind).toBe('auth');

    const unknown = await errorOf((await clientFor(server, { model: 'gpt-x' })).generate(request()));
    expect(unknown.kind).toBe('not-found');
    expect(unknown.message).toBe(
      `openai: the model gpt-x does not exist at ${server.baseURL}; it serves: stories260K, fake-embedding`,
    );

    server.fail({ status: 429, retryAfter: 1 });
    const limited = await errorOf(client.generate(request()));
    expect(limited.kind).toBe('rate-limit');
    expect(limited.retryAfterMs).toBe(1000);
    server.fail({ status: 429, retryAfterMs: 250, retryAfter: 9 });
    expect((await errorOf(client.generate(request()))).retryAfterMs).toBe(250);

    server.fail({ status: 500 });
    const failed = await errorOf(client.generate(request()));
    expect(failed.kind).toBe('server');
    expect(failed.retriable).toBe(true);
    expect(failed.overload).toBe(false);

    // A 503 is a full server: overload, waited out like a 429, with its Retry-After.
    server.fail({ status: 503, retryAfter: 2 });
    const full = await errorOf(client.generate(request()));
    expect(full.kind).toBe('overloaded');
    expect(full.overload).toBe(true);
    expect(full.retryAfterMs).toBe(2000);

    server.fail({ cutAfterChunks: 2 });
    const pieces: string[] = [];
    const cut = await errorOf(client.generate(request({ onText: (t) => pieces.push(t) })));
    expect(cut.kind).toBe('connection');
    expect(cut.message).toContain('mid-reply');
    expect(pieces.length).toBeGreaterThan(0); // it broke off after text had arrived

    // Each fault hit one request only; the client is still fine.
    expect((await client.generate(request())).texts).toEqual((await direct()).texts);
  });

  it("aborts on the caller's signal, and dispose aborts what is in flight", async () => {
    const client = await clientFor(server);
    server.fail({ delayMs: 5000 });
    const controller = new AbortController();
    const pending = client.generate(request(), controller.signal);
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    expect((await errorOf(pending)).kind).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await errorOf(client.generate(request(), AbortSignal.abort()))).kind).toBe('aborted');

    const other = await plugin.create({ baseURL: server.baseURL, model: 'stories260K' }, ctx);
    server.fail({ delayMs: 5000 });
    const inFlight = other.generate(request());
    await new Promise((resolve) => setTimeout(resolve, 50));
    await Promise.all([other.dispose(), other.dispose()]);
    expect((await errorOf(inFlight)).kind).toBe('aborted');
    expect((await errorOf(other.generate(request()))).kind).toBe('bad-request');
    await other.dispose();
  });
});
