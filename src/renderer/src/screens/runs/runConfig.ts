// The New run form's values and the CLI-format run config they make (README "Config").
import type { RunStage } from '../../../../shared/studioApi';

export const ROLES = ['base', 'selector', 'judge', 'optimizer'] as const;
export type RoleName = (typeof ROLES)[number];
export const ALGORITHMS = ['beam', 'greedy', 'monte-carlo'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export interface NewRunValues {
  stage: RunStage;
  /** The saved connection every role uses unless overridden. */
  connection: string;
  /** Per-role overrides: '' uses `connection`. */
  roleConnections: Record<RoleName, string>;
  /** Per-role output limits: '' keeps the default (2048). */
  maxTokens: Record<RoleName, string>;
  algorithm: Algorithm;
  width: number;
  samples: number;
  depth: number;
  k: number;
  /** Use only the first N seed queries: '' for all. */
  seedLimit: string;
  /** Datasets (from the Datasets screen) to use instead of the starter data: '' for the starter data. */
  seedDataset: string;
  iclDataset: string;
}

export function defaultValues(stage: RunStage = 'system-prompt'): NewRunValues {
  return {
    stage,
    connection: '',
    roleConnections: { base: '', selector: '', judge: '', optimizer: '' },
    maxTokens: { base: '', selector: '', judge: '', optimizer: '' },
    algorithm: 'beam',
    width: stage === 'icl' ? 1 : 2,
    samples: stage === 'icl' ? 1 : 3,
    depth: stage === 'icl' ? 5 : 20,
    k: 2,
    seedLimit: '',
    seedDataset: '',
    iclDataset: '',
  };
}

const MAIN = 'main';

function backendName(connection: string, main: string): string {
  return connection === main ? MAIN : `conn-${connection}`;
}

/** The run config in the CLI's JSON format; roles reference backends that reference saved connections. */
export function buildRunConfig(values: NewRunValues): Record<string, unknown> {
  const backends: Record<string, { connection: string }> = { [MAIN]: { connection: values.connection } };
  const roles: Record<string, Record<string, unknown>> = {};
  for (const role of ROLES) {
    const connection = values.roleConnections[role] || values.connection;
    const backend = backendName(connection, values.connection);
    backends[backend] = { connection };
    const entry: Record<string, unknown> = { backend };
    const tokens = Number.parseInt(values.maxTokens[role], 10);
    if (Number.isFinite(tokens) && tokens > 0) entry.maxTokens = tokens;
    roles[role] = entry;
  }
  const search = {
    algorithm: values.algorithm,
    width: values.algorithm === 'greedy' ? 1 : values.width,
    samples: values.samples,
    depth: values.depth,
  };
  const config: Record<string, unknown> = {
    backends,
    roles,
    // The ICL stage reads its search from `iclSearch` (README "Config").
    [values.stage === 'icl' ? 'iclSearch' : 'search']: search,
    retrieval: { k: values.k },
  };
  const data: Record<string, unknown> = {};
  const limit = Number.parseInt(values.seedLimit, 10);
  if (Number.isFinite(limit) && limit > 0) data.limit = limit;
  // A dataset is a file in the user-data folder, which a studio run's relative paths resolve against.
  if (values.seedDataset) data.seedQueries = `datasets/${values.seedDataset}.json`;
  if (values.iclDataset) data.iclExamples = `datasets/${values.iclDataset}.json`;
  if (Object.keys(data).length > 0) config.data = data;
  return config;
}
