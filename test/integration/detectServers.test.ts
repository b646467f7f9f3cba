// `detect` against real HTTP servers on free ports, each speaking one protocol as its server
// documents it: Ollama (/api/version, /api/tags, /api/show model_info), LM Studio (/api/v0/models
// max_context_length), llama.cpp's server (/v1/models owned_by "llamacpp", /props n_ctx), vLLM
// (/v1/models max_model_len) and a plain OpenAI-compatible one; beside them servers that need a
// key, stall, answer garbage or answer too much. Nothing is saved until the user saves.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudioService, type StudioService } from '../../src/main/api/studioService.js';
import { MAX_BODY_BYTES } from '../../src/main/detect/probeHttp.js';
import ollamaPlugin from '../../src/plugins/ollama/index.js';
import type { DetectResultDto } from '../../src/shared/studioApi.js';
import { ScriptedModel } from '../helpers/scriptedModel.js';
import { FakeOllamaServer } from '../support/fakeOllamaServer.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';
import { listenOnLoopback } from '../support/listenOnLoopback.js';
import { closedPort } from '../support/pluginTestKit.js';

const REPLY = 'Once upon a time there was a cat.';
const model = new ScriptedModel(() => REPLY);

/** A server answering every request with `handler`'s status and body (or, with none, never). */
async function rawServer(handler?: (res: import('node:http').ServerResponse) => void): Promise<Server> {
  const server = createServer((_req, res) => handler?.(res));
  await listenOnLoopback(server);
  return server;
}
const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as { port: number }).port}`;

describe('detect', () => {
  let ollama: FakeOllamaServer;
  let proxiedOllama: FakeOllamaServer;
  let lmStudio: FakeOpenAIServer;
  let llamaCpp: FakeOpenAIServer;
  let vllm: FakeOpenAIServer;
  let compatible: FakeOpenAIServer;
  let keyedVllm: FakeOpenAIServer;
  let stalled: Server;
  let garbage: Server;
  let huge: Server;
  let wrongShape: Server;
  let refused: string;
  let userData: string;
  let service: StudioService;
  let result: DetectResultDto;
  let elapsedMs: number;
  let settingsBefore: string;

  beforeAll(async () => {
    ollama = await FakeOllamaServer.start(model, {
      models: [
        { name: 'qwen2.5:0.5b-instruct', contextLength: 32768, family: 'qwen2' },
        { name: 'stories260k:latest', contextLength: 2048, family: 'llama' },
      ],
    });
    proxiedOllama = await FakeOllamaServer.start(model, { apiKey: 'proxy-secret-1' });
    lmStudio = await FakeOpenAIServer.start(model, {
      modelId: 'meta-llama-3.1-8b-instruct',
      embeddingModelId: 'text-embedding-nomic-embed-text-v1.5',
      maxModelLen: 131072,
      quirks: FakeOpenAIServer.lmStudioQuirks,
    });
    llamaCpp = await FakeOpenAIServer.start(model, {
      modelId: 'qwen2.5-0.5b-instruct-q4_k_m.gguf',
      maxModelLen: 4096,
      quirks: FakeOpenAIServer.llamaCppQuirks,
    });
    vllm = await FakeOpenAIServer.start(model, { modelId: 'Qwen/Qwen2.5-0.5B-Instruct', maxModelLen: 32768 });
    compatible = await FakeOpenAIServer.start(model, {
      modelId: 'gateway-model',
      maxModelLen: 8192,
      quirks: { ownedBy: 'someone' },
    });
    keyedVllm = await FakeOpenAIServer.start(model, { apiKey: 'served-with-api-key' });
    stalled = await rawServer();
    garbage = await rawServer((res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('<html>hi'));
    // More than the cap, announced without a length: the reader must stop on its own.
    huge = await rawServer((res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"data":[');
      const chunk = `${'{"id":"x"},'.repeat(10_000)}`;
      const write = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', write);
      };
      write();
    });
    wrongShape = await rawServer((res) =>
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"version":3,"models":"many","data":{"id":1}}'),
    );
    refused = `http://127.0.0.1:${await closedPort()}`;

    userData = mkdtempSync(path.join(tmpdir(), 'drpo-detect-'));
    // A saved connection already holds the name detect would offer the Ollama; the plain server
    // is one of the user's saved extra addresses (written as the user wrote it, with /v1/).
    writeFileSync(
      path.join(userData, 'settings.json'),
      `${JSON.stringify({
        connections: { 'ollama-qwen2.5-0.5b-instruct': { plugin: 'ollama', settings: { model: 'x' } } },
        detectAddresses: [`${compatible.origin}/v1/`],
      })}\n`,
    );
    settingsBefore = readFileSync(path.join(userData, 'settings.json'), 'utf8');
    service = createStudioService({ userDataDir: userData });
    const started = performance.now();
    result = await service.api.connections.detect([
      ollama.url,
      `${proxiedOllama.url}/`,
      lmStudio.origin,
      llamaCpp.baseURL,
      vllm.origin,
      keyedVllm.origin,
      urlOf(stalled),
      urlOf(garbage),
      urlOf(huge),
      urlOf(wrongShape),
      refused,
      'http://admin:hunter2@127.0.0.1:9/v1?x=1',
    ]);
    elapsedMs = performance.now() - started;
  }, 30_000);

  afterAll(async () => {
    await service?.close();
    await Promise.all([ollama, proxiedOllama, lmStudio, llamaCpp, vllm, compatible, keyedVllm].map((s) => s?.close()));
    for (const s of [stalled, garbage, huge, wrongShape]) {
      s?.closeAllConnections();
      s?.close();
    }
  });

  const found = (address: string) => result.found.find((s) => s.address === address);
  const silent = (address: string) => result.silent.find((s) => s.address === address)?.reason;

  it('finds Ollama with its models and their context lengths (model_info "<arch>.context_length")', () => {
    expect(found(ollama.url)).toEqual({
      kind: 'ollama',
      address: ollama.url,
      models: [
        { id: 'qwen2.5:0.5b-instruct', contextLength: 32768 },
        { id: 'stories260k:latest', contextLength: 2048 },
      ],
      connection: { plugin: 'ollama', settings: { host: ollama.url, model: 'qwen2.5:0.5b-instruct' } },
      // "ollama-qwen2.5-0.5b-instruct" is a saved connection's name already.
      suggestedName: 'ollama-qwen2.5-0.5b-instruct-2',
    });
  });

  it('finds LM Studio through /api/v0/models: language models only, loaded first, with max_context_length', () => {
    expect(found(lmStudio.origin)).toEqual({
      kind: 'lm-studio',
      address: lmStudio.origin,
      models: [{ id: 'meta-llama-3.1-8b-instruct', contextLength: 131072 }],
      connection: { plugin: 'openai', settings: { baseURL: lmStudio.baseURL, model: 'meta-llama-3.1-8b-instruct' } },
      suggestedName: 'lm-studio-meta-llama-3.1-8b-instruct',
    });
  });

  it("finds llama.cpp's server (owned_by llamacpp) with the context of a slot from /props", () => {
    // Given as http://…/v1: probed at the server's root.
    expect(found(llamaCpp.origin)).toEqual({
      kind: 'llama.cpp',
      address: llamaCpp.origin,
      models: [
        { id: 'qwen2.5-0.5b-instruct-q4_k_m.gguf', contextLength: 4096 },
        { id: 'fake-embedding', contextLength: 4096 },
      ],
      connection: {
        plugin: 'openai',
        settings: { baseURL: llamaCpp.baseURL, model: 'qwen2.5-0.5b-instruct-q4_k_m.gguf' },
      },
      suggestedName: 'llama.cpp-qwen2.5-0.5b-instruct-q4_k_m.gguf',
    });
  });

  it('finds vLLM (owned_by vllm) with max_model_len, as a connection of the vllm plugin', () => {
    expect(found(vllm.origin)).toEqual({
      kind: 'vllm',
      address: vllm.origin,
      models: [
        { id: 'Qwen/Qwen2.5-0.5B-Instruct', contextLength: 32768 },
        { id: 'fake-embedding', contextLength: 32768 },
      ],
      connection: { plugin: 'vllm', settings: { endpoints: [vllm.baseURL], model: 'Qwen/Qwen2.5-0.5B-Instruct' } },
      suggestedName: 'vllm-Qwen2.5-0.5B-Instruct',
    });
  });

  it("probes the user's saved extra addresses: an OpenAI-compatible server found there", () => {
    expect(found(compatible.origin)).toMatchObject({
      kind: 'openai-compatible',
      models: [
        { id: 'gateway-model', contextLength: 8192 },
        { id: 'fake-embedding', contextLength: 8192 },
      ],
      connection: { plugin: 'openai', settings: { baseURL: compatible.baseURL, model: 'gateway-model' } },
    });
  });

  it('an Ollama behind a proxy that wants a key is silent, and says a key is needed', () => {
    expect(silent(proxiedOllama.url)).toMatch(/HTTP 401.*Ollama behind an authenticating proxy.*apiKey/);
  });

  it('a vLLM started with --api-key (401 on /v1 only) is silent, and says its API wants a key', () => {
    expect(silent(keyedVllm.origin)).toMatch(/^its OpenAI-compatible API wants a key \(HTTP 401\).*"apiKey"/);
  });

  it('stalled, garbage, oversized, wrong-shaped and closed addresses are silent with their reasons, within the timeout', () => {
    expect(silent(urlOf(stalled))).toBe('no answer within 2 s');
    expect(silent(urlOf(garbage))).toMatch(/not as Ollama.*\(replies that are not JSON/);
    expect(silent(urlOf(huge))).toMatch(/a reply larger than 2 MiB/);
    expect(MAX_BODY_BYTES).toBe(2 * 1024 * 1024);
    expect(silent(urlOf(wrongShape))).toMatch(/JSON of another shape/);
    expect(silent(refused)).toBe('nothing listens there (connection refused)');
    // Not probed, and shown without its password.
    expect(silent('http://127.0.0.1:9/v1?x=1')).toMatch(/^not probed: an address is http\(s\):\/\/host:port/);
    expect(JSON.stringify(result)).not.toContain('hunter2');
    expect(elapsedMs).toBeLessThan(4_000);
  });

  it('probes the usual local addresses too, each found or silent, each once', () => {
    const all = [...result.found, ...result.silent].map((s) => s.address);
    for (const address of [
      'http://127.0.0.1:11434',
      'http://127.0.0.1:1234',
      'http://127.0.0.1:8080',
      'http://127.0.0.1:8000',
    ])
      expect(all).toContain(address);
    expect(new Set(all).size).toBe(all.length);
  });

  it('saves nothing: the settings file is byte for byte what it was', () => {
    expect(readFileSync(path.join(userData, 'settings.json'), 'utf8')).toBe(settingsBefore);
  });

  it('a detected connection, once saved, works: its test lists the models, a generation goes through', async () => {
    const ollamaServer = found(ollama.url)!;
    await service.api.connections.save(ollamaServer.suggestedName, ollamaServer.connection);
    expect(await service.api.connections.test(ollamaServer.suggestedName)).toMatchObject({
      ok: true,
      models: [
        { id: 'qwen2.5:0.5b-instruct', contextLength: 32768 },
        { id: 'stories260k:latest', contextLength: 2048 },
      ],
    });
    const client = await ollamaPlugin.create(ollamaServer.connection.settings ?? {}, {
      baseDir: userData,
      log: () => {},
    });
    const reply = await client.generate({
      input: { kind: 'chat', messages: [{ role: 'user', content: 'A story?' }] },
      temperature: 0,
      maxTokens: 20,
      n: 1,
    });
    await client.dispose();
    expect(reply.texts).toEqual([REPLY]);

    const studio = found(lmStudio.origin)!;
    await service.api.connections.save(studio.suggestedName, studio.connection);
    expect(await service.api.connections.test(studio.suggestedName)).toMatchObject({ ok: true });
    expect(Object.keys(await service.api.connections.list()).sort()).toEqual([
      'lm-studio-meta-llama-3.1-8b-instruct',
      'ollama-qwen2.5-0.5b-instruct',
      'ollama-qwen2.5-0.5b-instruct-2',
    ]);
  });
});
