import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsStore } from '../../src/main/store/settingsStore.js';

describe('the settings store', () => {
  it('writes atomically and reads back what it wrote', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drpo-settings-'));
    const store = await SettingsStore.open(dir);
    await store.update((s) => {
      s.enabledPlugins.push('llama-server');
      s.connections.cloud = { plugin: 'openai', settings: { model: 'gpt-4o-mini', apiKey: 'env:OPENAI_API_KEY' } };
    });
    expect(readdirSync(dir)).toEqual(['settings.json']); // no temporary file left behind
    const again = await SettingsStore.open(dir);
    expect(again.data.enabledPlugins).toEqual(['llama-server']);
    expect(again.data.connections.cloud!.settings.apiKey).toBe('env:OPENAI_API_KEY');
  });

  it('refuses an invalid change and keeps the file as it was', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drpo-settings-'));
    const store = await SettingsStore.open(dir);
    await store.update((s) => {
      s.prices['my-model'] = { input: 1, output: 2 };
    });
    const before = readFileSync(path.join(dir, 'settings.json'), 'utf8');
    await expect(
      store.update((s) => {
        s.prices['my-model'] = { input: -1, output: 2 };
      }),
    ).rejects.toThrow();
    expect(readFileSync(path.join(dir, 'settings.json'), 'utf8')).toBe(before);
  });

  it('reports a damaged file and leaves it untouched', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drpo-settings-'));
    writeFileSync(path.join(dir, 'settings.json'), '{"enabledPlugins": [');
    await expect(SettingsStore.open(dir)).rejects.toThrow(/is not valid JSON .*left untouched/);
    expect(readFileSync(path.join(dir, 'settings.json'), 'utf8')).toBe('{"enabledPlugins": [');
  });
  it('writes the settings file for the user alone (0600) in a folder for the user alone (0700)', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'drpo-settings-')), 'user-data');
    const store = await SettingsStore.open(dir);
    await store.update((s) => {
      s.enabledPlugins.push('x');
    });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, 'settings.json')).mode & 0o777).toBe(0o600);
  });
  it('reads a file from before detect addresses as having none, and refuses one that is not an http(s) URL', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drpo-settings-'));
    const older = '{"enabledPlugins":[],"connections":{},"prices":{}}';
    writeFileSync(path.join(dir, 'settings.json'), older);
    expect((await SettingsStore.open(dir)).data.detectAddresses).toEqual([]);
    writeFileSync(path.join(dir, 'settings.json'), '{"detectAddresses":["file:///etc/passwd"]}');
    await expect(SettingsStore.open(dir)).rejects.toThrow(/is invalid: .*detectAddresses/s);
  });
});
