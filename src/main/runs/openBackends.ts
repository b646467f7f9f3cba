// Opens the backends a run's roles use: one plugin client and one scheduler per backend, shared
// by every role on it, so the backend's concurrency limit holds across roles. Settings are
// checked against the plugin's manifest, secrets resolved from the environment (and kept out of
// cache keys), prices looked up, and a concurrency above what the server serves is lowered
// with a warning. Which settings, keys and plugins load is the host's choice (its user-data
// folder), never the config's: a shared config or bundle cannot point the studio at another's.
// A client that can probe its server is probed the first time its connection opens; what it
// found is kept (store/serverProfiles.ts) and handed back to the plugin at every later open.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Capabilities, DeclaredCapacity, ModelClient, ServerProfile } from '../../plugins/contract.js';
import { ownValue } from '../../shared/ownProperty.js';
import { LIMITS } from '../../shared/requestLimits.js';
import { StudioApiError } from '../../shared/studioApiError.js';
import type { BackendConfig, RunConfig } from '../config/runConfig.js';
import { BackendScheduler } from '../llm/backendScheduler.js';
import { callKey } from '../llm/callCache.js';
import type { Role } from '../llm/callLedger.js';
import type { Backend } from '../llm/roleClient.js';
import { acquireScheduler, type SharedScheduler, schedulerInUse } from '../llm/schedulerPool.js';
import { PluginRegistry } from '../plugins/pluginRegistry.js';
import { checkSettings, resolveSecrets, type SecretSource } from '../plugins/pluginSettings.js';
import { resourcePath } from '../resourcePaths.js';
import { readServerProfiles, saveProfile, storedProfile } from '../store/serverProfiles.js';
import { defaultUserDataDir, type Price, SettingsStore } from '../store/settingsStore.js';
import { probeAndKeep, profileIdentity } from './serverProbe.js';

export interface OpenBackends {
  byName: Map<string, Backend>;
  /**
   * Calls `listener` with every warning so far, then with each later one: a plugin may warn in
   * the middle of a run (a capability it had to give up), not only while it opens.
   */
  onWarning(listener: (message: string) => void): void;
  /**
   * The same for notices: what a plugin log()s (a workaround of a server's quirk) informs, it
   * does not warn. Each message once, however often the plugin says it.
   */
  onNotice(listener: (message: string) => void): void;
  /** Probes made while opening (no profile was kept yet): the backend's name and what it found. */
  probes: { backend: string; profile: ServerProfile }[];
  dispose(): Promise<void>;
}

/** Messages kept until someone listens, then passed on as they come; each distinct message once. */
function messageChannel() {
  const seen: string[] = [];
  const listeners: ((message: string) => void)[] = [];
  return {
    send(message: string) {
      if (seen.includes(message)) return;
      seen.push(message);
      for (const listener of listeners) listener(message);
    },
    listen(listener: (message: string) => void) {
      listeners.push(listener);
      for (const message of seen) listener(message);
    },
  };
}

/** The shipped prices (resources/prices.json) under the user's own (settings `prices`). */
export function priceTable(store: SettingsStore): Record<string, Price> {
  const shipped = JSON.parse(readFileSync(resourcePath('prices.json'), 'utf8')) as Record<string, Price | string>;
  const table: Record<string, Price> = {};
  for (const [model, price] of Object.entries(shipped)) if (typeof price === 'object') table[model] = price;
  return { ...table, ...store.data.prices };
}

/** Opens the backends of `roles`, plus `extra` backends by name (e.g. the retrieval embedder's). */
export function openBackends(
  config: RunConfig,
  roles: readonly Role[],
  extra: readonly string[] = [],
  host: BackendHost = {},
): Promise<OpenBackends> {
  return openNamedBackends(config, [...roles.map((role) => config.roles[role].backend!), ...extra], host);
}

/** What opening backends needs of a config: the backend table and where its relative paths resolve. */
type BackendTable = Pick<RunConfig, 'backends' | 'baseDir'>;

/** Where the process that opens backends keeps what they need: its environment, key store and user-data folder. */
export interface BackendHost {
  env?: NodeJS.ProcessEnv;
  /** The desktop app's key store, for "store:NAME" secrets. */
  secrets?: SecretSource;
  /** Its settings (saved connections, enabled plugins) and user plugins; default $DRPO_STUDIO_HOME or ~/.drpo-studio. */
  userDataDir?: string;
  /** Who uses the backends (a run's or an experiment's id): its calls queue in a lane of their own. */
  consumer?: string;
  /** Probe a server whose profile is not kept yet (default true); an outage watch or a connection test does not. */
  probe?: boolean;
  /**
   * How long a call waits out a full server (429/503) in all before it fails (default the
   * scheduler's 10 min); a try on one query waits less. Holds where this open creates the
   * connection's scheduler (a connection already in use keeps its own).
   */
  maxOverloadWaitMs?: number;
}

async function settingsContext(host: BackendHost) {
  const userDataDir = host.userDataDir ?? defaultUserDataDir(host.env ?? process.env);
  const store = await SettingsStore.open(userDataDir);
  const registry = new PluginRegistry({
    userPluginsDir: path.join(userDataDir, 'plugins'),
    enabled: store.data.enabledPlugins,
  });
  return { store, registry, userDataDir };
}

/** A backend's plugin and its settings (a saved connection's, then the config's own), checked against the manifest. */
async function backendSettings(
  context: Awaited<ReturnType<typeof settingsContext>>,
  name: string,
  backend: BackendConfig,
) {
  const { store, registry } = context;
  if (backend.needsConnection)
    throw new StudioApiError(
      'conflict',
      `backend "${name}" needs a connection: bind it to one of your saved connections first`,
    );
  const saved = backend.connection ? ownValue(store.data.connections, backend.connection) : undefined;
  if (backend.connection && !saved)
    throw new Error(`backend "${name}": no saved connection "${backend.connection}" in ${store.file}`);
  const pluginId = saved?.plugin ?? backend.plugin!;
  const { manifest, plugin } = await registry.load(pluginId);
  return { pluginId, manifest, plugin, settings: checkSettings(manifest, { ...saved?.settings, ...backend.settings }) };
}

/** What a backend is, without opening it: its plugin, the capabilities its manifest declares, its kept profile. */
export interface BackendDescription {
  name: string;
  pluginId: string;
  capabilities: Capabilities;
  /** The key its profile is kept under (store/serverProfiles.ts). */
  profileKey: string;
  profile?: ServerProfile;
}

/** Describes the named backends of `config` (each once); throws as opening would for a refused setting or plugin. */
export async function describeBackends(
  config: BackendTable,
  backendNames: readonly string[],
  host: BackendHost = {},
): Promise<BackendDescription[]> {
  const context = await settingsContext(host);
  return Promise.all(
    [...new Set(backendNames)].map(async (name) => {
      const { pluginId, manifest, settings } = await backendSettings(context, name, config.backends[name]!);
      const profileKey = profileIdentity(pluginId, manifest, settings, config.baseDir);
      const profile = storedProfile(context.userDataDir, profileKey);
      return { name, pluginId, capabilities: manifest.capabilities, profileKey, ...(profile ? { profile } : {}) };
    }),
  );
}

/** The kept profile of each saved connection (its own settings), for the Connections screen. */
export async function connectionProfiles(host: BackendHost): Promise<Record<string, ServerProfile | undefined>> {
  const context = await settingsContext(host);
  const { profiles } = readServerProfiles(context.userDataDir);
  const found: Record<string, ServerProfile | undefined> = {};
  for (const [name, saved] of Object.entries(context.store.data.connections)) {
    try {
      const { manifest } = await context.registry.load(saved.plugin);
      const key = profileIdentity(saved.plugin, manifest, checkSettings(manifest, saved.settings), context.userDataDir);
      found[name] = ownValue(profiles, key);
    } catch {
      found[name] = undefined; // a plugin that cannot load has no profile to show; the screen says why elsewhere
    }
  }
  return found;
}

/**
 * Checks every backend's settings (a literal API key above all) before a run or an experiment
 * writes its config to a folder, so a refused setting never reaches the disk.
 */
export async function checkBackendSettings(config: BackendTable, host: BackendHost = {}): Promise<void> {
  const context = await settingsContext(host);
  for (const [name, backend] of Object.entries(config.backends)) await backendSettings(context, name, backend);
}

/** Opens the named backends of `config` (each once). */
export async function openNamedBackends(
  config: BackendTable,
  backendNames: readonly string[],
  host: BackendHost = {},
): Promise<OpenBackends> {
  const context = await settingsContext(host);
  const prices = priceTable(context.store);
  const byName = new Map<string, Backend>();
  const shared: SharedScheduler[] = [];
  const warnings = messageChannel();
  const notices = messageChannel();
  const probes: OpenBackends['probes'] = [];
  const damaged = readServerProfiles(context.userDataDir).damaged;
  if (damaged) warnings.send(`the kept server profiles are ignored: ${damaged}; servers are probed again`);
  const names = [...new Set(backendNames)];
  const consumer = host.consumer ?? `consumer-${++consumers}`;
  const close = async () => {
    for (const s of shared) s.release();
    await Promise.all([...byName.values()].map((b) => b.client.dispose()));
  };
  try {
    for (const name of names) {
      const backend = config.backends[name]!;
      const { pluginId, manifest, plugin, settings } = await backendSettings(context, name, backend);
      const serverKey = profileIdentity(pluginId, manifest, settings, config.baseDir);
      const known = storedProfile(context.userDataDir, serverKey);
      const client = await plugin.create(resolveSecrets(manifest, settings, host.env ?? process.env, host.secrets), {
        baseDir: config.baseDir,
        log: (message) => notices.send(`${name}: ${message}`),
        ...(known ? { profile: known } : {}),
      });
      const model = typeof settings.model === 'string' ? settings.model : undefined;
      // Secrets stay references here: the identity is hashed into cache keys.
      const identity = `${pluginId}:${callKey({ settings, baseDir: config.baseDir })}`;
      if (!known && client.probe && host.probe !== false) {
        const profile = await probeAndKeep(
          client,
          (found) => saveProfile(context.userDataDir, serverKey, pluginId, found),
          (message) => warnings.send(`${name}: ${message}`),
        );
        if (profile) probes.push({ backend: name, profile });
      }
      const poolKey = backend.connection ? `connection:${backend.connection}` : identity;
      // A connection already in use keeps its scheduler: asking the server again would only cost a request.
      const declared = await declaredCapacity(pluginId, client, backend.concurrency, !schedulerInUse(poolKey));
      if (backend.concurrency !== 'auto' && declared && backend.concurrency > declared.limit)
        warnings.send(
          `${name}: the run asks for ${backend.concurrency} requests at once, but the server serves ${declared.limit} at a time; using ${declared.limit} (raise the server's own limit, e.g. OLLAMA_NUM_PARALLEL, and the plugin's setting to go faster)`,
        );
      const connection = acquireScheduler(
        poolKey,
        backend.connection ?? name,
        () =>
          new BackendScheduler({
            concurrency: backend.concurrency,
            declared,
            maxRetries: backend.maxRetries,
            baseDelayMs: backend.retryBaseDelayMs,
            maxDelayMs: backend.retryMaxDelayMs,
            requestsPerMinute: backend.requestsPerMinute,
            maxOverloadWaitMs: host.maxOverloadWaitMs,
          }),
      );
      shared.push(connection);
      byName.set(name, {
        name,
        identity,
        client,
        scheduler: connection.scheduler.lane(consumer),
        ...(model ? { model } : {}),
        price: backend.price ?? (model ? ownValue(prices, model) : undefined),
      });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { byName, onWarning: warnings.listen, onNotice: notices.listen, probes, dispose: close };
}

let consumers = 0;

/**
 * What the backend serves at once: the plugin's own limit (its settings, an embedded model's
 * sequences) first; for 'auto', else what the server says (asked once, at most a few seconds).
 */
async function declaredCapacity(
  pluginId: string,
  client: ModelClient,
  concurrency: BackendConfig['concurrency'],
  askServer: boolean,
): Promise<DeclaredCapacity | undefined> {
  if (client.maxParallel !== undefined) return { limit: client.maxParallel, source: `the ${pluginId} plugin` };
  if (concurrency !== 'auto' || !askServer || !client.declaredCapacity) return undefined;
  try {
    const said = await client.declaredCapacity(AbortSignal.timeout(5_000));
    // A user plugin's answer is checked like any input: a whole number in the config's own range.
    const { limit, source } = said ?? {};
    if (!Number.isInteger(limit) || limit! < 1 || limit! > LIMITS.concurrency) return undefined;
    return { limit: limit!, source: typeof source === 'string' ? source.slice(0, 200) : `the ${pluginId} plugin` };
  } catch {
    return undefined; // a probe that fails says nothing about capacity: 'auto' probes by load instead
  }
}
