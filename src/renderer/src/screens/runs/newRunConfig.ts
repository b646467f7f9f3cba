// The New run form's values and the CLI-format run config they make (README "Config"). Roles,
// search algorithms and defaults are the run config's own (src/shared/runOptions.ts); the config
// built is typed by the shared run-config schema, which the API checks it against on arrival.
import { budgetFromFields } from '../../../../shared/money';
import type { RunConfigInput } from '../../../../shared/runConfigSchema';
import {
  DEFAULT_RETRIEVAL_K,
  ROLES,
  type Role,
  type RunStage,
  SEARCH_ALGORITHMS,
  SEARCH_DEFAULTS,
  type SearchAlgorithm,
} from '../../../../shared/runOptions';
import type { Concurrency } from '../../shell/concurrency';
import type { PromptFormat } from '../../shell/promptFormats';

export { ROLES };
export type RoleName = Role;
export const ALGORITHMS = SEARCH_ALGORITHMS;
export type Algorithm = SearchAlgorithm;

type RoleConfigInput = NonNullable<RunConfigInput['roles']>[Role];

export interface NewRunValues {
  stage: RunStage;
  /** The saved connection every role uses unless overridden. */
  connection: string;
  /** Per-role overrides: '' uses `connection`. */
  roleConnections: Record<RoleName, string>;
  /** Per-role output limits: '' keeps the default (DEFAULT_MAX_TOKENS). */
  maxTokens: Record<RoleName, string>;
  algorithm: Algorithm;
  width: number;
  samples: number;
  depth: number;
  k: number;
  /** `jsonTextMaxChars`: a cap on the free text of structured replies, '' for none (the reference's). */
  jsonTextMaxChars: string;
  /** Use only the first N seed queries: '' for all. */
  seedLimit: string;
  /** Datasets (from the Datasets screen) to use instead of the starter data: '' for the starter data. */
  seedDataset: string;
  iclDataset: string;
  /** Published aspect selections to import (`reward.selections`): a file path, '' for none. */
  selections: string;
  /** Requests in flight per connection: 'auto' finds what the server serves; a number pins it. */
  concurrency: Concurrency;
  /** The base model's prompt format; 'automatic' leaves it to the run (drpo, or drpo-chat on a chat-only connection). */
  promptFormat: PromptFormat | 'automatic';
  /** `budget`: pause once this many dollars or tokens are spent; '' for no limit. */
  budgetDollars: string;
  budgetTokens: string;
}

const perRole = (value: string): Record<RoleName, string> =>
  Object.fromEntries(ROLES.map((role) => [role, value])) as Record<RoleName, string>;

export function defaultValues(stage: RunStage = 'system-prompt'): NewRunValues {
  return {
    stage,
    connection: '',
    roleConnections: perRole(''),
    maxTokens: perRole(''),
    algorithm: 'beam',
    ...SEARCH_DEFAULTS[stage],
    k: DEFAULT_RETRIEVAL_K,
    jsonTextMaxChars: '',
    seedLimit: '',
    seedDataset: '',
    iclDataset: '',
    selections: '',
    concurrency: 'auto',
    promptFormat: 'automatic',
    budgetDollars: '',
    budgetTokens: '',
  };
}

const MAIN = 'main';

function backendName(connection: string, main: string): string {
  return connection === main ? MAIN : `conn-${connection}`;
}

/** A positive whole number typed into a field, or undefined for '' or anything else. */
function positive(text: string): number | undefined {
  const value = Number.parseInt(text, 10);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** The run config in the CLI's JSON format; roles reference backends that reference saved connections. */
export function buildRunConfig(values: NewRunValues): RunConfigInput {
  const { concurrency } = values;
  const backends: RunConfigInput['backends'] = { [MAIN]: { connection: values.connection, concurrency } };
  const roles = {} as Record<RoleName, RoleConfigInput>;
  for (const role of ROLES) {
    const connection = values.roleConnections[role] || values.connection;
    const backend = backendName(connection, values.connection);
    backends[backend] = { connection, concurrency };
    const maxTokens = positive(values.maxTokens[role]);
    roles[role] = maxTokens === undefined ? { backend } : { backend, maxTokens };
  }
  const search = {
    algorithm: values.algorithm,
    width: values.algorithm === 'greedy' ? 1 : values.width,
    samples: values.samples,
    depth: values.depth,
  };
  const data: NonNullable<RunConfigInput['data']> = {};
  const limit = positive(values.seedLimit);
  if (limit !== undefined) data.limit = limit;
  // A dataset is a file in the user-data folder, which a studio run's relative paths resolve against.
  if (values.seedDataset) data.seedQueries = `datasets/${values.seedDataset}.json`;
  if (values.iclDataset) data.iclExamples = `datasets/${values.iclDataset}.json`;
  const selections = values.selections.trim();
  const jsonTextMaxChars = positive(values.jsonTextMaxChars);
  const budget = budgetFromFields(values.budgetDollars, values.budgetTokens);
  return {
    backends,
    roles,
    // The ICL stage reads its search from `iclSearch` (README "Config").
    ...(values.stage === 'icl' ? { iclSearch: search } : { search }),
    retrieval: { k: values.k },
    ...(Object.keys(data).length > 0 ? { data } : {}),
    ...(selections ? { reward: { selections } } : {}),
    ...(values.promptFormat === 'automatic' ? {} : { promptFormat: values.promptFormat }),
    ...(jsonTextMaxChars === undefined ? {} : { jsonTextMaxChars }),
    ...(budget ? { budget } : {}),
  };
}
