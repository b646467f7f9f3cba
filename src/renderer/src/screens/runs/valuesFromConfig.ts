// "Run again with changes": the New run form's values from a run's config, the inverse of
// buildRunConfig. A run's saved config is the normalized one (every default filled in, paths made
// absolute against the user-data folder, src/main/config/runConfig.ts), and configs written for
// the CLI can say more than the form can hold. Decision: nothing is dropped silently — every leaf
// of the config the form neither takes nor would produce again (a default, or what the studio
// decides itself) is listed in `notCarried`, for the form to show before the user starts.
import {
  DEFAULT_EMBEDDING_MODEL,
  DEFAULT_MAX_TOKENS,
  ICL_ROLE_DEFAULTS,
  ROLE_DEFAULTS,
  type RunStage,
} from '../../../../shared/runOptions';
import type { Concurrency } from '../../shell/concurrency';
import { PROMPT_FORMATS, type PromptFormat } from '../../shell/promptFormats';
import { ALGORITHMS, type Algorithm, defaultValues, type NewRunValues, ROLES, type RoleName } from './newRunConfig';

export interface RunAgainValues {
  values: NewRunValues;
  /** What of the config the form cannot hold, one line each ("search.historySize = 3"). */
  notCarried: string[];
}

type Path = readonly string[];
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * Leaves equal to these come back by themselves when the form's config is normalized (the
 * schema's defaults, src/shared/runConfigSchema.ts; a unit test checks this list against it).
 * `*` matches any one key; `<search>` is the stage's search.
 */
const DEFAULTS: readonly [string, unknown][] = [
  ['initialPrompt', 'You are a helpful assistant.'],
  ['<search>.carryOverAbove', 4.5],
  ['<search>.maxDepthIncrease', 10],
  ['<search>.historySize', 5],
  ['<search>.callBudget', 'unlimited'],
  ['reward.mode', 'dynamic'],
  ['reward.minAspects', 2],
  ['reward.maxAspects', 5],
  ['reward.allowNewAspects', true],
  ['reward.iclJudge', 'critic'],
  ['reward.iclMinAspects', 3],
  ['reward.iclMaxAspects', 6],
  ['retrieval.embedder.kind', 'hub'],
  ['retrieval.embedder.model', DEFAULT_EMBEDDING_MODEL],
  ['backends.*.concurrency', 'auto'],
  ['backends.*.maxRetries', 4],
  ['backends.*.retryBaseDelayMs', 500],
  ['backends.*.retryMaxDelayMs', 30_000],
  ...ROLES.flatMap((role): [string, unknown][] =>
    Object.entries(ROLE_DEFAULTS[role]).map(([key, value]) => [`roles.${role}.${key}`, value]),
  ),
  ...ROLES.flatMap((role): [string, unknown][] =>
    Object.entries(ICL_ROLE_DEFAULTS[role] ?? {}).map(([key, value]) => [`iclRoles.${role}.${key}`, value]),
  ),
];

/** What the studio decides for every run itself, or what the stage never reads. */
function ignored(path: Path, stage: RunStage): boolean {
  const [top, second] = path;
  if (top === 'baseDir' || top === 'runsDir') return true;
  if (stage === 'system-prompt')
    return top === 'iclSearch' || top === 'iclRoles' || (top === 'reward' && /^icl/.test(second ?? ''));
  return top === 'search';
}

function matches(pattern: string, path: Path, stage: RunStage): boolean {
  const parts = pattern.replace('<search>', stage === 'icl' ? 'iclSearch' : 'search').split('.');
  return parts.length === path.length && parts.every((part, i) => part === '*' || part === path[i]);
}

/** A path relative to the folder relative paths resolve against (`baseDir`), with `/` separators. */
function relative(file: string, baseDir: unknown): string {
  const slashed = file.replaceAll('\\', '/');
  const base = typeof baseDir === 'string' ? baseDir.replaceAll('\\', '/').replace(/\/$/, '') : null;
  return base && slashed.startsWith(`${base}/`) ? slashed.slice(base.length + 1) : slashed;
}

/** A data file as the form names it: the studio's starter file (''), a dataset (its name), or undefined for any other file. */
function dataFile(value: unknown, starter: string, baseDir: unknown): string | undefined {
  const file = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (typeof file !== 'string') return undefined;
  const rel = relative(file, baseDir);
  if (rel.endsWith(`resources/${starter}`)) return '';
  return /^datasets\/([^/]+)\.json$/.exec(rel)?.[1];
}

export function valuesFromConfig(config: unknown, stage: RunStage): RunAgainValues {
  const values = defaultValues(stage);
  if (!isRecord(config)) return { values, notCarried: ['the run has no config the form can read'] };
  const taken = new Set<string>();
  const notes: string[] = [];
  const get = (path: Path): unknown =>
    path.reduce<unknown>((v, key) => (isRecord(v) && Object.hasOwn(v, key) ? v[key] : undefined), config);
  /** The value at `path` when `accept` takes it, marked as carried over. */
  const take = <T>(path: Path, accept: (v: unknown) => v is T): T | undefined => {
    const value = get(path);
    if (!accept(value)) return undefined;
    taken.add(JSON.stringify(path));
    return value;
  };
  const isString = (v: unknown): v is string => typeof v === 'string';

  // Connections: the backend named `main` is the form's "all roles" one (buildRunConfig's name), else the base role's.
  const backends = isRecord(config.backends) ? config.backends : {};
  const firstBackend = Object.keys(backends)[0];
  const savedConnection = (name: string | undefined) => {
    const backend = name === undefined ? undefined : backends[name];
    return isRecord(backend) && backend.plugin === undefined && !backend.needsConnection && isString(backend.connection)
      ? backend.connection
      : undefined;
  };
  const roleBackend = (role: RoleName) => {
    const name = get(['roles', role, 'backend']);
    return isString(name) ? name : firstBackend;
  };
  values.connection = savedConnection('main') ?? savedConnection(roleBackend('base')) ?? '';
  const used = new Set<string>(savedConnection('main') ? ['main'] : []);
  for (const role of ROLES) {
    const maxTokens = take(['roles', role, 'maxTokens'], isCount);
    values.maxTokens[role] = maxTokens === undefined || maxTokens === DEFAULT_MAX_TOKENS ? '' : String(maxTokens);
    const backend = roleBackend(role);
    const connection = savedConnection(backend);
    if (connection === undefined || backend === undefined) {
      notes.push(`the ${role} role's backend "${backend ?? '—'}" is no saved connection: the form uses one of yours`);
      continue;
    }
    take(['roles', role, 'backend'], isString);
    used.add(backend);
    values.roleConnections[role] = connection === values.connection ? '' : connection;
  }
  // One concurrency for every backend in the form: the first backend's; a different one stays listed.
  const isConcurrency = (v: unknown): v is Concurrency => v === 'auto' || (isCount(v) && v > 0);
  const [firstUsed] = used;
  values.concurrency = (firstUsed && take(['backends', firstUsed, 'concurrency'], isConcurrency)) || 'auto';
  for (const name of used) {
    take(['backends', name, 'connection'], isString);
    take(['backends', name, 'concurrency'], (v): v is Concurrency => v === values.concurrency);
  }

  const search = stage === 'icl' ? 'iclSearch' : 'search';
  values.algorithm =
    take([search, 'algorithm'], (v): v is Algorithm => ALGORITHMS.includes(v as Algorithm)) ?? values.algorithm;
  values.width = take([search, 'width'], isCount) ?? values.width;
  values.samples = take([search, 'samples'], isCount) ?? values.samples;
  values.depth = take([search, 'depth'], isCount) ?? values.depth;
  values.k = take(['retrieval', 'k'], isCount) ?? values.k;
  values.seedLimit = String(take(['data', 'limit'], isCount) ?? '');
  values.jsonTextMaxChars = String(take(['jsonTextMaxChars'], isCount) ?? '');
  values.selections = take(['reward', 'selections'], isString) ?? '';
  const isPositive = (v: unknown): v is number => typeof v === 'number' && v > 0;
  values.budgetDollars = String(take(['budget', 'dollars'], isPositive) ?? '');
  values.budgetTokens = String(take(['budget', 'tokens'], (v): v is number => isCount(v) && v > 0) ?? '');
  values.promptFormat =
    take(['promptFormat'], (v): v is PromptFormat => PROMPT_FORMATS.some((f) => f.value === v)) ?? 'automatic';
  const seeds = dataFile(get(['data', 'seedQueries']), 'seed-queries.json', config.baseDir);
  if (seeds !== undefined) {
    values.seedDataset = seeds;
    taken.add(JSON.stringify(['data', 'seedQueries']));
  }
  const examples = dataFile(get(['data', 'iclExamples']), 'icl-examples.json', config.baseDir);
  if (examples !== undefined) {
    values.iclDataset = examples;
    taken.add(JSON.stringify(['data', 'iclExamples']));
  }

  // Defaults the studio fills in again: the cache in the user-data folder, the starter or the user's own aspect catalog.
  const cacheDir = get(['cacheDir']);
  if (isString(cacheDir) && relative(cacheDir, config.baseDir) === '.drpo-cache')
    taken.add(JSON.stringify(['cacheDir']));
  const aspects = get(['reward', 'aspects']);
  if (isString(aspects) && /^(aspects\.json|.*resources\/aspects\.json)$/.test(relative(aspects, config.baseDir)))
    taken.add(JSON.stringify(['reward', 'aspects']));

  const rest: string[] = [];
  const walk = (value: unknown, path: string[]) => {
    if (isRecord(value)) {
      for (const [key, inner] of Object.entries(value)) walk(inner, [...path, key]);
      return;
    }
    if (value === undefined || taken.has(JSON.stringify(path)) || ignored(path, stage)) return;
    if (DEFAULTS.some(([pattern, v]) => v === value && matches(pattern, path, stage))) return;
    rest.push(`${path.join('.')} = ${JSON.stringify(value)}`);
  };
  walk(config, []);
  return { values, notCarried: [...notes, ...rest] };
}
