// A fresh user-data folder with the scripted test plugin enabled (linked, not copied: the
// plugin's module imports the test helpers by relative path), for studios and CLI runs in tests.
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SettingsStore } from '../../src/main/store/settingsStore.js';

export async function scriptedUserData(prefix = 'drpo-studio-'): Promise<string> {
  const userData = mkdtempSync(path.join(tmpdir(), prefix));
  mkdirSync(path.join(userData, 'plugins'));
  symlinkSync(path.resolve(import.meta.dirname, 'plugins/scripted'), path.join(userData, 'plugins/scripted'));
  const store = await SettingsStore.open(userData);
  await store.update((s) => void s.enabledPlugins.push('scripted'));
  return userData;
}

/** A small run on the scripted plugin; `latencyMs` per call sets how long it runs. */
export const scriptedRun = (latencyMs: number, depth = 2) => ({
  stage: 'system-prompt' as const,
  config: {
    backends: { scripted: { plugin: 'scripted', settings: { latencyMs }, concurrency: 1 } },
    search: { width: 1, samples: 1, depth },
    cacheDir: null,
  },
});
