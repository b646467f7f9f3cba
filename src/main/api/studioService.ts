// The StudioApi itself, in the main process: both transports (IPC, HTTP) serve this object.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadAspectCatalogue, validateAspectCatalogue } from '../engine/aspects.js';
import { normaliseConfig } from '../config/runConfig.js';
import { estimateRun } from '../runs/runEstimate.js';
import { writeFileAtomic } from '../store/runFolder.js';
import type { StartRunRequest, StudioApi } from '../../shared/studioApi.js';
import { RunManager } from './runManager.js';

export interface StudioService {
  api: StudioApi;
  runs: RunManager;
  /** Pauses every running run (they resume later from their logs). */
  close(): Promise<void>;
}

export function createStudioService(options: { userDataDir: string }): StudioService {
  const { userDataDir } = options;
  mkdirSync(userDataDir, { recursive: true });
  const runs = new RunManager(path.join(userDataDir, 'runs'), userDataDir);
  const aspectsFile = path.join(userDataDir, 'aspects.json');

  // Runs use the user's edited catalogue unless their config names another.
  const withUserAspects = (config: Record<string, unknown>): Record<string, unknown> => {
    const reward = (config.reward ?? {}) as Record<string, unknown>;
    return existsSync(aspectsFile) && reward.aspects === undefined ? { ...config, reward: { ...reward, aspects: aspectsFile } } : config;
  };

  const api: StudioApi = {
    runs: {
      list: async () => runs.list(),
      get: async (id) => runs.get(id),
      estimate: async ({ stage, config }: StartRunRequest) => {
        const { a5, planned } = estimateRun(normaliseConfig(withUserAspects(config), userDataDir), stage);
        return { a5, planned };
      },
      start: async ({ stage, config }: StartRunRequest) => ({ id: runs.start(stage, withUserAspects(config)) }),
      pause: (id) => runs.pause(id),
      resume: async (id) => runs.resume(id),
      cancel: (id) => runs.cancel(id),
      subscribe: (id, fromSeq, listener) => runs.subscribe(id, fromSeq, listener),
    },
    aspects: {
      get: async () => (existsSync(aspectsFile) ? loadAspectCatalogue(aspectsFile) : loadAspectCatalogue()),
      save: async (catalogue) => {
        writeFileAtomic(aspectsFile, `${JSON.stringify(validateAspectCatalogue(catalogue, 'the edited catalogue'), null, 2)}\n`);
      },
    },
  };
  return { api, runs, close: () => runs.stopAll() };
}
