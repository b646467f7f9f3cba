// The JSON config of a run (README: "Config"). Validated where it enters; relative paths are
// resolved against the config file's folder; every default follows the published code.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PROMPT_FORMATS } from '../engine/promptAssembly.js';
import { SEARCH_ALGORITHMS } from '../engine/search/searchPlan.js';
import { ROLES } from '../llm/callLedger.js';
import { resourcePath } from '../resourcePaths.js';

export const backendSchema = z.object({
  /** A backend plugin's id (built-in: llama-cpp, ollama, openai, vllm; or an enabled user plugin)… */
  plugin: z.string().min(1).optional(),
  /** … or the name of a connection saved in the settings store, whose plugin and settings it takes. */
  connection: z.string().min(1).optional(),
  settings: z.record(z.string(), z.unknown()).default({}),
  /** Price override in US dollars per million tokens; default: the price table by model name. */
  price: z.object({ input: z.number().min(0), output: z.number().min(0) }).optional(),
  /** Requests in flight at once (never more than the client's own maxParallel). */
  concurrency: z.number().int().min(1).default(1),
  requestsPerMinute: z.number().int().min(1).optional(),
  maxRetries: z.number().int().min(0).default(4),
  retryBaseDelayMs: z.number().int().min(0).default(500),
  retryMaxDelayMs: z.number().int().min(0).default(30_000),
});

const roleSchema = z.object({
  backend: z.string().min(1).optional(),
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().gt(0).max(1).optional(),
  maxTokens: z.number().int().min(1).default(2048),
  seed: z.number().int().optional(),
});

const searchSchema = (defaults: { width: number; samples: number; depth: number }) =>
  z
    .object({
      algorithm: z.enum(SEARCH_ALGORITHMS).default('beam'),
      width: z.number().int().min(1).default(defaults.width),
      samples: z.number().int().min(1).default(defaults.samples),
      depth: z.number().int().min(1).default(defaults.depth),
      /** Carry a state over unchanged above this mean score (reference: 4.5); null: never. */
      carryOverAbove: z.number().nullable().default(4.5),
      maxDepthIncrease: z.number().int().min(0).default(10),
      /** Prompt versions shown to the optimizer (reference: 5). */
      historySize: z.number().int().min(1).default(5),
      monteCarloSamples: z.number().int().min(1).optional(),
      /** 'a5': never more calls than appendix A.5 (depth grows only within it); 'unlimited': as the reference. */
      callBudget: z.enum(['a5', 'unlimited']).default('a5'),
    })
    .prefault({});

export const runConfigSchema = z.object({
  backends: z
    .record(
      z.string(),
      backendSchema.refine((b) => Boolean(b.plugin) !== Boolean(b.connection), 'give either "plugin" or "connection"'),
    )
    .refine((b) => Object.keys(b).length > 0, 'define at least one backend'),
  roles: z
    .object({
      base: roleSchema.prefault({}),
      selector: roleSchema.prefault({}),
      judge: roleSchema.prefault({}),
      optimizer: roleSchema.prefault({}),
    })
    .prefault({}),
  /** How the base model is prompted: raw completion ('drpo', 'urial') or messages ('chat', 'chat-no-system'). */
  promptFormat: z.enum(PROMPT_FORMATS).default('drpo'),
  initialPrompt: z.string().default('You are a helpful assistant.'),
  search: searchSchema({ width: 2, samples: 3, depth: 20 }),
  iclSearch: searchSchema({ width: 1, samples: 1, depth: 5 }),
  reward: z
    .object({
      mode: z.enum(['dynamic', 'static']).default('dynamic'),
      aspects: z.string().optional(),
      minAspects: z.number().int().min(1).default(2),
      maxAspects: z.number().int().min(1).default(5),
      allowNewAspects: z.boolean().default(true),
      promptsDir: z.string().optional(),
    })
    .prefault({}),
  data: z
    .object({
      seedQueries: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
      iclExamples: z.string().optional(),
      /** Shuffle the seed queries with this seed (the paper mixes its three sources); absent: file order. */
      shuffleSeed: z.number().int().optional(),
      /** Use only the first N seed queries (after shuffling). */
      limit: z.number().int().min(1).optional(),
    })
    .prefault({}),
  retrieval: z
    .object({
      k: z.number().int().min(0).default(2),
      embedder: z
        .union([
          z.literal('lexical'),
          z.object({ kind: z.literal('transformers'), modelDir: z.string() }),
          /** A backend's own embeddings endpoint (Ollama, OpenAI, vLLM). */
          z.object({ kind: z.literal('backend'), backend: z.string() }),
        ])
        .default('lexical'),
    })
    .prefault({}),
  runsDir: z.string().default('runs'),
  /** Shared cache of deterministic calls (aspect selections above all); null: none. */
  cacheDir: z.string().nullable().default('.drpo-cache'),
  /** Settings store and user plugins; default $DRPO_STUDIO_HOME or ~/.drpo-studio. */
  userDataDir: z.string().optional(),
  /** Set on loading: the config file's folder. */
  baseDir: z.string().default('.'),
});

export type RunConfig = z.infer<typeof runConfigSchema>;
export type RoleConfig = z.infer<typeof roleSchema>;
export type BackendConfig = z.infer<typeof backendSchema>;
export type SearchConfig = RunConfig['search'];

/** Reference temperatures: optimizer samples at 0.2 (top-p 0.95); everything else is greedy. */
export const ROLE_DEFAULTS = {
  base: { temperature: 0 },
  selector: { temperature: 0 },
  judge: { temperature: 0 },
  optimizer: { temperature: 0.2, topP: 0.95 },
} as const;

function resolveFrom(dir: string, file: string | undefined): string | undefined {
  return file === undefined ? undefined : path.resolve(dir, file);
}

/** Validates, fills roles' backends, and makes every path absolute. */
export function normaliseConfig(input: unknown, baseDir: string): RunConfig {
  const parsed = runConfigSchema.safeParse(input);
  if (!parsed.success) throw new Error(`invalid config:\n${z.prettifyError(parsed.error)}`);
  const config = parsed.data;
  const backendNames = Object.keys(config.backends);
  for (const role of ROLES) {
    const r = config.roles[role];
    r.backend ??= backendNames[0];
    if (!config.backends[r.backend!])
      throw new Error(`invalid config: roles.${role}.backend "${r.backend}" is not one of: ${backendNames.join(', ')}`);
    r.temperature ??= ROLE_DEFAULTS[role].temperature;
    if (role === 'optimizer') r.topP ??= ROLE_DEFAULTS.optimizer.topP;
  }
  if (config.reward.minAspects > config.reward.maxAspects)
    throw new Error('invalid config: reward.minAspects exceeds reward.maxAspects');
  // Plugins resolve their own relative settings (a model path) against this folder.
  config.baseDir = baseDir;
  const seeds = config.data.seedQueries;
  config.data.seedQueries = (Array.isArray(seeds) ? seeds : [seeds ?? resourcePath('seed-queries.json')]).map((f) =>
    path.resolve(baseDir, f),
  );
  config.data.iclExamples = resolveFrom(baseDir, config.data.iclExamples) ?? resourcePath('icl-examples.json');
  config.reward.aspects = resolveFrom(baseDir, config.reward.aspects) ?? resourcePath('aspects.json');
  config.reward.promptsDir = resolveFrom(baseDir, config.reward.promptsDir);
  const embedder = config.retrieval.embedder;
  if (typeof embedder === 'object' && embedder.kind === 'transformers')
    embedder.modelDir = path.resolve(baseDir, embedder.modelDir);
  if (typeof embedder === 'object' && embedder.kind === 'backend' && !config.backends[embedder.backend]) {
    throw new Error(
      `invalid config: retrieval.embedder.backend "${embedder.backend}" is not one of: ${backendNames.join(', ')}`,
    );
  }
  config.runsDir = path.resolve(baseDir, config.runsDir);
  config.cacheDir = config.cacheDir === null ? null : path.resolve(baseDir, config.cacheDir);
  config.userDataDir = resolveFrom(baseDir, config.userDataDir);
  return config;
}

/** A config file's JSON, or an error naming the file and what kind of config it should hold. */
export function readJsonConfig(file: string, what = 'config'): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${what} ${file}: ${(error as Error).message}`);
  }
}

export function loadRunConfig(file: string): RunConfig {
  return normaliseConfig(readJsonConfig(file), path.dirname(path.resolve(file)));
}
