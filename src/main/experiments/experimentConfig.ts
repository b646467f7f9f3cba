// The JSON config of an experiment (README: "Experiments"): an evaluation set and a selection of
// it, alignment setups, target models, and the evaluation judge, chosen apart from any run's
// reward judge. Relative paths resolve against the config file's folder.
import path from 'node:path';
import { z } from 'zod';
import { LIMITS } from '../../shared/requestLimits.js';
import {
  backendSchema,
  budgetSchema,
  embedderSchema,
  refusedUserDataDir,
  seedSchema,
  wholeNumber,
} from '../../shared/runConfigSchema.js';
import { readJsonConfig } from '../config/runConfig.js';
import { PROMPT_FORMATS } from '../engine/promptAssembly.js';
import { JUDGE_PROTOCOLS } from './judgeProtocol.js';

const common = {
  name: z.string().min(1),
  /** Retrieved examples per query (the paper's K); default 2, URIAL: all of its examples. */
  k: wholeNumber(0, LIMITS.retrievalK).optional(),
  /** Prompt format for this setup; default the target's. */
  format: z.enum(PROMPT_FORMATS).optional(),
  /** Table 3 ablations: the basic prompt instead of the setup's own, or no ICL examples. */
  withoutSystemPrompt: z.boolean().default(false),
  withoutExamples: z.boolean().default(false),
};

export const BASIC_PROMPT = 'You are a helpful assistant.';

export const setupSchema = z.discriminatedUnion('kind', [
  /** The basic alignment prompt with no examples (the paper's "Base" method). */
  z.object({ kind: z.literal('baseline'), ...common, systemPrompt: z.string().default(BASIC_PROMPT) }),
  /** A prompt typed in or read from a file, with ICL examples from a file. */
  z.object({
    kind: z.literal('prompt'),
    ...common,
    systemPrompt: z.string().optional(),
    systemPromptFile: z.string().optional(),
    examples: z.string().optional(),
  }),
  /** A URIAL-style prompt file: instructions followed by fenced query/answer examples. */
  z.object({ kind: z.literal('urial'), ...common, file: z.string() }),
  /** A finished run: a system-prompt run's best prompt; examples from an ICL run folder, a file, or the run's own. */
  z.object({ kind: z.literal('run'), ...common, run: z.string(), examples: z.string().optional() }),
]);

export type SetupConfig = z.infer<typeof setupSchema>;
/** A setup as written in a config (defaults not yet filled). */
export type SetupInput = z.input<typeof setupSchema>;

export const experimentConfigSchema = z.object({
  backends: z
    .record(
      z.string(),
      backendSchema.refine((b) => Boolean(b.plugin) !== Boolean(b.connection), 'give either "plugin" or "connection"'),
    )
    .refine((b) => Object.keys(b).length <= LIMITS.backends, `define at most ${LIMITS.backends} backends`),
  evalSet: z.object({
    file: z.string(),
    split: z.enum(['all', 'regular', 'safety']).default('all'),
    categories: z.array(z.string()).max(LIMITS.categories).optional(),
    ids: z
      .array(z.union([z.string(), z.number()]))
      .max(LIMITS.evalItems)
      .optional(),
    sample: z.object({ size: wholeNumber(1, LIMITS.evalItems), seed: seedSchema }).optional(),
  }),
  setups: z.array(setupSchema).min(1).max(LIMITS.setups),
  targets: z
    .array(
      z.object({
        name: z.string().min(1),
        backend: z.string(),
        /** Absent: 'drpo', or 'drpo-chat' when the target's backend only chats (decided when it opens). */
        format: z.enum(PROMPT_FORMATS).optional(),
        maxTokens: wholeNumber(1, LIMITS.maxTokens).default(512),
        temperature: z.number().min(0).max(2).default(0),
        seed: seedSchema.optional(),
      }),
    )
    .min(1)
    .max(LIMITS.targets),
  judge: z.object({
    backend: z.string(),
    /**
     * The judge's prompts: 'just-eval' (just-eval's templates, filled as just-eval fills them) or
     * 'drpo-studio' (the project's own). Unset: just-eval when its templates can be had, else
     * drpo-studio with a warning (judgeProtocol.ts).
     */
    protocol: z.enum(JUDGE_PROTOCOLS).optional(),
    /** just-eval's templates as files of the user's (default: where `eval-set fetch` put them). */
    templates: z.object({ regular: z.string(), safety: z.string() }).strict().optional(),
    maxTokens: wholeNumber(1, LIMITS.maxTokens).default(1024),
    /** Longest reason per aspect the judge may write where decoding is schema-constrained; no cap unless set. */
    reasonMaxChars: wholeNumber(10, LIMITS.reasonMaxChars).optional(),
    /** Whether "N/A" is an allowed answer (kept apart, never a score); false asks for a number on every aspect. */
    allowNotApplicable: z.boolean().default(true),
  }),
  /**
   * What ranks the examples of the setups that are not runs (a run setup ranks with its run's
   * retriever): the paper's embedding model by default, BM25 where it cannot be had. A backend's
   * embeddings serve runs only.
   */
  retrieval: z.object({ embedder: embedderSchema }).prefault({}),
  /** The setup deltas are taken against (default: the first). */
  baseline: z.string().optional(),
  /** Custom evaluation prompts of protocol drpo-studio (eval-regular.txt, eval-safety.txt) and the repair re-ask (repair.txt). */
  promptsDir: z.string().optional(),
  experimentsDir: z.string().default('experiments'),
  /** Pause once this much is spent, answers and judgments together (a run's `budget`); a resume may raise it. */
  budget: budgetSchema.optional(),
  cacheDir: z.string().nullable().default('.drpo-cache'),
  userDataDir: refusedUserDataDir,
  baseDir: z.string().default('.'),
});

export type ExperimentConfig = z.infer<typeof experimentConfigSchema>;

const resolve = (dir: string, file: string | undefined) => (file === undefined ? undefined : path.resolve(dir, file));

export function normalizeExperimentConfig(input: unknown, baseDir: string): ExperimentConfig {
  const parsed = experimentConfigSchema.safeParse(input);
  if (!parsed.success) throw new Error(`invalid experiment config:\n${z.prettifyError(parsed.error)}`);
  const config = parsed.data;
  const backends = Object.keys(config.backends);
  const unknown = [...config.targets.map((t) => t.backend), config.judge.backend].find(
    (b) => !Object.hasOwn(config.backends, b),
  );
  if (unknown) throw new Error(`invalid experiment config: backend "${unknown}" is not one of: ${backends.join(', ')}`);
  for (const list of [config.setups.map((s) => s.name), config.targets.map((t) => t.name)]) {
    const twice = list.find((name, i) => list.indexOf(name) !== i);
    if (twice) throw new Error(`invalid experiment config: the name "${twice}" is used twice`);
  }
  config.baseline ??= config.setups[0]!.name;
  if (!config.setups.some((s) => s.name === config.baseline))
    throw new Error(`invalid experiment config: baseline "${config.baseline}" is not a setup`);
  config.baseDir = baseDir;
  config.evalSet.file = path.resolve(baseDir, config.evalSet.file);
  for (const setup of config.setups) {
    if (setup.kind === 'prompt') {
      if (setup.systemPrompt === undefined && setup.systemPromptFile === undefined)
        throw new Error(`invalid experiment config: setup "${setup.name}" needs systemPrompt or systemPromptFile`);
      setup.systemPromptFile = resolve(baseDir, setup.systemPromptFile);
      setup.examples = resolve(baseDir, setup.examples);
    }
    if (setup.kind === 'urial') setup.file = path.resolve(baseDir, setup.file);
    if (setup.kind === 'run') {
      setup.run = path.resolve(baseDir, setup.run);
      setup.examples = resolve(baseDir, setup.examples);
    }
  }
  if (config.judge.templates)
    config.judge.templates = {
      regular: path.resolve(baseDir, config.judge.templates.regular),
      safety: path.resolve(baseDir, config.judge.templates.safety),
    };
  if (config.judge.protocol === 'drpo-studio' && config.judge.templates)
    throw new Error(
      'invalid experiment config: judge.templates are just-eval\'s; they cannot serve judge.protocol "drpo-studio"',
    );
  const embedder = config.retrieval.embedder;
  if (typeof embedder === 'object' && embedder.kind === 'transformers')
    embedder.modelDir = path.resolve(baseDir, embedder.modelDir);
  config.promptsDir = resolve(baseDir, config.promptsDir);
  config.experimentsDir = path.resolve(baseDir, config.experimentsDir);
  config.cacheDir = config.cacheDir === null ? null : path.resolve(baseDir, config.cacheDir);
  return config;
}

export function loadExperimentConfig(file: string): ExperimentConfig {
  return normalizeExperimentConfig(readJsonConfig(file, 'experiment config'), path.dirname(path.resolve(file)));
}
