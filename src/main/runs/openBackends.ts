// Opens the backends a run's roles use: one plugin client and one scheduler per backend, shared
// by every role on it, so the backend's concurrency limit holds across roles.
import { callKey } from '../llm/callCache.js';
import { BackendScheduler } from '../llm/backendScheduler.js';
import type { Backend } from '../llm/roleClient.js';
import type { RunConfig } from '../config/runConfig.js';
import { loadBackendPlugin } from '../plugins/builtinPlugins.js';
import type { Role } from '../llm/callLedger.js';

export interface OpenBackends {
  byName: Map<string, Backend>;
  warnings: string[];
  dispose(): Promise<void>;
}

export async function openBackends(config: RunConfig, roles: readonly Role[]): Promise<OpenBackends> {
  const byName = new Map<string, Backend>();
  const warnings: string[] = [];
  const names = [...new Set(roles.map((role) => config.roles[role].backend!))];
  try {
    for (const name of names) {
      const settings = config.backends[name]!;
      const plugin = await loadBackendPlugin(settings.plugin);
      const client = await plugin.create(settings.settings, { baseDir: config.baseDir, log: (message) => warnings.push(`${name}: ${message}`) });
      let concurrency = settings.concurrency;
      if (client.maxParallel !== undefined && concurrency > client.maxParallel) {
        warnings.push(`${name}: concurrency ${concurrency} asked, but the backend serves ${client.maxParallel} at once; using ${client.maxParallel}`);
        concurrency = client.maxParallel;
      }
      const scheduler = new BackendScheduler({
        concurrency,
        maxRetries: settings.maxRetries,
        baseDelayMs: settings.retryBaseDelayMs,
        maxDelayMs: settings.retryMaxDelayMs,
        requestsPerMinute: settings.requestsPerMinute,
      });
      byName.set(name, { name, identity: `${settings.plugin}:${callKey({ settings: settings.settings, baseDir: config.baseDir })}`, client, scheduler });
    }
  } catch (error) {
    await Promise.all([...byName.values()].map((b) => b.client.dispose()));
    throw error;
  }
  return {
    byName,
    warnings,
    dispose: async () => {
      await Promise.all([...byName.values()].map((b) => b.client.dispose()));
    },
  };
}
