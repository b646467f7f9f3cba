// User plugins: the README's example (examples/plugins/llama-server) loads from a temporary
// user-data folder once enabled and serves text from the real embedded model over HTTP; broken
// plugins are refused with a message that names them.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginLoadError, PluginRegistry } from '../../src/main/plugins/pluginRegistry.js';
import { checkSettings, resolveSecrets } from '../../src/main/plugins/pluginSettings.js';
import { SettingsStore } from '../../src/main/store/settingsStore.js';
import type { ModelClient } from '../../src/plugins/contract.js';
import llamaCpp from '../../src/plugins/llama-cpp/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const model = path.resolve(root, '../shared/models/stories260K/stories260K.gguf');

/** llama-server's native /completion endpoint, answered by the embedded model. */
function fakeLlamaServer(
  backing: ModelClient,
  apiKey: string,
): Promise<{ url: string; server: Server; seen: unknown[] }> {
  const seen: unknown[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${apiKey}`) {
        res.writeHead(401).end('{"error":"invalid api key"}');
        return;
      }
      const r = JSON.parse(body) as { prompt: string; n_predict: number; temperature: number; stop?: string[] };
      seen.push(r);
      void backing
        .generate({
          input: { kind: 'text', text: r.prompt },
          maxTokens: r.n_predict,
          temperature: r.temperature,
          n: 1,
          stop: r.stop,
        })
        .then((out) =>
          res.writeHead(200, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              content: out.texts[0],
              tokens_evaluated: out.usage.promptTokens,
              tokens_predicted: out.usage.completionTokens,
            }),
          ),
        );
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, seen }),
    ),
  );
}

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
    const fake = await fakeLlamaServer(backing, 'sekret');
    try {
      const settings = checkSettings(manifest, { url: fake.url, apiKey: 'env:LLAMA_SERVER_KEY' });
      const client = await plugin.create(resolveSecrets(manifest, settings, { LLAMA_SERVER_KEY: 'sekret' }), {
        baseDir: userData,
        log: () => {},
      });
      const request = {
        input: { kind: 'text' as const, text: 'Once upon a time' },
        temperature: 0,
        maxTokens: 20,
        n: 1,
      };
      const viaPlugin = await client.generate(request);
      const direct = await backing.generate(request);
      expect(viaPlugin.texts).toEqual(direct.texts);
      expect(viaPlugin.usage.completionTokens).toBeGreaterThan(0);
      expect(fake.seen).toHaveLength(1);
      const denied = await plugin.create({ ...settings, apiKey: 'wrong' }, { baseDir: userData, log: () => {} });
      await expect(denied.generate(request)).rejects.toMatchObject({ kind: 'auth' });
      await client.dispose();
    } finally {
      fake.server.close();
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
