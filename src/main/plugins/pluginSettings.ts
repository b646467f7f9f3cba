// Settings as a plugin receives them: defaults filled, types checked, required ones present,
// secrets resolved from the environment. A secret is never written in a settings or config
// file: there it is "env:NAME", so run folders, logs and exported bundles only ever hold the
// variable's name.
import type { PluginManifest } from '../../plugins/contract.js';
import { ownValue } from '../../shared/ownProperty.js';

/** "env:NAME" (an environment variable) or "store:NAME" (the desktop app's encrypted key store). */
export const SECRET_REFERENCE = /^(env|store):([A-Za-z_][A-Za-z0-9_]*)$/;

/** Where "store:NAME" secrets are read; absent outside the desktop app. */
export interface SecretSource {
  get(name: string): string | undefined;
}

function typeError(manifest: PluginManifest, key: string, expected: string): Error {
  return new Error(`plugin "${manifest.id}": setting "${key}" must be ${expected}`);
}

/** Settings with secrets left as references: safe to store, log and hash into cache keys. */
export function checkSettings(manifest: PluginManifest, raw: Record<string, unknown>): Record<string, unknown> {
  const known = new Set(manifest.settings.map((f) => f.key));
  const unknown = Object.keys(raw).filter((k) => !known.has(k));
  if (unknown.length > 0)
    throw new Error(
      `plugin "${manifest.id}" has no setting ${unknown.map((k) => `"${k}"`).join(', ')} (it has: ${[...known].join(', ')})`,
    );
  const out: Record<string, unknown> = {};
  for (const field of manifest.settings) {
    const value = ownValue(raw, field.key) ?? field.default;
    if (value === undefined || value === '') {
      if (field.required)
        throw new Error(`plugin "${manifest.id}": setting "${field.key}" (${field.title}) is required`);
      continue;
    }
    switch (field.type) {
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value)) throw typeError(manifest, field.key, 'a number');
        break;
      case 'boolean':
        if (typeof value !== 'boolean') throw typeError(manifest, field.key, 'true or false');
        break;
      case 'string-list':
        if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
          throw typeError(manifest, field.key, 'a list of strings');
        break;
      case 'secret':
        if (typeof value !== 'string' || !SECRET_REFERENCE.test(value)) {
          throw new Error(
            `plugin "${manifest.id}": setting "${field.key}" is a secret and is never stored in a file: write "env:NAME" and put the value in the environment variable NAME (or, in the desktop app, save it in the key store and write "store:NAME")`,
          );
        }
        break;
      default:
        if (typeof value !== 'string') throw typeError(manifest, field.key, 'a string');
    }
    out[field.key] = value;
  }
  return out;
}

/** Replaces each secret reference by its value, for the plugin's eyes only. */
export function resolveSecrets(
  manifest: PluginManifest,
  settings: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  store?: SecretSource,
): Record<string, unknown> {
  const out = { ...settings };
  for (const field of manifest.settings) {
    if (field.type !== 'secret' || typeof out[field.key] !== 'string') continue;
    const [, source, name] = SECRET_REFERENCE.exec(out[field.key] as string)!;
    const where = `plugin "${manifest.id}": setting "${field.key}"`;
    if (source === 'store') {
      if (!store)
        throw new Error(
          `${where} reads "${name}" from the desktop app's key store, which only the desktop app has; here use env:NAME`,
        );
      const value = store.get(name!);
      if (!value) throw new Error(`${where} reads "${name}" from the key store, which has no such key`);
      out[field.key] = value;
      continue;
    }
    const value = env[name!];
    if (value === undefined || value === '')
      throw new Error(`${where} reads the environment variable ${name}, which is not set`);
    out[field.key] = value;
  }
  return out;
}
