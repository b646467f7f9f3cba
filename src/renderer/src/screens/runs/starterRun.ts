// The first-run guide's ready-made small run: the starter data's first two seed queries, a
// two-level beam (W 2, M 2, D 2) and one retrieved example. Small enough to finish in minutes on
// a laptop's CPU with a 0.5B–2B model, big enough to show a beam growing and a prompt rewritten.
import type { StartRunRequest } from '../../../../shared/studioApi';
import { buildRunConfig, defaultValues } from './newRunConfig';

export const STARTER_RUN = { width: 2, samples: 2, depth: 2, k: 1, seedLimit: '2' } as const;

export function starterRunRequest(connection: string): StartRunRequest {
  return {
    stage: 'system-prompt',
    config: buildRunConfig({ ...defaultValues('system-prompt'), connection, ...STARTER_RUN }),
  };
}
