// Server profiles: kept per backend identity without a secret, a damaged file reported and
// replaced, and a connection probed once: the next open hands the kept profile to the plugin.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/main/config/runConfig.js';
import { openNamedBackends } from '../../src/main/runs/openBackends.js';
import {
  readServerProfiles,
  SERVER_PROFILES_FILE,
  saveProfile,
  storedProfile,
} from '../../src/main/store/serverProfiles.js';
import { SettingsStore } from '../../src/main/store/settingsStore.js';
import type { ServerProfile } from '../../src/plugins/contract.js';

const PROFILE: ServerProfile = {
  probedAt: 1_700_000_000_000,
  server: 'fake 1.0',
  json: { chat: 'response_format:json_object', completion: null },
  multipleSamples: false,
  requests: 3,
  summary: 'JSON on chat: json_object + schema; n>1: no',
};

/** A user plugin whose client probes: each create and probe is written down on globalThis. */
const PLUGIN_SOURCE = `
export default {
  async create(settings, context) {
    const log = (globalThis.__probing ??= { creates: [], probes: 0 });
    log.creates.push({ settings, profile: context.profile });
    return {
      capabilities: { chat: true, completion: true, multipleSamples: true, jsonSchema: true, seed: true, embeddings: false, listModels: false },
      async generate() { return { texts: ['ok'], usage: { promptTokens: 1, completionTokens: 1 } }; },
      async probe() { log.probes += 1; return ${JSON.stringify(PROFILE)}; },
      async dispose() {},
    };
  },
};
`;

async function userDataWithProbingPlugin(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'drpo-profiles-'));
  const pluginDir = path.join(dir, 'plugins', 'probing');
  mkdirSync(pluginDir, { recursive: true });
  writeFileSync(
    path.join(pluginDir, 'manifest.json'),
    JSON.stringify({
      id: 'probing',
      version: '1.0.0',
      apiVersion: 1,
      name: 'Probing (tests)',
      main: 'index.js',
      capabilities: {
        chat: true,
        completion: true,
        multipleSamples: true,
        jsonSchema: true,
        seed: true,
        embeddings: false,
        listModels: false,
      },
      settings: [
        { key: 'url', title: 'URL', type: 'string' },
        { key: 'apiKey', title: 'Key', type: 'secret' },
      ],
    }),
  );
  writeFileSync(path.join(pluginDir, 'index.js'), PLUGIN_SOURCE);
  await (await SettingsStore.open(dir)).update((s) => void s.enabledPlugins.push('probing'));
  return dir;
}

const probing = () =>
  (globalThis as unknown as { __probing: { creates: { profile?: ServerProfile }[]; probes: number } }).__probing;

describe('server profiles', () => {
  it('round-trips a profile under its key', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drpo-profiles-'));
    await saveProfile(dir, 'openai:abc', 'openai', PROFILE);
    expect(storedProfile(dir, 'openai:abc')).toEqual(PROFILE);
    expect(storedProfile(dir, 'openai:other')).toBeUndefined();
  });

  it('refuses a malformed profile from a plugin', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drpo-profiles-'));
    await expect(saveProfile(dir, 'k', 'p', { ...PROFILE, json: { chat: 'grammar' as never } })).rejects.toThrow();
  });

  it('reads a damaged file as empty, says why, and replaces it at the next save', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drpo-profiles-'));
    writeFileSync(path.join(dir, SERVER_PROFILES_FILE), '{"version": 1, "profiles": {');
    expect(readServerProfiles(dir)).toMatchObject({
      profiles: {},
      damaged: expect.stringMatching(/not readable JSON/),
    });
    expect(storedProfile(dir, 'k')).toBeUndefined();
    await saveProfile(dir, 'k', 'p', PROFILE);
    expect(readServerProfiles(dir).damaged).toBeUndefined();
    expect(storedProfile(dir, 'k')).toEqual(PROFILE);
  });

  it('probes a connection once, keeps no secret, and hands the kept profile to the plugin at the next open', async () => {
    const dir = await userDataWithProbingPlugin();
    const config = normalizeConfig(
      {
        backends: { srv: { plugin: 'probing', settings: { url: 'http://x', apiKey: 'env:PROBE_KEY' } } },
        cacheDir: null,
      },
      dir,
    );
    const host = { userDataDir: dir, env: { PROBE_KEY: 'sk-very-secret-123' } };
    const first = await openNamedBackends(config, ['srv'], host);
    expect(first.probes).toEqual([{ backend: 'srv', profile: PROFILE }]);
    await first.dispose();
    expect(probing().probes).toBe(1);
    expect(probing().creates[0]!.profile).toBeUndefined();

    const second = await openNamedBackends(config, ['srv'], host);
    expect(second.probes).toEqual([]); // nothing probed: the kept profile is handed back
    await second.dispose();
    expect(probing().probes).toBe(1);
    expect(probing().creates[1]!.profile).toEqual(PROFILE);

    const file = readFileSync(path.join(dir, SERVER_PROFILES_FILE), 'utf8');
    expect(file).not.toContain('sk-very-secret-123');
    expect(file).not.toContain('PROBE_KEY'); // keyed by a hash of the settings, not the settings themselves
    expect(Object.keys(JSON.parse(file).profiles)).toEqual([expect.stringMatching(/^probing:[0-9a-f]{32}$/)]);

    // A damaged file is reported as a warning, the server probed again, and the file rewritten whole.
    writeFileSync(path.join(dir, SERVER_PROFILES_FILE), 'not json');
    const third = await openNamedBackends(config, ['srv'], host);
    const warnings: string[] = [];
    third.onWarning((w) => warnings.push(w));
    await third.dispose();
    expect(warnings).toEqual([expect.stringMatching(/kept server profiles are ignored: .*not readable JSON/)]);
    expect(probing().probes).toBe(2);
    expect(readServerProfiles(dir).damaged).toBeUndefined();
  });
});
