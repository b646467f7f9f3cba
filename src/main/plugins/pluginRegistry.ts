// Finds and loads backend plugins. Built-ins ship in src/plugins (imported statically, so a
// bundler keeps them); user plugins are folders under <user data>/plugins, each a manifest.json
// and an ES module whose default export is a BackendPlugin, and load only once enabled. A bad
// manifest or a module that throws gives a PluginLoadError naming the plugin; it never takes the
// studio or a run down with it.
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BackendPlugin } from '../../plugins/contract.js';
import { ownValue } from '../../shared/ownProperty.js';
import { type ValidManifest, validateManifest } from './pluginManifest.js';

export class PluginLoadError extends Error {
  constructor(
    readonly pluginId: string,
    message: string,
  ) {
    super(message);
    this.name = 'PluginLoadError';
  }
}

export interface LoadedPlugin {
  manifest: ValidManifest;
  plugin: BackendPlugin;
  source: 'builtin' | 'user';
}

export interface PluginListing {
  id: string;
  source: 'builtin' | 'user';
  enabled: boolean;
  manifest?: ValidManifest;
  dir?: string;
  /** Why the plugin cannot be used, when it cannot. */
  error?: string;
}

type ModuleLoader = () => Promise<[{ default: unknown }, { default: unknown }]>;

const BUILTINS: Record<string, ModuleLoader> = {
  'llama-cpp': () =>
    Promise.all([
      import('../../plugins/llama-cpp/manifest.json', { with: { type: 'json' } }),
      import('../../plugins/llama-cpp/index.js'),
    ]),
  ollama: () =>
    Promise.all([
      import('../../plugins/ollama/manifest.json', { with: { type: 'json' } }),
      import('../../plugins/ollama/index.js'),
    ]),
  openai: () =>
    Promise.all([
      import('../../plugins/openai/manifest.json', { with: { type: 'json' } }),
      import('../../plugins/openai/index.js'),
    ]),
  vllm: () =>
    Promise.all([
      import('../../plugins/vllm/manifest.json', { with: { type: 'json' } }),
      import('../../plugins/vllm/index.js'),
    ]),
};

export const BUILTIN_PLUGIN_IDS = Object.keys(BUILTINS);

function asPlugin(id: string, exported: unknown): BackendPlugin {
  if (!exported || typeof (exported as BackendPlugin).create !== 'function') {
    throw new PluginLoadError(
      id,
      `plugin "${id}": its module's default export must be an object with a create(settings, context) function`,
    );
  }
  return exported as BackendPlugin;
}

/**
 * The plugin's module, by its real path (so a folder linked in for development resolves its own
 * imports), which must lie inside the plugin's real folder: a manifest cannot point the studio
 * at code elsewhere on the disk.
 */
function moduleInsideFolder(id: string, dir: string, main: string): string {
  const root = realpathSync(dir);
  let file: string;
  try {
    file = realpathSync(path.resolve(root, main));
  } catch {
    throw new PluginLoadError(id, `plugin "${id}": its module ${main} does not exist in ${dir}`);
  }
  const inside = path.relative(root, file);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside))
    throw new PluginLoadError(id, `plugin "${id}": its module ${main} lies outside its folder ${dir}; refused`);
  return file;
}

export interface PluginRegistryOptions {
  /** Folder of user plugins (<user data>/plugins); absent: built-ins only. */
  userPluginsDir?: string;
  /** Ids of the user plugins the user has enabled. */
  enabled: readonly string[];
}

export class PluginRegistry {
  private readonly loaded = new Map<string, Promise<LoadedPlugin>>();

  constructor(private readonly options: PluginRegistryOptions) {}

  /** Every plugin there is, usable or not, with the reason when not. Never throws. */
  discover(): PluginListing[] {
    const listings: PluginListing[] = BUILTIN_PLUGIN_IDS.map((id) => ({ id, source: 'builtin', enabled: true }));
    const user = this.userFolders().map((dir) => this.describeUserFolder(dir));
    // Two folders claiming one id: neither may load, or which code runs would depend on folder order.
    const claims = new Map<string, number>();
    for (const listing of user) claims.set(listing.id, (claims.get(listing.id) ?? 0) + 1);
    for (const listing of user) {
      if ((claims.get(listing.id) ?? 0) > 1 && !listing.error) {
        const others = user.filter((l) => l.id === listing.id && l !== listing).map((l) => l.dir);
        listings.push({
          ...listing,
          enabled: false,
          error: `plugin "${listing.id}" (${listing.dir}): another folder claims the same id (${others.join(', ')}); remove one`,
        });
      } else listings.push(listing);
    }
    return listings;
  }

  load(id: string): Promise<LoadedPlugin> {
    let pending = this.loaded.get(id);
    if (!pending) {
      pending = this.importPlugin(id);
      this.loaded.set(id, pending);
      pending.catch(() => this.loaded.delete(id));
    }
    return pending;
  }

  private async importPlugin(id: string): Promise<LoadedPlugin> {
    const builtin = ownValue(BUILTINS, id);
    if (builtin) {
      const [manifestModule, pluginModule] = await builtin();
      const checked = validateManifest(manifestModule.default);
      if (!checked.ok) throw new PluginLoadError(id, `built-in plugin "${id}": ${checked.error}`);
      return { manifest: checked.manifest, plugin: asPlugin(id, pluginModule.default), source: 'builtin' };
    }
    const listing = this.discover().find((p) => p.source === 'user' && p.id === id);
    if (!listing) {
      const known = this.discover()
        .filter((p) => !p.error)
        .map((p) => p.id);
      throw new PluginLoadError(id, `no backend plugin "${id}" (available: ${known.join(', ')})`);
    }
    if (listing.error) throw new PluginLoadError(id, listing.error);
    if (!listing.enabled)
      throw new PluginLoadError(
        id,
        `plugin "${id}" is installed in ${listing.dir} but not enabled: enable it first (drpo-studio plugins enable ${id})`,
      );
    const manifest = listing.manifest!;
    const file = moduleInsideFolder(id, listing.dir!, manifest.main ?? 'index.js');
    let module: { default?: unknown };
    try {
      module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    } catch (error) {
      throw new PluginLoadError(id, `plugin "${id}" failed to load from ${file}: ${(error as Error).message}`);
    }
    return { manifest, plugin: asPlugin(id, module.default), source: 'user' };
  }

  private userFolders(): string[] {
    const dir = this.options.userPluginsDir;
    if (!dir || !existsSync(dir)) return [];
    // A folder or a link to one; a link to nothing is listed too (as damaged), a plain file is not a plugin.
    return readdirSync(dir)
      .map((name) => path.join(dir, name))
      .filter((p) => statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? lstatSync(p).isSymbolicLink())
      .sort();
  }

  private describeUserFolder(dir: string): PluginListing {
    const folderId = path.basename(dir);
    if (!existsSync(dir))
      return { id: folderId, source: 'user', enabled: false, dir, error: `plugin folder ${dir} links to nothing` };
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    } catch (error) {
      const reason =
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'has no manifest.json'
          : `has a manifest.json that is not valid JSON (${(error as Error).message})`;
      return { id: folderId, source: 'user', enabled: false, dir, error: `plugin folder ${dir} ${reason}` };
    }
    const id = typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : folderId;
    const checked = validateManifest(raw);
    if (!checked.ok)
      return { id, source: 'user', enabled: false, dir, error: `plugin "${id}" (${dir}): ${checked.error}` };
    if (Object.hasOwn(BUILTINS, id))
      return {
        id,
        source: 'user',
        enabled: false,
        dir,
        error: `plugin "${id}" (${dir}) has the id of a built-in plugin; give it another id`,
      };
    return { id, source: 'user', enabled: this.options.enabled.includes(id), manifest: checked.manifest, dir };
  }
}
