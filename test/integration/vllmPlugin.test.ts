// The vllm plugin with the real `openai` client against fake vLLM servers (OpenAI protocol plus
// /health, max_model_len and guided_json) whose text comes from a real model (stories260K through
// the embedded llama-cpp plugin). Two servers stand for two endpoints of one model.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { GenerateRequest, ModelClient, PluginContext } from '../../src/plugins/contract.js';
import plugin, { healthURL, parseSettings } from '../../src/plugins/vllm/index.js';
import manifest from '../../src/plugins/vllm/manifest.json' with { type: 'json' };
import { FakeOpenAIServer, type FakeServerOptions } from '../support/fakeOpenAIServer.js';
import { closedPort, createTinyModel, errorOf, SCORE_SCHEMA as SCHEMA } from '../support/pluginTestKit.js';

const MAX_MODEL_LEN = 3072;

const logs: string[] = [];
const ctx: PluginContext = { baseDir: import.meta.dirname, log: (m) => logs.push(m) };

let llama: ModelClient;
const servers: FakeOpenAIServer[] = [];
const clients: ModelClient[] = [];

async function startServer(options: FakeServerOptions = {}): Promise<FakeOpenAIServer> {
  const server = await FakeOpenAIServer.start(llama, { maxModelLen: MAX_MODEL_LEN, ...options });
  servers.push(server);
  return server;
}

async function create(settings: Record<string, unknown>): Promise<ModelClient> {
  const client = await plugin.create(settings, ctx);
  clients.push(client);
  return client;
}

function request(overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    input: { kind: 'text', text: 'Once upon a time there was a little girl' },
    temperature: 0,
    maxTokens: 30,
    n: 1,
    ...overrides,
  };
}

async function direct(overrides: Partial<GenerateRequest> = {}) {
  return llama.generate({ ...request(overrides), n: 1 });
}

const generations = (server: FakeOpenAIServer) => server.requests.filter((r) => r.method === 'POST').length;

describe('vllm plugin against two fake vLLM endpoints backed by stories260K', () => {
  let a: FakeOpenAIServer;
  let b: FakeOpenAIServer;

  beforeAll(async () => {
    llama = await createTinyModel();
    a = await startServer();
    b = await startServer();
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await llama?.dispose();
  });

  it('has a manifest matching the contract and reads its settings', () => {
    expect(manifest.id).toBe('vllm');
    expect(manifest.apiVersion).toBe(1);
    expect(manifest.settings.map((s) => s.key)).toEqual([
      'endpoints',
      'apiKey',
      'model',
      'mode',
      'maxParallelPerEndpoint',
      'requestTimeoutMs',
      'jsonField',
    ]);
    expect(manifest.settings.find((s) => s.key === 'endpoints')).toMatchObject({ type: 'string-list', required: true });
    const settings = parseSettings({ endpoints: ['http://gpu-1:8000', 'http://gpu-2:8000/v1/'] });
    expect(settings).toMatchObject({
      endpoints: ['http://gpu-1:8000/v1', 'http://gpu-2:8000/v1'],
      mode: 'completion',
      maxParallelPerEndpoint: 8,
    });
    expect(healthURL('http://gpu-1:8000/v1')).toBe('http://gpu-1:8000/health');
    expect(() => parseSettings({})).toThrow(/"endpoints" needs at least one/);
    expect(() => parseSettings({ endpoints: ['http://x:1/v1', 'http://x:1/v1'] })).toThrow(/listed twice/);
  });

  it('checks every endpoint at create, defaults the model to the first listed and reads max_model_len', async () => {
    const healthBefore = [a.requestsTo('/health').length, b.requestsTo('/health').length];
    const client = await create({ endpoints: [a.origin, b.baseURL] }); // "/v1" added to the bare origin
    expect(a.requestsTo('/health').length).toBe(healthBefore[0]! + 1);
    expect(b.requestsTo('/health').length).toBe(healthBefore[1]! + 1);
    expect(client.capabilities).toEqual(manifest.capabilities);
    expect(client.maxParallel).toBe(16);
    const models = await client.listModels!();
    expect(models[0]).toEqual({ id: 'stories260K', contextLength: MAX_MODEL_LEN });
    expect(logs.some((l) => l.includes(`vllm: stories260K (context ${MAX_MODEL_LEN} tokens) on 2 endpoint(s)`))).toBe(
      true,
    );
    expect((await create({ endpoints: [a.baseURL], maxParallelPerEndpoint: 3 })).maxParallel).toBe(3);
  });

  it('completes raw text with stop strings, spreading concurrent requests over both endpoints', async () => {
    const client = await create({ endpoints: [a.baseURL, b.baseURL] });
    const before = [generations(a), generations(b)];
    const prompts = [
      'Once upon a time there was a little girl',
      'The big red ball',
      'A dog ran to the park',
      'Tom and Sue went',
    ];
    const all = [...prompts, ...prompts].map((text) => ({ kind: 'text' as const, text }));
    const results = await Promise.all(
      all.map((input) => client.generate(request({ input, maxTokens: 50, stop: ['.', '!'] }))),
    );
    const expected = await Promise.all(all.map((input) => direct({ input, maxTokens: 50, stop: ['.', '!'] })));
    expect(results.map((r) => r.texts)).toEqual(expected.map((e) => e.texts));
    for (const r of results) expect(r.texts[0]).not.toMatch(/[.!]/);
    const spread = [generations(a) - before[0]!, generations(b) - before[1]!];
    expect(spread[0]).toBeGreaterThan(0);
    expect(spread[1]).toBeGreaterThan(0);
    expect(spread[0]! + spread[1]!).toBe(8);
    const sent = a.requests.at(-1)!;
    expect(sent.path).toBe('/v1/completions');
    expect(sent.body).toMatchObject({ model: 'stories260K', stop: ['.', '!'], stream: true });
    expect(sent.body!.messages).toBeUndefined();

    // One at a time, ties go round-robin.
    const sequential = [generations(a), generations(b)];
    for (let i = 0; i < 4; i++) await client.generate(request({ maxTokens: 5 }));
    expect([generations(a) - sequential[0]!, generations(b) - sequential[1]!]).toEqual([2, 2]);
  });

  it('sends guided_json beside response_format and gets schema-valid JSON', async () => {
    const client = await create({ endpoints: [a.baseURL] });
    const input = { kind: 'text' as const, text: 'JSON:' };
    const result = await client.generate(request({ input, jsonSchema: SCHEMA, maxTokens: 150, stop: ['\n\n'] }));
    const sent = a.requests.at(-1)!.body!;
    expect(sent.guided_json).toEqual(SCHEMA);
    expect(sent.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'reply', schema: SCHEMA, strict: false },
    });
    expect(sent.stop).toEqual(['\n\n']);
    expect(result.texts).toEqual((await direct({ input, jsonSchema: SCHEMA, maxTokens: 150, stop: ['\n\n'] })).texts);
    expect([1, 2, 3, 4, 5]).toContain((JSON.parse(result.texts[0]!) as { score: unknown }).score);
  });

  it('asks for n samples in one request and chats through the chat template in chat mode', async () => {
    const client = await create({ endpoints: [a.baseURL], mode: 'chat' });
    const result = await client.generate(request({ n: 2, temperature: 0.9, seed: 5 }));
    expect(result.texts).toEqual([
      (await direct({ temperature: 0.9, seed: 5 })).texts[0],
      (await direct({ temperature: 0.9, seed: 6 })).texts[0],
    ]);
    expect(a.requests.at(-1)).toMatchObject({ path: '/v1/completions', body: { n: 2 } }); // raw text still completes

    const chat = { kind: 'chat' as const, messages: [{ role: 'user' as const, content: 'Tell me about a cat.' }] };
    const chatted = await client.generate(request({ input: chat }));
    expect(chatted.texts).toEqual((await direct({ input: chat })).texts);
    expect(a.requests.at(-1)!.path).toBe('/v1/chat/completions');
  });

  it('keeps serving on the other endpoint when one goes down', async () => {
    const c = await startServer();
    const d = await startServer();
    const client = await create({ endpoints: [d.baseURL, c.baseURL] });
    await d.close();
    const before = generations(c);
    const results = await Promise.all([0, 1, 2, 3].map(() => client.generate(request({ maxTokens: 10 }))));
    const expected = await direct({ maxTokens: 10 });
    for (const r of results) expect(r.texts).toEqual(expected.texts);
    expect(generations(c) - before).toBe(4);
    expect(logs.some((l) => l.includes(`skipping ${d.baseURL} for 30 s`))).toBe(true);
    // Skipped for a while: the next call goes straight to the live endpoint.
    const failoversBefore = logs.filter((l) => l.includes(`skipping ${d.baseURL}`)).length;
    await client.generate(request({ maxTokens: 5 }));
    expect(logs.filter((l) => l.includes(`skipping ${d.baseURL}`)).length).toBe(failoversBefore);
  });

  it('fails at create naming an endpoint that does not answer its health check', async () => {
    const port = await closedPort();
    const dead = `http://127.0.0.1:${port}/v1`;
    const error = await errorOf(plugin.create({ endpoints: [a.baseURL, dead] }, ctx));
    expect(error.kind).toBe('connection');
    expect(error.message).toContain(`endpoint ${dead} is unreachable`);
    expect(error.message).toContain(`GET http://127.0.0.1:${port}/health`);
    expect(error.message).not.toContain(a.baseURL);
  });

  it('fails at create when an endpoint does not serve the model, or refuses the key', async () => {
    const other = await startServer({ modelId: 'other-model' });
    const missing = await errorOf(plugin.create({ endpoints: [a.baseURL, other.baseURL], model: 'stories260K' }, ctx));
    expect(missing.kind).toBe('not-found');
    expect(missing.message).toContain(`the model stories260K does not exist at ${other.baseURL}`);
    expect(missing.message).toContain('other-model');

    const key = 'sk-vllm-secret-key-42';
    const guarded = await startServer({ apiKey: key });
    const refused = await errorOf(plugin.create({ endpoints: [guarded.baseURL], apiKey: 'sk-vllm-wrong-key-99' }, ctx));
    expect(refused.kind).toBe('auth');
    expect(refused.message).not.toContain('sk-vllm-wrong-key-99');
    const client = await create({ endpoints: [guarded.baseURL], apiKey: key });
    await client.generate(request({ maxTokens: 5 }));
    expect(guarded.requests.at(-1)!.headers.authorization).toBe(`Bearer ${key}`);
  });
});
