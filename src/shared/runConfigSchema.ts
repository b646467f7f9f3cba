// The JSON config of a run (README: "Config") as a zod schema, with the published code's defaults:
// the one definition that the API boundary validates a studio run against, that the renderer's
// New run form is typed by (RunConfigInput) and that src/main/config/runConfig.ts normalizes.
import { z } from 'zod';
import { LIMITS } from './requestLimits.js';
import {
  DEFAULT_EMBEDDING_MODEL,
  DEFAULT_MAX_TOKENS,
  DEFAULT_RETRIEVAL_K,
  PROMPT_FORMATS,
  type RunStage,
  SEARCH_ALGORITHMS,
  SEARCH_DEFAULTS,
} from './runOptions.js';

/** A whole number ≥ min and ≤ max (request limits: requestLimits.ts), with one plain message for each way of missing it. */
export function wholeNumber(min?: number, max?: number) {
  const error = min === undefined ? 'expected a whole number' : `expected a whole number ≥ ${min}`;
  const int = z.number({ error }).int({ error });
  const atLeast = min === undefined ? int : int.min(min, { error });
  return max === undefined ? atLeast : atLeast.max(max, { error: `expected a whole number ≤ ${max}` });
}

/** What ranks the ICL examples (README "Retrieval"): a run's `retrieval.embedder`, an experiment's too. */
export const embedderSchema = z
  .union([
    z.literal('lexical'),
    /** A local folder in the transformers.js layout. */
    z.object({ kind: z.literal('transformers'), modelDir: z.string() }),
    /** A model of the hub (`owner/name`), downloaded once into the user-data folder's models/ and reused. */
    z.object({ kind: z.literal('hub'), model: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'expected "owner/name"') }),
    /** A backend's own embeddings endpoint (Ollama, OpenAI, vLLM). */
    z.object({ kind: z.literal('backend'), backend: z.string() }),
  ])
  // The paper's model; where it cannot be had the run falls back to BM25, announced and recorded.
  .default({ kind: 'hub', model: DEFAULT_EMBEDDING_MODEL });

/** A seed: whole, and within the 32-bit range backends take. */
export const seedSchema = wholeNumber(LIMITS.seedMin, LIMITS.seedMax);

/**
 * `userDataDir` is no config key: which settings, keys and plugins load is decided by the process
 * that runs the config (the studio: its own folder; the CLI: --user-data or $DRPO_STUDIO_HOME),
 * never by a config or bundle someone may have shared. Refused by name, so an old config says why.
 */
export const refusedUserDataDir = z
  .never({
    error:
      'is not a config key: settings, keys and plugins always come from the user-data folder of the studio (or of the CLI: --user-data or DRPO_STUDIO_HOME)',
  })
  .optional();

export const backendSchema = z.object({
  /** A backend plugin's id (built-in: llama-cpp, ollama, openai, vllm; or an enabled user plugin)… */
  plugin: z.string().min(1).optional(),
  /** … or the name of a connection saved in the settings store, whose plugin and settings it takes. */
  connection: z.string().min(1).optional(),
  settings: z.record(z.string(), z.unknown()).default({}),
  /**
   * An imported run's backend that the user has not bound to a saved connection yet (its `plugin`,
   * if given, only says what the bundle used): it never opens, so the run can be viewed, not run.
   */
  needsConnection: z.literal(true).optional(),
  /** Price override in US dollars per million tokens; default: the price table by model name. */
  price: z.object({ input: z.number().min(0), output: z.number().min(0) }).optional(),
  /**
   * Requests in flight at once. 'auto' (the default) starts from what the server declares and finds
   * its capacity (backendScheduler.ts); a number pins it. Never more than the client's own maxParallel.
   */
  concurrency: z.union([z.literal('auto'), wholeNumber(1, LIMITS.concurrency)]).default('auto'),
  requestsPerMinute: wholeNumber(1, LIMITS.requestsPerMinute).optional(),
  maxRetries: wholeNumber(0, LIMITS.maxRetries).default(4),
  retryBaseDelayMs: wholeNumber(0, LIMITS.retryBaseDelayMs).default(500),
  retryMaxDelayMs: wholeNumber(0, LIMITS.retryMaxDelayMs).default(30_000),
});

export const roleSchema = z.object({
  backend: z.string().min(1).optional(),
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().gt(0).max(1).optional(),
  maxTokens: wholeNumber(1, LIMITS.maxTokens).default(DEFAULT_MAX_TOKENS),
  seed: seedSchema.optional(),
});

const searchSchema = (stage: RunStage) =>
  z
    .object({
      algorithm: z.enum(SEARCH_ALGORITHMS).default('beam'),
      width: wholeNumber(1, LIMITS.width).default(SEARCH_DEFAULTS[stage].width),
      samples: wholeNumber(1, LIMITS.samples).default(SEARCH_DEFAULTS[stage].samples),
      depth: wholeNumber(1, LIMITS.depth).default(SEARCH_DEFAULTS[stage].depth),
      /** Carry a state over unchanged above this mean score (reference: 4.5); null: never. */
      carryOverAbove: z.number().nullable().default(4.5),
      maxDepthIncrease: wholeNumber(0, LIMITS.maxDepthIncrease).default(10),
      /** Prompt versions shown to the optimizer (reference: 5). */
      historySize: wholeNumber(1, LIMITS.historySize).default(5),
      monteCarloSamples: wholeNumber(1, LIMITS.monteCarloSamples).optional(),
      /** 'unlimited' (the reference): the depth grows on every carry-over, up to maxDepthIncrease; 'a5': never more calls than appendix A.5. */
      callBudget: z.enum(['a5', 'unlimited']).default('unlimited'),
    })
    .prefault({});

/** What a run may spend before it pauses (README "Config"): dollars at the backends' prices, tokens of every call. */
export const budgetSchema = z
  .object({
    dollars: z.number().positive().optional(),
    tokens: wholeNumber(1).optional(),
  })
  .strict();

/** A role's sampling for one stage only (the ICL stage's `iclRoles`): unset keys fall back to `roles`. */
export const roleSamplingSchema = z.object({
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().gt(0).max(1).optional(),
  maxTokens: wholeNumber(1, LIMITS.maxTokens).optional(),
  seed: seedSchema.optional(),
});

export const runConfigSchema = z.object({
  backends: z
    .record(
      z.string(),
      backendSchema.refine(
        (b) => (b.needsConnection ? !b.connection : Boolean(b.plugin) !== Boolean(b.connection)),
        'give either "plugin" or "connection"',
      ),
    )
    .refine((b) => Object.keys(b).length > 0, 'define at least one backend')
    .refine((b) => Object.keys(b).length <= LIMITS.backends, `define at most ${LIMITS.backends} backends`),
  roles: z
    .object({
      base: roleSchema.prefault({}),
      selector: roleSchema.prefault({}),
      judge: roleSchema.prefault({}),
      optimizer: roleSchema.prefault({}),
    })
    .prefault({}),
  /**
   * Per-role sampling of the ICL stage over `roles` (reference: its optimizer at temperature 0,
   * top-p 1 — ICL_ROLE_DEFAULTS fills what is not given).
   */
  iclRoles: z
    .object({
      base: roleSamplingSchema.prefault({}),
      selector: roleSamplingSchema.prefault({}),
      judge: roleSamplingSchema.prefault({}),
      optimizer: roleSamplingSchema.prefault({}),
    })
    .prefault({}),
  /** Absent: 'drpo', or 'drpo-chat' when the base model's backend only chats (decided when the backends open). */
  promptFormat: z.enum(PROMPT_FORMATS).optional(),
  initialPrompt: z.string().default('You are a helpful assistant.'),
  search: searchSchema('system-prompt'),
  iclSearch: searchSchema('icl'),
  reward: z
    .object({
      mode: z.enum(['dynamic', 'static']).default('dynamic'),
      aspects: z.string().optional(),
      minAspects: wholeNumber(1, LIMITS.aspects).default(2),
      maxAspects: wholeNumber(1, LIMITS.aspects).default(5),
      allowNewAspects: z.boolean().default(true),
      promptsDir: z.string().optional(),
      /**
       * How the ICL stage judges an example's answer. 'critic' (the reference): a harsher critic
       * selects 3–6 aspects and deducts for every flaw, the answer's score is the sum; 'reward':
       * the system-prompt stage's selector and judge.
       */
      iclJudge: z.enum(['critic', 'reward']).default('critic'),
      iclMinAspects: wholeNumber(1, LIMITS.aspects).default(3),
      iclMaxAspects: wholeNumber(1, LIMITS.aspects).default(6),
      /**
       * Published aspect selections to import (the reference's metrics_cache.json format:
       * `{query: {aspects_selection: {reasoning, selected_aspects}}}`): a query found there is not asked again.
       */
      selections: z.string().optional(),
    })
    .prefault({}),
  data: z
    .object({
      seedQueries: z.union([z.string(), z.array(z.string()).min(1).max(LIMITS.dataFiles)]).optional(),
      iclExamples: z.string().optional(),
      /** Shuffle the seed queries with this seed (the paper mixes its three sources); absent: file order. */
      shuffleSeed: seedSchema.optional(),
      /** Use only the first N seed queries (after shuffling). */
      limit: wholeNumber(1, LIMITS.dataItems).optional(),
    })
    .prefault({}),
  retrieval: z
    .object({
      k: wholeNumber(0, LIMITS.retrievalK).default(DEFAULT_RETRIEVAL_K),
      embedder: embedderSchema,
    })
    .prefault({}),
  /**
   * Longest free text (a rationale, an analysis) in a structured reply, where the backend enforces
   * the schema; absent: no cap, as the reference. A small local model may need one: under a JSON
   * grammar it can fill its whole token budget with one string and never close the object.
   */
  jsonTextMaxChars: wholeNumber(1, LIMITS.reasonMaxChars).optional(),
  /** Pause once this much is spent; a resume may raise it. Absent: no limit. */
  budget: budgetSchema.optional(),
  runsDir: z.string().default('runs'),
  /** Shared cache of deterministic calls (aspect selections above all); null: none. */
  cacheDir: z.string().nullable().default('.drpo-cache'),
  userDataDir: refusedUserDataDir,
  /** Set on loading: the config file's folder. */
  baseDir: z.string().default('.'),
});

/** A run config as written (every default optional): what the renderer sends and a config file holds. */
export type RunConfigInput = z.input<typeof runConfigSchema>;
