// Settings changes from everywhere at once — one store object, many, another process — all
// land: each takes the file's lock and applies itself to what is on disk.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SettingsStore } from '../../src/main/store/settingsStore.js';

describe('concurrent settings saves', () => {
  it('keeps all of 20 concurrent saves, from one store object, from many, and from another process', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drpo-settings-'));
    const one = await SettingsStore.open(dir);
    const saves = Array.from({ length: 20 }, async (_, i) => {
      // Even saves share one store object; odd ones each open their own, as the studio's API calls do.
      const store = i % 2 === 0 ? one : await SettingsStore.open(dir);
      await store.update((s) => {
        s.connections[`c${i}`] = { plugin: 'ollama', settings: { model: `m${i}` } };
      });
    });
    // A second process (the built module, as the CLI runs it) saves 10 more at the same time.
    const storeModule = path.resolve(import.meta.dirname, '../../dist/main/store/settingsStore.js');
    const script = `
      const { SettingsStore } = await import(${JSON.stringify(storeModule)});
      await Promise.all(Array.from({ length: 10 }, async (_, i) => {
        const store = await SettingsStore.open(${JSON.stringify(dir)});
        await store.update((s) => { s.prices['p' + i] = { input: i, output: 1 }; });
      }));`;
    const other = promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
    await Promise.all([...saves, other]);
    const saved = JSON.parse(readFileSync(path.join(dir, 'settings.json'), 'utf8'));
    expect(Object.keys(saved.connections).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `c${i}`).sort());
    expect(Object.keys(saved.prices).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `p${i}`).sort());
    expect(readdirSync(dir)).toEqual(['settings.json']); // no lock or temporary file left behind
  });
});
