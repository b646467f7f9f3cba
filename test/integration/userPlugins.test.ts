// User plugins: the README's example (examples/plugins/llama-server) loads from a temporary
// user-data folder once enabled and serves every role from the real embedded model over HTTP,
// against a fake server with llama-server's quirks; broken plugins are refused with a message
// that names them.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginLoadError, PluginRegistry } from '../../src/main/plugins/pluginRegistry.js';
import { checkSettings, resolveSecrets } from '../../src/main/plugins/pluginSettings.js';
import { SettingsStore } from '../../src/main/store/settingsStore.js';
import type { GenerateRequest, ModelClient } from '../../src/plugins/contract.js';
import llamaCpp from '../../src/plugins/llama-cpp/index.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';
import { textConforms } from '../support/jsonConformance.js';
import { closedPort, SCORE_SCHEMA } from '../support/pluginTestKit.js';

const root = path.resolve(import.meta.dirname, '../..');
const model = path.resolve(root, '../shared/models/stories260K/stories260K.gguf');

describe('user plugins', () => {
  const userData = mkdtempSync(path.join(tmpdir(), 'drpo-userdata-'));
  const plugins = path.join(userData, 'plugins');
  let backing: ModelClient;

  beforeAll(async () => {
    mkdirSync(plugins, { recursive: true });
    cpSync(path.join(root, 'examples/plugins/llama-server'), path.join(plugins, 'llama-server'), { recursive: true });
    mkdirSync(path.join(plugins, 'broken-json'));
    writeFileSync(path.join(plugins, 'broken-json/manifest.json'), '{ "id": "broken-json", ');
    mkdirSync(path.join(plugins, 'future'));
    writeFileSync(
      path.join(plugins, 'future/manifest.json'),
      JSON.stringify({ id: 'future', version: '1.0.0', apiVersion: 9, name: 'F', capabilities: {}, settings: [] }),
    );
    mkdirSync(path.join(plugins, 'throws'));
    const example = JSON.parse(
      readFileSync(path.join(root, 'examples/plugins/llama-server/manifest.json'), 'utf8'),
    ) as object;
    writeFileSync(path.join(plugins, 'throws/manifest.json'), JSON.stringify({ ...example, id: 'throws' }));
    writeFileSync(path.join(plugins, 'throws/index.js'), 'throw new Error("boom at import");\n');
    backing = await llamaCpp.create({ modelPath: model, threads: 1 }, { baseDir: root, log: () => {} });
  });

  afterAll(async () => {
    await backing?.dispose();
  });

  it('lists every plugin, with the reason a broken one cannot be used', () => {
    const listing = new PluginRegistry({ userPluginsDir: plugins, enabled: [] }).discover();
    expect(listing.filter((p) => p.source === 'builtin').map((p) => p.id)).toEqual([
      'llama-cpp',
      'ollama',
      'openai',
      'vllm',
    ]);
    const byId = Object.fromEntries(listing.filter((p) => p.source === 'user').map((p) => [p.id, p]));
    expect(byId['llama-server']).toMatchObject({ enabled: false });
    expect(byId['llama-server']!.error).toBeUndefined();
    expect(byId['broken-json']!.error).toMatch(/manifest.json that is not valid JSON/);
    expect(byId.future!.error).toMatch(/plugin "future" .*written for plugin API 9/);
  });

  it("loads the README's example plugin only once enabled, and it serves the embedded model over HTTP", async () => {
    await expect(new PluginRegistry({ userPluginsDir: plugins, enabled: [] }).load('llama-server')).rejects.toThrow(
      /installed in .* but not enabled/,
    );
    const store = await SettingsStore.open(userData);
    await store.update((s) => void s.enabledPlugins.push('llama-server'));
    const { manifest, plugin, source } = await new PluginRegistry({
      userPluginsDir: plugins,
      enabled: store.data.enabledPlugins,
    }).load('llama-server');
    expect(source).toBe('user');
    const fake = await FakeOpenAIServer.start(backing, {
      apiKey: 'sekret',
      quirks: { ...FakeOpenAIServer.llamaCppQuirks, contextChars: 500 },
    });
    const create = (settings: Record<string, unknown>) => plugin.create(settings, { baseDir: userData, log: () => {} });
    try {
      const settings = checkSettings(manifest, { url: fake.origin, apiKey: 'env:LLAMA_SERVER_KEY' });
      const client = await create(resolveSecrets(manifest, settings, { LLAMA_SERVER_KEY: 'sekret' }));
      expect(client.capabilities).toEqual(manifest.capabilities);
      expect(manifest.capabilities.chat).toBe(true);

      // Raw text, to /v1/completions.
      const request: GenerateRequest = {
        input: { kind: 'text', text: 'Once upon a time' },
        temperature: 0,
        maxTokens: 20,
        n: 1,
      };
      const pieces: string[] = [];
      const viaPlugin = await client.generate({ ...request, onText: (t) => pieces.push(t) });
      const direct = await backing.generate(request);
      expect(viaPlugin.texts).toEqual(direct.texts);
      expect(pieces.join('')).toBe(direct.texts[0]);
      expect(viaPlugin.usage).toEqual(direct.usage);
      expect(fake.requests.map((r) => r.path)).toEqual(['/v1/completions']);

      // Chat, to /v1/chat/completions.
      const chat: GenerateRequest = {
        ...request,
        input: { kind: 'chat', messages: [{ role: 'user', content: 'Tell me about a cat.' }] },
      };
      expect((await client.generate(chat)).texts).toEqual((await backing.generate(chat)).texts);
      expect(fake.requests.at(-1)!.path).toBe('/v1/chat/completions');

      // JSON through the fields llama-server follows: json_object + schema on chat, json_schema on completions.
      const judged = await client.generate({ ...chat, jsonSchema: SCORE_SCHEMA, maxTokens: 120 });
      expect(textConforms(judged.texts[0]!, SCORE_SCHEMA)).toBe(true);
      expect(fake.requests.at(-1)!.body!.response_format).toEqual({ type: 'json_object', schema: SCORE_SCHEMA });
      const completed = await client.generate({ ...request, jsonSchema: SCORE_SCHEMA, maxTokens: 120 });
      expect(textConforms(completed.texts[0]!, SCORE_SCHEMA)).toBe(true);
      expect(fake.requests.at(-1)!.body).toMatchObject({ json_schema: SCORE_SCHEMA });
      expect(fake.requests.at(-1)!.body!.response_format).toBeUndefined();

      // A prompt beyond the context: the error line inside the 200 stream, final, sent once.
      const before = fake.requests.length;
      const full = await client
        .generate({ ...request, input: { kind: 'text', text: 'x'.repeat(501) } })
        .catch((e) => e);
      expect(full).toMatchObject({ kind: 'bad-request' });
      expect(full.message).toContain('the server says: input prompt is too big compared to KV size');
      expect(full.message).toContain('give it a larger context (llama-server -c)');
      expect(fake.requests.length - before).toBe(1);

      const denied = await create({ ...settings, apiKey: 'wrong' });
      await expect(denied.generate(request)).rejects.toMatchObject({ kind: 'auth' });
      const down = await create({ ...settings, url: `http://127.0.0.1:${await closedPort()}` });
      await expect(down.generate(request)).rejects.toMatchObject({ kind: 'connection' });
      await client.dispose();
    } finally {
      await fake.close();
    }
  });

  it('refuses a plugin whose module throws, naming it, and keeps working for the others', async () => {
    const registry = new PluginRegistry({ userPluginsDir: plugins, enabled: ['throws', 'llama-server'] });
    const error = await registry.load('throws').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginLoadError);
    expect((error as Error).message).toMatch(/plugin "throws" failed to load from .*index.js: boom at import/);
    await expect(registry.load('llama-server')).resolves.toMatchObject({ source: 'user' });
    await expect(registry.load('nope')).rejects.toThrow(
      /no backend plugin "nope" \(available: llama-cpp, ollama, openai, vllm, llama-server, throws\)/,
    );
  });
});
