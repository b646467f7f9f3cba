// probe() of the openai and vllm plugins over real HTTP against fake servers with the quirks of
// llama.cpp's llama-server, vLLM and OpenAI, and what the client does with what it found. The
// text comes from a scripted model that ignores schemas, so a reply follows a schema only where
// the fake server enforces it (as constrained decoding does): expected values are written from
// the protocol, request by request.

import { afterAll, afterEach, describe, expect, it } from 'vitest';

import type { GenerateRequest, ModelClient, PluginContext, ServerProfile } from '../../src/plugins/contract.js';
import openai from '../../src/plugins/openai/index.js';
import vllm from '../../src/plugins/vllm/index.js';
import { ScriptedModel } from '../helpers/scriptedModel.js';
import { FakeOpenAIServer, type FakeServerQuirks } from '../support/fakeOpenAIServer.js';
import { errorOf, SCORE_SCHEMA } from '../support/pluginTestKit.js';

const STORY = 'Once upon a time there was a cat.';
const CONTEXT = 4096;

const logs: string[] = [];
const servers: FakeOpenAIServer[] = [];
const clients: ModelClient[] = [];
const model = new ScriptedModel(() => STORY);

function context(profile?: ServerProfile): PluginContext {
  return { baseDir: import.meta.dirname, log: (m) => logs.push(m), ...(profile ? { profile } : {}) };
}

async function startServer(quirks: FakeServerQuirks = {}): Promise<FakeOpenAIServer> {
  const server = await FakeOpenAIServer.start(model, { maxModelLen: CONTEXT, quirks });
  servers.push(server);
  return server;
}

const llamaServer = (extra: FakeServerQuirks = {}) => startServer({ ...FakeOpenAIServer.llamaCppQuirks, ...extra });

async function openaiClient(
  server: FakeOpenAIServer,
  settings: Record<string, unknown> = {},
  profile?: ServerProfile,
): Promise<ModelClient> {
  const client = await openai.create({ baseURL: server.baseURL, model: 'stories260K', ...settings }, context(profile));
  clients.push(client);
  return client;
}

async function vllmClient(server: FakeOpenAIServer, settings: Record<string, unknown> = {}): Promise<ModelClient> {
  const client = await vllm.create({ endpoints: [server.baseURL], ...settings }, context());
  clients.push(client);
  return client;
}

function chat(overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    input: { kind: 'chat', messages: [{ role: 'user', content: 'Rate the answer.' }] },
    temperature: 0,
    maxTokens: 40,
    n: 1,
    ...overrides,
  };
}

const text = (overrides: Partial<GenerateRequest> = {}) =>
  chat({ input: { kind: 'text', text: 'Score:' }, ...overrides });

/** [method, path, n, the JSON fields] of each request the server received. */
function sent(server: FakeOpenAIServer) {
  return server.requests.map((r) => {
    const body = r.body ?? {};
    const format = body.response_format as { type?: string } | undefined;
    const json = [
      ...(format ? [`response_format:${format.type}`] : []),
      ...(body.guided_json ? ['guided_json'] : []),
      ...(body.json_schema ? ['json_schema'] : []),
    ];
    return [r.method, r.path, body.n, json.join(',')];
  });
}

// What constrained decoding answers SCORE_SCHEMA when the model wrote free text: its minimal instance.
const MINIMAL_SCORE = '{"rationale":"","score":1}';
const PROBE_FIELDS = { chat: ['POST', '/v1/chat/completions'], completion: ['POST', '/v1/completions'] };

describe('probe() against fake llama.cpp, vLLM and OpenAI-like servers', () => {
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it("finds json_object + schema on a llama.cpp server's chat, n>1 refused, its context per slot", async () => {
    const server = await llamaServer();
    const client = await openaiClient(server);
    const profile = await client.probe!();
    expect(profile).toMatchObject({
      server: 'llama.cpp server',
      json: { chat: 'response_format:json_object' },
      multipleSamples: false,
      streamUsage: true,
      contextLength: CONTEXT,
      requests: 5,
      summary:
        'llama.cpp server; JSON on chat: json_object + schema; n>1: no; usage in streams: yes; context 4096 tokens',
    });
    expect(profile.json.completion).toBeUndefined();
    expect(sent(server)).toEqual([
      ['GET', '/v1/models', undefined, ''],
      ['GET', '/props', undefined, ''],
      [...PROBE_FIELDS.chat, 2, ''], // 500: Only one completion choice is allowed
      [...PROBE_FIELDS.chat, undefined, ''],
      [...PROBE_FIELDS.chat, undefined, 'response_format:json_object'],
    ]);
    expect(client.capabilities).toMatchObject({ multipleSamples: false, jsonSchema: true });

    // From now on: the field that works, n = 1 straight away.
    const before = server.requests.length;
    const result = await client.generate(chat({ jsonSchema: SCORE_SCHEMA }));
    expect(result.texts).toEqual([MINIMAL_SCORE]);
    expect(result.requests).toBe(1);
    expect(server.requests.at(-1)!.body!.response_format).toEqual({ type: 'json_object', schema: SCORE_SCHEMA });
    const samples = await client.generate(chat({ n: 3, temperature: 0.8 }));
    expect(samples.texts).toEqual([STORY]);
    expect(sent(server).slice(before)).toEqual([
      [...PROBE_FIELDS.chat, undefined, 'response_format:json_object'],
      [...PROBE_FIELDS.chat, undefined, ''],
    ]);
  });

  it('takes the jsonField setting over any probe: a field the user names is used as named, none sends no schema', async () => {
    const server = await llamaServer();
    const named = await openaiClient(server, { jsonField: 'json_schema' });
    const profile = await named.probe!();
    expect(profile.json).toEqual({ chat: 'json_schema' });
    // /v1/models, /props, n = 2 refused, n = 1: no JSON probe at all.
    expect(profile.requests).toBe(4);
    expect((await named.generate(chat({ jsonSchema: SCORE_SCHEMA }))).texts).toEqual([MINIMAL_SCORE]);
    expect(sent(server).at(-1)).toEqual([...PROBE_FIELDS.chat, undefined, 'json_schema']);

    const none = await openaiClient(server, { jsonField: 'none' });
    expect(none.capabilities.jsonSchema).toBe(false);
    expect((await none.generate(chat({ jsonSchema: SCORE_SCHEMA }))).texts).toEqual([STORY]);
    expect(sent(server).at(-1)).toEqual([...PROBE_FIELDS.chat, undefined, '']);
    await expect(openaiClient(server, { jsonField: 'grammar' })).rejects.toThrow(/jsonField/);
  });

  it("finds the top-level json_schema on a llama.cpp server's completions (openai plugin, completion mode)", async () => {
    const server = await llamaServer();
    const client = await openaiClient(server, { mode: 'completion' });
    const profile = await client.probe!();
    expect(profile.json).toEqual({ completion: 'json_schema' });
    expect(profile.summary).toBe(
      'llama.cpp server; JSON on completions: json_schema; n>1: no; usage in streams: yes; context 4096 tokens',
    );
    expect(sent(server).slice(2)).toEqual([
      [...PROBE_FIELDS.completion, 2, ''],
      [...PROBE_FIELDS.completion, undefined, ''],
      [...PROBE_FIELDS.completion, undefined, 'json_schema'],
    ]);
    const result = await client.generate(text({ jsonSchema: SCORE_SCHEMA }));
    expect(result.texts).toEqual([MINIMAL_SCORE]);
    expect(server.requests.at(-1)!.body!.json_schema).toEqual(SCORE_SCHEMA);
  });

  it('finds both fields through the vllm plugin in chat mode, which sends raw text to completions', async () => {
    const server = await llamaServer();
    const client = await vllmClient(server, { mode: 'chat' });
    const before = server.requests.length; // the plugin's own /health and /v1/models at create
    const profile = await client.probe!();
    expect(profile.json).toEqual({ chat: 'response_format:json_object', completion: 'json_schema' });
    expect(profile.summary).toBe(
      'llama.cpp server; JSON on chat: json_object + schema; on completions: json_schema; n>1: no; usage in streams: yes; context 4096 tokens',
    );
    expect(server.requests.length - before).toBe(profile.requests);
    expect(profile.requests).toBe(6);
    expect((await client.generate(text({ jsonSchema: SCORE_SCHEMA }))).texts).toEqual([MINIMAL_SCORE]);
    expect((await client.generate(chat({ jsonSchema: SCORE_SCHEMA }))).texts).toEqual([MINIMAL_SCORE]);
  });

  it('finds response_format json_schema on a server that follows it, and n>1', async () => {
    const server = await startServer();
    const client = await openaiClient(server);
    const profile = await client.probe!();
    expect(profile).toMatchObject({
      server: 'vLLM', // the fake lists owned_by 'vllm'; its GET /version answers 404
      json: { chat: 'response_format:json_schema' },
      multipleSamples: true,
      streamUsage: true,
      contextLength: CONTEXT,
      requests: 4,
    });
    expect(sent(server)).toEqual([
      ['GET', '/v1/models', undefined, ''],
      ['GET', '/version', undefined, ''],
      [...PROBE_FIELDS.chat, 2, ''],
      [...PROBE_FIELDS.chat, undefined, 'response_format:json_schema'],
    ]);
    expect(client.capabilities).toMatchObject({ multipleSamples: true, jsonSchema: true });
    expect((await client.generate(chat({ n: 2, temperature: 0.8 }))).texts).toEqual([STORY, STORY]);
  });

  it('finds guided_json on a vLLM-like server that ignores response_format (vllm plugin)', async () => {
    const server = await startServer({ ignoreJsonSchemaFormat: true });
    const client = await vllmClient(server);
    const profile = await client.probe!();
    expect(profile.json).toEqual({ completion: 'guided_json' });
    expect(sent(server).slice(-2)).toEqual([
      [...PROBE_FIELDS.completion, undefined, 'response_format:json_schema'], // a 200 with free text
      [...PROBE_FIELDS.completion, undefined, 'guided_json'],
    ]);
    const result = await client.generate(text({ jsonSchema: SCORE_SCHEMA }));
    expect(result.texts).toEqual([MINIMAL_SCORE]);
    expect(sent(server).at(-1)).toEqual([...PROBE_FIELDS.completion, undefined, 'guided_json']);
  });

  it('says jsonSchema false where no field is followed', async () => {
    const server = await startServer({ ignoreResponseFormat: true, ownedBy: 'someone' });
    const client = await openaiClient(server);
    const profile = await client.probe!();
    expect(profile.json).toEqual({ chat: null });
    expect(profile.summary).toBe('JSON on chat: none; n>1: yes; usage in streams: yes; context 4096 tokens');
    expect(profile.requests).toBe(1 + 1 + 4); // /v1/models, n = 2, the four fields
    expect(client.capabilities.jsonSchema).toBe(false);
    const before = server.requests.length;
    expect((await client.generate(chat({ jsonSchema: SCORE_SCHEMA }))).texts).toEqual([STORY]);
    expect(sent(server).slice(before)).toEqual([[...PROBE_FIELDS.chat, undefined, '']]);
  });

  it('does not take valid JSON that ignores the schema for a followed schema (a server with a JSON mode only)', async () => {
    const server = await startServer({ jsonModeOnly: true, ownedBy: 'someone' });
    const client = await openaiClient(server);
    const profile = await client.probe!();
    // Each of the four fields got a 200 and `{}`: JSON, but not the probe's one allowed value.
    expect(profile.json).toEqual({ chat: null });
    expect(profile.requests).toBe(1 + 1 + 4);
    expect(client.capabilities.jsonSchema).toBe(false);
  });

  it('tries every field on a server that names itself wrongly (owned_by llamacpp, follows only json_schema)', async () => {
    const server = await startServer({ ownedBy: 'llamacpp' });
    const client = await openaiClient(server);
    const profile = await client.probe!();
    // llama.cpp's order: json_object + schema (the fake makes it any object: not followed), the
    // top-level json_schema (ignored: free text), then response_format json_schema, which it follows.
    expect(profile.json).toEqual({ chat: 'response_format:json_schema' });
    expect((await client.generate(chat({ jsonSchema: SCORE_SCHEMA }))).texts).toEqual([MINIMAL_SCORE]);
  });

  it('uses a known profile from the start: no probe requests, its field, n = 1', async () => {
    const server = await llamaServer();
    const known: ServerProfile = {
      probedAt: 1,
      server: 'llama.cpp server',
      json: { chat: 'response_format:json_object' },
      multipleSamples: false,
      streamUsage: true,
      requests: 5,
      summary: 'llama.cpp server; JSON on chat: json_object + schema; n>1: no; usage in streams: yes',
    };
    const client = await openaiClient(server, {}, known);
    expect(client.capabilities).toMatchObject({ multipleSamples: false, jsonSchema: true });
    const result = await client.generate(chat({ jsonSchema: SCORE_SCHEMA, n: 2, temperature: 0.8 }));
    expect(result.texts).toEqual([MINIMAL_SCORE]);
    expect(result.requests).toBe(1);
    expect(sent(server)).toEqual([[...PROBE_FIELDS.chat, undefined, 'response_format:json_object']]);
  });

  it('answers a refused n>1 (500) with one text in two requests, learned once', async () => {
    const server = await llamaServer();
    const client = await openaiClient(server);
    const first = await client.generate(chat({ n: 2, temperature: 0.8 }));
    expect(first).toMatchObject({ texts: [STORY], requests: 2 });
    const second = await client.generate(chat({ n: 2, temperature: 0.8 }));
    expect(second).toMatchObject({ texts: [STORY], requests: 1 });
    expect(sent(server)).toEqual([
      [...PROBE_FIELDS.chat, 2, ''],
      [...PROBE_FIELDS.chat, undefined, ''],
      [...PROBE_FIELDS.chat, undefined, ''],
    ]);
  });

  it('learns a refused n>1 even when the attempt with n = 1 fails too', async () => {
    const server = await startServer({ rejectN: true });
    const client = await openaiClient(server);
    server.fail({}, { status: 503 }); // the n = 2 request is refused (400), the retry finds the server full
    expect((await errorOf(client.generate(chat({ n: 2, temperature: 0.8 })))).kind).toBe('overloaded');
    expect((await client.generate(chat({ n: 2, temperature: 0.8 }))).requests).toBe(1);
    expect(sent(server).map((r) => r[2])).toEqual([2, undefined, undefined]);
  });

  it("reports an error line inside a 200 stream in the server's words, final and sent once", async () => {
    const server = await llamaServer({ contextChars: 50 });
    const long = chat({ input: { kind: 'chat', messages: [{ role: 'user', content: 'x'.repeat(51) }] }, n: 2 });
    for (const client of [await openaiClient(server), await vllmClient(server, { mode: 'chat' })]) {
      const before = server.requests.length;
      const error = await errorOf(client.generate({ ...long, jsonSchema: SCORE_SCHEMA }));
      expect(error.kind).toBe('bad-request');
      expect(error.retriable).toBe(false);
      expect(error.message).toContain('the server says: input prompt is too big compared to KV size');
      expect(error.message).toContain('give it a larger context (llama-server -c), fewer slots (--parallel)');
      // n = 2 on this server is refused (500) before the prompt is read; n = 1 then meets the full context.
      expect(
        sent(server)
          .slice(before)
          .map((r) => r[2]),
      ).toEqual([2, undefined]);
    }
    const client = await openaiClient(server);
    const before = server.requests.length;
    await errorOf(client.generate({ ...long, n: 1 }));
    expect(server.requests.length - before).toBe(1);
  });
});
