import { describe, expect, it } from 'vitest';
import { validateManifest } from '../../src/main/plugins/pluginManifest.js';
import { checkSettings, resolveSecrets } from '../../src/main/plugins/pluginSettings.js';
import type { PluginManifest } from '../../src/plugins/contract.js';

const manifest: PluginManifest = {
  id: 'demo',
  version: '1.0.0',
  apiVersion: 1,
  name: 'Demo',
  capabilities: {
    chat: true,
    completion: false,
    multipleSamples: false,
    jsonSchema: false,
    seed: false,
    embeddings: false,
    listModels: false,
  },
  settings: [
    { key: 'model', title: 'Model', type: 'string', required: true },
    { key: 'apiKey', title: 'API key', type: 'secret' },
    { key: 'slots', title: 'Slots', type: 'number', default: 2 },
    { key: 'endpoints', title: 'Endpoints', type: 'string-list' },
  ],
};

describe('plugin settings', () => {
  it('fills defaults and keeps secrets as references', () => {
    expect(checkSettings(manifest, { model: 'm', apiKey: 'env:DEMO_KEY' })).toEqual({
      model: 'm',
      apiKey: 'env:DEMO_KEY',
      slots: 2,
    });
  });

  it('refuses a literal secret, without repeating it', () => {
    let message = '';
    try {
      checkSettings(manifest, { model: 'm', apiKey: 'sk-live-123456' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/"apiKey" is a secret and is never stored in a file: write "env:NAME"/);
    expect(message).not.toContain('sk-live-123456');
  });

  it('names missing, mistyped and unknown settings', () => {
    expect(() => checkSettings(manifest, {})).toThrow('plugin "demo": setting "model" (Model) is required');
    expect(() => checkSettings(manifest, { model: 'm', slots: 'two' })).toThrow('setting "slots" must be a number');
    expect(() => checkSettings(manifest, { model: 'm', endpoints: 'http://a' })).toThrow(
      'setting "endpoints" must be a list of strings',
    );
    expect(() => checkSettings(manifest, { model: 'm', modle: 'x' })).toThrow('plugin "demo" has no setting "modle"');
  });

  it('resolves secrets from the environment for the plugin only, and says which variable is missing', () => {
    const settings = checkSettings(manifest, { model: 'm', apiKey: 'env:DEMO_KEY' });
    expect(resolveSecrets(manifest, settings, { DEMO_KEY: 'k' })).toMatchObject({ apiKey: 'k' });
    expect(settings.apiKey).toBe('env:DEMO_KEY');
    expect(() => resolveSecrets(manifest, settings, {})).toThrow(
      'reads the environment variable DEMO_KEY, which is not set',
    );
  });
});

describe('plugin manifests', () => {
  it('accepts a valid manifest and explains an invalid one', () => {
    expect(validateManifest(manifest).ok).toBe(true);
    const bad = validateManifest({ ...manifest, id: 'Bad Id', capabilities: { chat: 'yes' } });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/invalid manifest: .*id/);
    expect(validateManifest({ ...manifest, apiVersion: 2 })).toEqual({
      ok: false,
      error: 'written for plugin API 2; this studio speaks plugin API 1',
    });
  });
});
