// What the studio keeps of a run bundle another installation made, and how the user makes it
// runnable. A bundle is somebody else's file: its config is rebuilt here rather than kept, so
// nothing in it can reach the user's keys, files or code. Its search settings, roles and prompts
// stay; every folder and file is the studio's own; each backend keeps only its name and plugin id
// and "needs a connection" (it never opens) until the user binds it to a saved connection of theirs.
import path from 'node:path';
import { z } from 'zod';
import { argumentIssues, invalidArgument, plainMessage } from '../../shared/argumentIssues.js';
import { runConfigSchema } from '../../shared/runConfigSchema.js';
import type { RunBundle } from '../../shared/studioApi.js';
import { StudioApiError } from '../../shared/studioApiError.js';
import { normalizeConfig, type RunConfig } from '../config/runConfig.js';
import { validateAspectCatalog } from '../engine/aspects.js';
import type { AspectCatalog } from '../engine/types.js';
import { BUILTIN_PLUGIN_IDS, PluginRegistry } from '../plugins/pluginRegistry.js';
import { SECRET_REFERENCE } from '../plugins/pluginSettings.js';
import { ICL_EXAMPLES_FILE } from '../runs/runResult.js';
import type { SettingsStore } from '../store/settingsStore.js';

/** A setting a plugin unknown here most likely keeps a secret in (its manifest would say for sure). */
const SECRET_NAME = /key|token|secret|passw|credential/i;

/** The bundle's config as the run config schema reads it; refused, naming the field, when it is not one. */
function parseBundleConfig(config: unknown) {
  // Bundles exported before userDataDir left the config carry one; it is dropped with every other path.
  const { userDataDir: _ignored, ...rest } = (config ?? {}) as Record<string, unknown>;
  const parsed = runConfigSchema.safeParse(rest, { error: plainMessage });
  if (!parsed.success)
    throw invalidArgument(
      'bundle',
      argumentIssues(parsed.error).map((i) => ({ ...i, path: `config${i.path ? `.${i.path}` : ''}` })),
    );
  return parsed.data;
}

/**
 * Refuses a bundle whose backend settings hold a literal secret (a key written out, not "env:NAME"
 * or "store:NAME"), as a config is refused anywhere else: the settings are dropped on import, but
 * a file that carries a key should not be passed on as if it did not.
 */
async function refuseLiteralSecrets(config: RunConfig, settings: SettingsStore): Promise<void> {
  const registry = new PluginRegistry({
    userPluginsDir: path.join(path.dirname(settings.file), 'plugins'),
    enabled: settings.data.enabledPlugins,
  });
  const listings = registry.discover();
  for (const [name, backend] of Object.entries(config.backends)) {
    const id = backend.plugin;
    // A user plugin's manifest is read from its folder (its code is not loaded); a built-in's ships with it.
    const manifest =
      id === undefined
        ? undefined
        : BUILTIN_PLUGIN_IDS.includes(id)
          ? (await registry.load(id)).manifest
          : listings.find((p) => p.id === id)?.manifest;
    const secretKeys = manifest
      ? new Set(manifest.settings.filter((f) => f.type === 'secret').map((f) => f.key))
      : undefined;
    for (const [key, value] of Object.entries(backend.settings)) {
      const secret = secretKeys ? secretKeys.has(key) : SECRET_NAME.test(key);
      if (secret && !(typeof value === 'string' && SECRET_REFERENCE.test(value)))
        throw new StudioApiError(
          'invalid-argument',
          `bundle: backend "${name}": setting "${key}" holds a secret written out; a bundle may only refer to one ("env:NAME"), so it is refused`,
          { issues: [{ path: `config.backends.${name}.settings.${key}`, message: 'a literal secret' }] },
        );
    }
  }
}

/** The config the studio keeps of an imported bundle: inert until bound (see the header). */
export async function importedConfig(
  bundle: RunBundle,
  userDataDir: string,
  settings: SettingsStore,
): Promise<RunConfig> {
  const source = parseBundleConfig(bundle.config);
  await refuseLiteralSecrets(source, settings);
  const embedder = source.retrieval.embedder;
  return normalizeConfig(
    {
      backends: Object.fromEntries(
        Object.entries(source.backends).map(([name, b]) => [
          name,
          { needsConnection: true, ...(b.plugin ? { plugin: b.plugin } : {}) },
        ]),
      ),
      roles: source.roles,
      promptFormat: source.promptFormat,
      initialPrompt: source.initialPrompt,
      search: source.search,
      iclSearch: source.iclSearch,
      // The aspect catalog and meta-prompt folders are paths: the shipped ones stand in (the run's
      // own catalog, where the bundle carries it, is the folder's copy: importedCatalog).
      reward: {
        mode: source.reward.mode,
        minAspects: source.reward.minAspects,
        maxAspects: source.reward.maxAspects,
        allowNewAspects: source.reward.allowNewAspects,
      },
      // A bundle holds no data files, and its events only the queries its search reached (not
      // those of levels it did not reach, nor the ICL set a system-prompt run retrieves from), so
      // no faithful copy can be made of them: the run names the studio's starter data instead,
      // which reads nothing a bundle named and which the user can see in the run's config.
      data: { shuffleSeed: source.data.shuffleSeed, limit: source.data.limit },
      // A local embedding model is a folder on this disk: the lexical ranker needs none.
      retrieval: {
        k: source.retrieval.k,
        embedder: typeof embedder === 'object' && embedder.kind === 'transformers' ? 'lexical' : embedder,
      },
    },
    userDataDir,
  );
}

/** What an imported result must be to be kept; an ICL result's examples are what its run produced. */
const bundleResultSchema = z.discriminatedUnion('stage', [
  z.looseObject({ stage: z.literal('system-prompt'), bestPrompt: z.string() }),
  z.looseObject({
    stage: z.literal('icl'),
    examples: z.array(z.looseObject({ query: z.string(), kind: z.string().optional(), after: z.string() })),
  }),
]);

/**
 * The bundle's result and, for an ICL run, the optimized examples to write beside it. A result
 * names its examples' file, a path: the file is rebuilt here from the examples the result carries
 * (the bundle has no files) and the result names that copy, so it cannot point the export at
 * another file on this disk.
 */
export function importedResult(bundle: RunBundle): { result: unknown; iclExamples?: unknown[] } | undefined {
  if (bundle.result === undefined) return undefined;
  const parsed = bundleResultSchema.safeParse(bundle.result, { error: plainMessage });
  if (!parsed.success)
    throw invalidArgument(
      'bundle',
      argumentIssues(parsed.error).map((i) => ({ ...i, path: `result${i.path ? `.${i.path}` : ''}` })),
    );
  const result = parsed.data;
  if (result.stage !== bundle.stage)
    throw new StudioApiError('invalid-argument', `bundle: result.stage: expected "${bundle.stage}", as the run's`);
  if (result.stage === 'system-prompt') return { result };
  return {
    result: { ...result, iclExamplesFile: ICL_EXAMPLES_FILE },
    iclExamples: result.examples.map((e) => ({ query: e.query, answer: e.after, ...(e.kind ? { kind: e.kind } : {}) })),
  };
}

/**
 * The catalog a bundle says its run used, checked as a run checks its own (a bundle is somebody
 * else's file: a hostile or invalid one is refused, nothing written); null for a bundle made
 * before bundles carried it, whose run then records none (the shipped catalog stands in).
 */
export function importedCatalog(bundle: RunBundle): AspectCatalog | null {
  if (bundle.catalog === undefined) return null;
  try {
    return validateAspectCatalog(bundle.catalog, 'in the bundle');
  } catch (error) {
    throw new StudioApiError('invalid-argument', `bundle: catalog: ${(error as Error).message}`);
  }
}

/** The backends of a config that still need a connection, each with the plugin the bundle named. */
export function unboundBackends(config: Pick<RunConfig, 'backends'>): { backend: string; plugin?: string }[] {
  return Object.entries(config.backends)
    .filter(([, b]) => b.needsConnection)
    .map(([backend, b]) => ({ backend, ...(b.plugin ? { plugin: b.plugin } : {}) }));
}

/** A conflict error for a run that cannot call a model until its backends are bound; none when all are. */
export function unboundError(id: string, config: Pick<RunConfig, 'backends'>): StudioApiError | undefined {
  const unbound = unboundBackends(config);
  if (unbound.length === 0) return undefined;
  const list = unbound.map((u) => `"${u.backend}"${u.plugin ? ` (${u.plugin})` : ''}`).join(', ');
  return new StudioApiError(
    'conflict',
    `run ${id} was imported: ${list} need${unbound.length === 1 ? 's' : ''} a connection; bind ${unbound.length === 1 ? 'it' : 'them'} to your saved connections first`,
  );
}

/**
 * The config with each named backend now the user's saved connection, with default limits: nothing
 * of what the backend was (its settings, concurrency, price) is merged over the connection.
 */
export function boundConfig(config: RunConfig, bindings: Record<string, string>, settings: SettingsStore): RunConfig {
  const backends: Record<string, unknown> = { ...config.backends };
  for (const [name, connection] of Object.entries(bindings)) {
    if (!Object.hasOwn(config.backends, name))
      throw new StudioApiError(
        'invalid-argument',
        `the run has no backend "${name}" (it has: ${Object.keys(config.backends).join(', ')})`,
      );
    if (!Object.hasOwn(settings.data.connections, connection))
      throw new StudioApiError('not-found', `no saved connection "${connection}"`);
    backends[name] = { connection };
  }
  return normalizeConfig({ ...config, backends }, config.baseDir);
}
