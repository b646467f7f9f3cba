// The desktop app's key store: keys go in encrypted (Electron's safeStorage in the app; a
// reversible stand-in cipher here, as no keychain exists on this machine), a connection refers
// to one as "store:NAME", and only the plugin ever sees the value.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudioService } from '../../src/main/api/studioService.js';
import { EncryptedSecretStore, type StringEncryption } from '../../src/main/store/secretStore.js';
import { ScriptedModel } from '../helpers/scriptedModel.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';

const KEY = 'sk-test-store-9f8e7d';
const shift = (bytes: Buffer, by: number) => Buffer.from(bytes.map((b) => (b + by) & 0xff));
const standIn: StringEncryption = {
  isEncryptionAvailable: () => true,
  encryptString: (plain) => shift(Buffer.from(plain, 'utf8'), 13),
  decryptString: (cipher) => shift(cipher, -13).toString('utf8'),
};

describe('the key store', () => {
  let server: FakeOpenAIServer;

  beforeAll(async () => {
    server = await FakeOpenAIServer.start(new ScriptedModel(() => 'hello'), { apiKey: KEY, modelId: 'gpt-test' });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('keeps keys encrypted, shows only their names, and hands the value to the plugin alone', async () => {
    const userDataDir = mkdtempSync(path.join(tmpdir(), 'drpo-keys-'));
    const service = createStudioService({
      userDataDir,
      secrets: new EncryptedSecretStore(path.join(userDataDir, 'secrets.json'), standIn),
    });
    const { api } = service;
    await api.secrets.set('OPENAI_KEY', KEY);
    expect(await api.secrets.list()).toEqual({ available: true, names: ['OPENAI_KEY'], weak: false });
    expect(readFileSync(path.join(userDataDir, 'secrets.json'), 'utf8')).not.toContain(KEY);

    await api.connections.save('cloud', {
      plugin: 'openai',
      settings: { baseURL: server.baseURL, model: 'gpt-test', apiKey: 'store:OPENAI_KEY' },
    });
    expect(JSON.stringify(await api.connections.list())).not.toContain(KEY);
    const tested = await api.connections.test('cloud');
    expect(tested).toMatchObject({
      ok: true,
      models: expect.arrayContaining([{ id: 'gpt-test', contextLength: 2048 }]),
    });
    expect(server.requests.some((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);

    await api.connections.save('missing', {
      plugin: 'openai',
      settings: { baseURL: server.baseURL, model: 'gpt-test', apiKey: 'store:NOPE' },
    });
    expect(await api.connections.test('missing')).toMatchObject({
      ok: false,
      error: expect.stringContaining('reads "NOPE" from the key store, which has no such key'),
    });
    await service.close();
  });

  it("is the desktop app's alone: browser mode says to use environment variables", async () => {
    const userDataDir = mkdtempSync(path.join(tmpdir(), 'drpo-keys-'));
    const { api, close } = createStudioService({ userDataDir });
    expect(await api.secrets.list()).toEqual({ available: false, names: [], weak: false });
    await expect(api.secrets.set('K', 'v')).rejects.toThrow(/put keys in environment variables/);
    await api.connections.save('cloud', {
      plugin: 'openai',
      settings: { baseURL: server.baseURL, model: 'gpt-test', apiKey: 'store:OPENAI_KEY' },
    });
    expect(await api.connections.test('cloud')).toMatchObject({
      ok: false,
      error: expect.stringContaining('only the desktop app has'),
    });
    await close();
  });
});
