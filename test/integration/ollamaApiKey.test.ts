// An Ollama behind an authenticating proxy: the ollama plugin's "apiKey" (a secret, written as
// env:NAME) goes out as `Authorization: Bearer KEY` on every request; without it the proxy's 401
// reaches the user as a message that names the setting.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudioService, type StudioService } from '../../src/main/api/studioService.js';
import plugin from '../../src/plugins/ollama/index.js';
import { ScriptedModel } from '../helpers/scriptedModel.js';
import { FakeOllamaServer } from '../support/fakeOllamaServer.js';
import { errorOf } from '../support/pluginTestKit.js';

const KEY = 'proxy-secret-7f3a';
const ctx = { baseDir: import.meta.dirname, log: () => {} };

describe('ollama behind an authenticating proxy', () => {
  let server: FakeOllamaServer;
  let service: StudioService;

  beforeAll(async () => {
    server = await FakeOllamaServer.start(new ScriptedModel(() => 'Hello there.'), {
      models: [{ name: 'stories260k:latest', contextLength: 2048 }],
      apiKey: KEY,
    });
    service = createStudioService({ userDataDir: mkdtempSync(path.join(tmpdir(), 'drpo-ollama-key-')) });
  });

  afterAll(async () => {
    await service?.close();
    await server?.close();
  });

  it('sends the key as a bearer token on every request: listing, show, chat', async () => {
    server.reset();
    const client = await plugin.create({ host: server.url, model: 'stories260k', apiKey: KEY }, ctx);
    expect(await client.listModels!()).toEqual([{ id: 'stories260k:latest', contextLength: 2048 }]);
    const reply = await client.generate({
      input: { kind: 'chat', messages: [{ role: 'user', content: 'Hi' }] },
      temperature: 0,
      maxTokens: 8,
      n: 1,
    });
    await client.dispose();
    expect(reply.texts).toEqual(['Hello there.']);
    expect(server.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/api/tags', `Bearer ${KEY}`],
      ['/api/show', `Bearer ${KEY}`],
      ['/api/chat', `Bearer ${KEY}`],
    ]);
  });

  it("without the key, the proxy's 401 is an auth error that names the setting", async () => {
    const client = await plugin.create({ host: server.url, model: 'stories260k' }, ctx);
    const error = await errorOf(client.listModels!());
    await client.dispose();
    expect(error.kind).toBe('auth');
    expect(error.message).toBe(
      `Ollama at ${server.url} refused the request (401: 401 Unauthorized). A proxy in front of Ollama may require a key: set "apiKey", or the address.`,
    );
  });

  it('a saved connection keeps the key as env:NAME (a literal is refused) and its test passes', async () => {
    const { api } = service;
    await expect(
      api.connections.save('proxied', { plugin: 'ollama', settings: { host: server.url, model: 'x', apiKey: KEY } }),
    ).rejects.toThrow(/is a secret and is never stored in a file/);
    await api.connections.save('proxied', {
      plugin: 'ollama',
      settings: { host: server.url, model: 'stories260k', apiKey: 'env:DRPO_TEST_OLLAMA_PROXY_KEY' },
    });
    process.env.DRPO_TEST_OLLAMA_PROXY_KEY = KEY;
    try {
      expect(await api.connections.test('proxied')).toMatchObject({
        ok: true,
        models: [{ id: 'stories260k:latest', contextLength: 2048 }],
      });
    } finally {
      delete process.env.DRPO_TEST_OLLAMA_PROXY_KEY;
    }
    expect((await api.connections.list()).proxied?.settings?.apiKey).toBe('env:DRPO_TEST_OLLAMA_PROXY_KEY');
  });
});
