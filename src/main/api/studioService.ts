// The StudioApi itself, in the main process: both transports (IPC, HTTP) serve this object.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { PluginDto, SavedConnectionDto, StartRunRequest, StudioApi } from '../../shared/studioApi.js';
import { StudioApiError } from '../../shared/studioApiError.js';
import { normalizeConfig } from '../config/runConfig.js';
import { detectServers } from '../detect/detectServers.js';
import { catalogText, loadAspectCatalog, requireRubrics, validateAspectCatalog } from '../engine/aspects.js';
import type { AspectCatalog } from '../engine/types.js';
import { exportRun } from '../export/exportRun.js';
import { modelPulls } from '../models/modelPulls.js';
import { PluginRegistry } from '../plugins/pluginRegistry.js';
import { checkSettings } from '../plugins/pluginSettings.js';
import type { ProbeTiming } from '../runs/backendProbe.js';
import { testBackend } from '../runs/connectionTest.js';
import { connectionsInUse, experimentActivityKey, liveActivity, runActivityKey } from '../runs/liveActivity.js';
import { connectionProfiles } from '../runs/openBackends.js';
import { roleFitness } from '../runs/roleFitness.js';
import { estimateCost } from '../runs/runCost.js';
import { estimateRun } from '../runs/runEstimate.js';
import { makePrivateDir, writeFileAtomic } from '../store/privateFiles.js';
import type { SecretStore } from '../store/secretStore.js';
import { SettingsStore } from '../store/settingsStore.js';
import { aspectTries } from './aspectTries.js';
import { DatasetStore } from './datasetStore.js';
import { ExperimentManager } from './experimentManager.js';
import { judgeChecks } from './judgeChecks.js';
import { comparePlayground } from './playgroundComparison.js';
import { previewRetrieval } from './previewRetrieval.js';
import { RunManager } from './runManager.js';

export interface StudioService {
  api: StudioApi;
  runs: RunManager;
  experiments: ExperimentManager;
  /** Pauses every running run and stops every running experiment (they resume later from their logs). */
  close(): Promise<void>;
}

/** Browser mode and the CLI: keys come from environment variables only. */
const NO_KEY_STORE = { available: false, names: [], weak: false };

export function createStudioService(options: {
  userDataDir: string;
  secrets?: SecretStore;
  /** How often the backends of a paused run or experiment are probed (default runs/backendProbe.ts's; tests shorten it). */
  probeTiming?: ProbeTiming;
}): StudioService {
  const { userDataDir, secrets, probeTiming } = options;
  makePrivateDir(userDataDir);
  const runs = new RunManager(path.join(userDataDir, 'runs'), userDataDir, secrets, probeTiming);
  const datasets = new DatasetStore(path.join(userDataDir, 'datasets'));
  const experiments = new ExperimentManager(
    path.join(userDataDir, 'experiments'),
    userDataDir,
    datasets,
    secrets,
    probeTiming,
  );
  const aspectsFile = path.join(userDataDir, 'aspects.json');
  const currentAspects = () => (existsSync(aspectsFile) ? loadAspectCatalog(aspectsFile) : loadAspectCatalog());
  const retrieval = previewRetrieval(userDataDir);

  // Runs use the user's edited catalog unless their config names another.
  const withUserAspects = (config: Record<string, unknown>): Record<string, unknown> => {
    const reward = (config.reward ?? {}) as Record<string, unknown>;
    return existsSync(aspectsFile) && reward.aspects === undefined
      ? { ...config, reward: { ...reward, aspects: aspectsFile } }
      : config;
  };

  const settings = () => SettingsStore.open(userDataDir);
  const registry = async () =>
    new PluginRegistry({
      userPluginsDir: path.join(userDataDir, 'plugins'),
      enabled: (await settings()).data.enabledPlugins,
    });

  const api: StudioApi = {
    runs: {
      list: async () => runs.list(),
      get: async (id) => runs.get(id),
      estimate: async ({ stage, config }: StartRunRequest) => {
        const normalized = normalizeConfig(withUserAspects(config), userDataDir);
        const estimate = estimateRun(normalized, stage);
        const { a5, planned, worstCase, levels, tokens } = estimate;
        const cost = await estimateCost(normalized, estimate, { userDataDir });
        // A backend that cannot be described yet (unbound, a plugin that will not load) is Start's to refuse, with its reason.
        const fitness = await roleFitness(normalized, stage, { userDataDir }).catch(() => ({
          refusals: [],
          warnings: [],
        }));
        return { a5, planned, worstCase, levels, fitness, tokens, cost };
      },
      start: async ({ stage, config }: StartRunRequest) => ({ id: await runs.start(stage, withUserAspects(config)) }),
      pause: (id) => runs.pause(id),
      resume: async (id, options) => runs.resume(id, options),
      cancel: (id) => runs.cancel(id),
      remove: (id) => runs.remove(id),
      fork: async (id, nodeId) => ({ id: runs.fork(id, nodeId) }),
      export: async (id, format, options) =>
        exportRun(runs.folder(id), format, { model: options?.model }, { userDataDir }),
      exportBundle: async (id) => runs.exportBundle(id),
      importBundle: async (bundle) => ({ id: await runs.importBundle(bundle) }),
      importTrace: async (request) => ({ id: runs.importTrace(request) }),
      subscribe: (id, fromSeq, listener) => runs.subscribe(id, fromSeq, listener),
      bind: (id, bindings) => runs.bind(id, bindings),
      activity: async (id) => liveActivity(runActivityKey(id)) ?? null,
      // Housekeeping (issue 16 item 4)
      describe: (id, description) => runs.describe(id, description),
      duplicate: async (id) => ({ id: await runs.duplicate(id) }),
      catalog: async (id) => runs.catalog(id) ?? null,
    },
    experiments: {
      list: async () => experiments.list(),
      get: async (id) => experiments.get(id),
      start: async ({ config }) => ({ id: await experiments.start(config) }),
      cancel: (id) => experiments.cancel(id),
      resume: async (id, options) => experiments.resume(id, options),
      remove: (id) => experiments.remove(id),
      subscribe: (id, fromSeq, listener) => experiments.subscribe(id, fromSeq, listener),
      activity: async (id) => liveActivity(experimentActivityKey(id)) ?? null,
      // Answers item by item (issue 16, items).
      items: async (id, query) => experiments.items(id, query),
      item: async (id, itemId) => experiments.item(id, itemId),
      // Housekeeping (issue 16 item 4)
      describe: (id, description) => experiments.describe(id, description),
      duplicate: async (id) => ({ id: await experiments.duplicate(id) }),
    },
    datasets: {
      list: async () => datasets.list(),
      get: async (name) => datasets.get(name),
      import: async (name, kind, fileName, content) => datasets.import(name, kind, fileName, content),
      save: async (dataset) => datasets.save(dataset),
      remove: async (name) => datasets.remove(name),
    },
    retrieval: {
      preview: async (dataset, query, k) => {
        const items = datasets.get(dataset).items;
        return retrieval.topK(items, query, k);
      },
    },
    playground: {
      compare: (request, listener) =>
        comparePlayground(request, { datasets, userDataDir, secrets, retrieval }, listener),
    },
    secrets: {
      list: async () => (secrets ? { available: true, names: secrets.names(), ...secrets.protection() } : NO_KEY_STORE),
      set: async (name, value, options) => {
        if (!secrets)
          throw new Error(
            "the key store is the desktop app's; here put keys in environment variables and write env:NAME",
          );
        secrets.set(name, value, options);
      },
      remove: async (name) => {
        if (!secrets) throw new Error("the key store is the desktop app's");
        secrets.remove(name);
      },
    },
    plugins: {
      list: async (): Promise<PluginDto[]> => {
        const plugins = await registry();
        return Promise.all(
          plugins.discover().map(async (p) => {
            // Built-ins are listed by id; their manifests come with loading (their runtimes load only in create).
            const manifest = p.manifest ?? (p.source === 'builtin' ? (await plugins.load(p.id)).manifest : undefined);
            return {
              id: p.id,
              source: p.source,
              enabled: p.enabled,
              ...(manifest
                ? {
                    name: manifest.name,
                    version: manifest.version,
                    capabilities: { ...manifest.capabilities },
                    settings: manifest.settings,
                  }
                : {}),
              ...(p.error ? { error: p.error } : {}),
            };
          }),
        );
      },
    },
    connections: {
      list: async () => {
        const connections = structuredClone((await settings()).data.connections) as Record<string, SavedConnectionDto>;
        const profiles = await connectionProfiles({ secrets, userDataDir });
        for (const [name, connection] of Object.entries(connections)) {
          const summary = profiles[name]?.summary;
          if (summary) connection.profile = summary;
        }
        return connections;
      },
      save: async (name, connection) => {
        if (!/^[\w.-]+$/.test(name))
          throw new StudioApiError(
            'invalid-argument',
            `a connection name is letters, digits, '.', '_' and '-' (got "${name}")`,
          );
        const { manifest } = await (await registry()).load(connection.plugin);
        // Secrets must arrive as "env:NAME": a literal key is refused here, never written.
        const checked = checkSettings(manifest, connection.settings);
        await (await settings()).update((s) => {
          s.connections[name] = { plugin: connection.plugin, settings: checked };
        });
      },
      remove: async (name) => {
        await (await settings()).update((s) => void delete s.connections[name]);
      },
      detect: (addresses) => detectServers({ userDataDir, addresses }),
      test: async (name) => {
        try {
          const config = normalizeConfig({ backends: { [name]: { connection: name } }, cacheDir: null }, userDataDir);
          const check = await testBackend(config, name, { secrets, userDataDir }, false);
          if (!check.ok) return { ok: false as const, error: check.line.slice(name.length + 2) };
          return {
            ok: true as const,
            models: (check.models ?? []).map((m) => ({
              id: m.id,
              ...(m.contextLength ? { contextLength: m.contextLength } : {}),
            })),
            checks: check.line.slice(name.length + 2),
            ...(check.profile ? { profile: check.profile.summary } : {}),
          };
        } catch (error) {
          return { ok: false as const, error: (error as Error).message };
        }
      },
      activity: async () => connectionsInUse(),
    },
    models: modelPulls(userDataDir),
    aspects: {
      get: async () => currentAspects(),
      save: async (catalog) => {
        let edited: AspectCatalog;
        try {
          edited = validateAspectCatalog(catalog, 'the edited catalog');
          // A new aspect needs a rubric for the judge; one from a catalog older than rubrics may stay without.
          requireRubrics(edited, currentAspects(), 'the edited catalog');
        } catch (error) {
          throw new StudioApiError('invalid-argument', (error as Error).message);
        }
        writeFileAtomic(aspectsFile, catalogText(edited));
      },
      // Trying criteria on a query (issue 17).
      ...aspectTries(userDataDir, runs, secrets),
    },
    // Judge checks (issue 16).
    judgeChecks: judgeChecks(experiments.experimentsDir, userDataDir, secrets),
  };
  return {
    api,
    runs,
    experiments,
    close: async () => {
      await Promise.all([runs.stopAll(), experiments.stopAll()]);
      await retrieval.dispose();
    },
  };
}
