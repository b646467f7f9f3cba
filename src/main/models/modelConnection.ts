// The embedded (llama-cpp) connection saved for a downloaded model. Its name is the one asked for,
// else the file's name in lower case without `.gguf`. An existing connection of that name for the
// same file is kept as it is (pulling twice changes nothing); one for anything else is never
// overwritten: a name that was asked for is refused (the user chose it, so a silent "-2" would
// surprise), a derived name moves on to the first free "-2", "-3"…
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { PluginRegistry } from '../plugins/pluginRegistry.js';
import { checkSettings } from '../plugins/pluginSettings.js';
import { SettingsStore, type StudioSettings } from '../store/settingsStore.js';

const PLUGIN = 'llama-cpp';
const NAME = /^[\w.-]+$/;

/** The name a connection for `fileName` gets unless one is asked for. */
export function connectionNameFor(fileName: string): string {
  return fileName.replace(/\.gguf$/i, '').toLowerCase();
}

/** Refuses a requested name that cannot be a connection's, before anything downloads. */
export function checkConnectionName(name: string): void {
  if (!NAME.test(name)) throw new Error(`a connection name is letters, digits, '.', '_' and '-' (got "${name}")`);
}

/**
 * A laptop's settings: one CPU thread per physical core (about half the logical ones), at most 8;
 * the rest are the plugin's defaults (context 4096, one request at a time, CPU).
 */
function laptopSettings(modelPath: string): Record<string, unknown> {
  return { modelPath, threads: Math.min(8, Math.max(1, Math.floor(availableParallelism() / 2))) };
}

/** Saves the connection for the model at `modelPath`; returns its name. */
export async function saveModelConnection(userDataDir: string, modelPath: string, requested?: string): Promise<string> {
  if (requested !== undefined) checkConnectionName(requested);
  const registry = new PluginRegistry({ userPluginsDir: path.join(userDataDir, 'plugins'), enabled: [] });
  const settings = checkSettings((await registry.load(PLUGIN)).manifest, laptopSettings(modelPath));
  const store = await SettingsStore.open(userDataDir);
  let chosen = '';
  // Chosen inside the change: it sees the settings as they are on disk under the lock.
  await store.update((draft) => {
    chosen = pickName(
      draft,
      modelPath,
      requested ?? connectionNameFor(path.basename(modelPath)),
      requested !== undefined,
    );
    draft.connections[chosen] ??= { plugin: PLUGIN, settings };
  });
  return chosen;
}

function pickName(draft: StudioSettings, modelPath: string, base: string, requested: boolean): string {
  const ours = (name: string) => {
    const c = draft.connections[name];
    return !c || (c.plugin === PLUGIN && c.settings.modelPath === modelPath);
  };
  if (ours(base)) return base;
  if (requested)
    throw new Error(
      `a connection named "${base}" already exists for another model; choose another name or remove it first`,
    );
  for (let i = 2; ; i++) if (ours(`${base}-${i}`)) return `${base}-${i}`;
}
