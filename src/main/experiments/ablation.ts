// The paper's ablations as one resumable job: the same system-prompt run with beam, greedy and
// Monte Carlo search (Table 4, equal budgets as searchPlan defines them) and with static instead
// of dynamic rewarding (Table 5), then one experiment that evaluates them side by side with the
// basic prompt, plus the beam prompt without its system prompt and without its ICL examples
// (Table 3). Two switches add the rest of the paper's rows: static rewarding for both stages
// (Table 5's last row: the ICL stage with static rewarding, then the static system-prompt run on
// those examples) and the basic prompt with the beam run's examples, K = 2 (Table 2's "Base
// Prompt"). The ablation folder records each step's folder, so a resume continues each step
// from its own log. The ablation holds its folder's lock to the end, and each step's while it runs.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ExperimentResult } from '../../shared/experimentTypes.js';
import { loadRunConfig, type RunConfig, readJsonConfig } from '../config/runConfig.js';
import { readJsonFile } from '../data/jsonFiles.js';
import { checkBackendSettings } from '../runs/openBackends.js';
import type { IclResult } from '../runs/runResult.js';
import { type RunOptions, runStage } from '../runs/runSession.js';
import { acquireLock, type Lock } from '../store/exclusiveLock.js';
import { makePrivateDir, writeFileAtomic } from '../store/privateFiles.js';
import { createRunFolder, newRunId, openRunFolder, type RunFolder, readResult } from '../store/runFolder.js';
import type { RunStage } from '../store/runLog.js';
import { defaultUserDataDir } from '../store/settingsStore.js';
import {
  BASIC_PROMPT,
  experimentConfigSchema,
  normalizeExperimentConfig,
  type SetupInput,
} from './experimentConfig.js';
import { createExperimentFolder, openExperimentFolder } from './experimentFolder.js';
import { type ExperimentOptions, runExperiment } from './experimentSession.js';
import { resolveJudgeProtocol } from './judgeProtocol.js';

export const ABLATION_VARIANTS = ['beam', 'greedy', 'monte-carlo', 'static'] as const;
export type AblationVariant = (typeof ABLATION_VARIANTS)[number];
/** The runs of the static-both-stages row: its ICL stage, then its system-prompt run. */
export type AblationStep = AblationVariant | 'static-icl' | 'static-both';

/** Table 2's "Base Prompt": the basic prompt with K = 2 retrieved examples. */
const BASE_PROMPT_K = 2;

export const ablationConfigSchema = z.object({
  /** The system-prompt run config every variant starts from. */
  optimize: z.string(),
  variants: z
    .array(z.enum(ABLATION_VARIANTS))
    .min(1)
    .max(ABLATION_VARIANTS.length)
    .default([...ABLATION_VARIANTS]),
  /** Table 3: also evaluate the beam run's prompt without its system prompt and without its ICL examples. */
  removal: z.boolean().default(true),
  /**
   * Table 5's last row: optimize the ICL examples with static rewarding, then run the static
   * system-prompt search on those examples, and evaluate that prompt with them.
   */
  staticBothStages: z.boolean().default(false),
  /** The examples that ICL stage starts from (the paper's I_base); default the optimize config's data.iclExamples. */
  baseIclExamples: z.string().optional(),
  /** Table 2's "Base Prompt": the basic prompt with the beam run's examples, K = 2 retrieved per query. */
  basePromptWithExamples: z.boolean().default(false),
  /** The experiment that compares them (its setups are generated). */
  evaluation: experimentConfigSchema.omit({ setups: true, baseline: true }).extend({ setups: z.never().optional() }),
  ablationsDir: z.string().default('ablations'),
});

export type AblationConfig = z.infer<typeof ablationConfigSchema>;
type Switches = Pick<AblationConfig, 'variants' | 'removal' | 'staticBothStages' | 'basePromptWithExamples'>;

type AblationRuns = Partial<Record<AblationStep, string>>;

interface AblationState {
  config: AblationConfig;
  baseDir: string;
  runs: AblationRuns;
  experiment?: string;
}

export function variantConfig(base: RunConfig, variant: AblationVariant): RunConfig {
  const search = { ...base.search, algorithm: variant === 'static' ? 'beam' : variant } as RunConfig['search'];
  const reward = { ...base.reward, mode: variant === 'static' ? 'static' : 'dynamic' } as RunConfig['reward'];
  return { ...base, search, reward };
}

/** The runs an ablation makes, in order: the variants, then the static-both-stages row's two. */
export function ablationSteps(config: Switches): AblationStep[] {
  return [...config.variants, ...(config.staticBothStages ? (['static-icl', 'static-both'] as const) : [])];
}

/**
 * A step's stage and run config. The static ICL stage starts from `baseIclExamples` (default the
 * config's own); the static-both run uses the examples that stage wrote (`iclExamples`).
 */
export function stepConfig(
  base: RunConfig,
  step: AblationStep,
  files: { baseIclExamples?: string; iclExamples?: string } = {},
): { stage: RunStage; config: RunConfig } {
  if (step === 'static-icl') {
    const data = { ...base.data, iclExamples: files.baseIclExamples ?? base.data.iclExamples };
    return { stage: 'icl', config: { ...base, reward: { ...base.reward, mode: 'static' }, data } };
  }
  if (step === 'static-both') {
    if (!files.iclExamples) throw new Error('the static system-prompt run needs the static ICL stage’s examples');
    const config = variantConfig(base, 'static');
    return { stage: 'system-prompt', config: { ...config, data: { ...config.data, iclExamples: files.iclExamples } } };
  }
  return { stage: 'system-prompt', config: variantConfig(base, step) };
}

/**
 * The experiment's setups: the basic prompt, each variant's best prompt, the static-both-stages
 * prompt with its own examples, the Table 3 removals, and Table 2's basic prompt with examples.
 */
export function ablationSetups(runs: AblationRuns, config: Switches): SetupInput[] {
  const setups: SetupInput[] = [{ kind: 'baseline', name: 'basic prompt', systemPrompt: BASIC_PROMPT }];
  for (const variant of config.variants) {
    const run = runs[variant];
    if (run) setups.push({ kind: 'run', name: variant === 'static' ? 'beam, static reward' : variant, run });
  }
  if (config.staticBothStages && runs['static-both'] && runs['static-icl'])
    setups.push({
      kind: 'run',
      name: 'beam, static reward (both stages)',
      run: runs['static-both'],
      examples: runs['static-icl'],
    });
  if (config.removal && runs.beam) {
    setups.push({ kind: 'run', name: 'beam − system prompt', run: runs.beam, withoutSystemPrompt: true });
    setups.push({ kind: 'run', name: 'beam − ICL examples', run: runs.beam, withoutExamples: true });
  }
  if (config.basePromptWithExamples && runs.beam)
    setups.push({
      kind: 'run',
      name: `basic prompt + ICL (K=${BASE_PROMPT_K})`,
      run: runs.beam,
      withoutSystemPrompt: true,
      k: BASE_PROMPT_K,
    });
  return setups;
}

/** An ablation folder opened for writing by `what`, who also opens each step's folder; runAblation lets the lock go. */
export interface AblationFolder {
  dir: string;
  state: AblationState;
  what: string;
  lock: Lock;
}

/** `userDataDir`: the host's settings and plugins that serve the runs (default $DRPO_STUDIO_HOME or ~/.drpo-studio). */
export async function createAblationFolder(file: string, what: string, userDataDir?: string): Promise<AblationFolder> {
  const parsed = ablationConfigSchema.safeParse(readJsonConfig(file, 'ablation config'));
  if (!parsed.success) throw new Error(`invalid ablation config:\n${z.prettifyError(parsed.error)}`);
  const baseDir = path.dirname(path.resolve(file));
  const config = {
    ...parsed.data,
    optimize: path.resolve(baseDir, parsed.data.optimize),
    ...(parsed.data.baseIclExamples ? { baseIclExamples: path.resolve(baseDir, parsed.data.baseIclExamples) } : {}),
  };
  if (config.basePromptWithExamples && !config.variants.includes('beam'))
    throw new Error(
      'invalid ablation config: basePromptWithExamples uses the beam run\'s examples; add "beam" to variants',
    );
  // Fail now, not after the first run; and never write a refused setting (a literal key) to disk.
  await checkBackendSettings(loadRunConfig(config.optimize), { userDataDir });
  // The evaluation as it will run, less the setups that need the runs: the basic prompt's alone.
  const evaluation = normalizeExperimentConfig({ ...config.evaluation, setups: ablationSetups({}, config) }, baseDir);
  await checkBackendSettings(evaluation, { userDataDir });
  // A judge protocol that cannot be had fails now too, not after the runs.
  resolveJudgeProtocol(evaluation.judge, userDataDir ?? defaultUserDataDir());
  const dir = path.join(path.resolve(baseDir, config.ablationsDir), newRunId('ablation'));
  makePrivateDir(dir);
  const folder = { dir, state: { config, baseDir, runs: {} }, what, lock: acquireLock(dir, what) };
  save(folder);
  return folder;
}

export function openAblationFolder(dir: string, what: string): AblationFolder {
  const file = path.join(dir, 'ablation.json');
  if (!existsSync(file)) throw new Error(`${dir} is not an ablation folder (no ablation.json)`);
  const state = readJsonFile(file) as AblationState;
  return { dir, state, what, lock: acquireLock(dir, what) };
}

function save(folder: Pick<AblationFolder, 'dir' | 'state'>): void {
  writeFileAtomic(path.join(folder.dir, 'ablation.json'), `${JSON.stringify(folder.state, null, 2)}\n`);
}

export interface AblationOptions {
  signal?: AbortSignal;
  onStep?: (step: string) => void;
  /** The host's settings and plugins that serve the runs and the evaluation (default $DRPO_STUDIO_HOME or ~/.drpo-studio). */
  userDataDir?: string;
  run?: Omit<RunOptions, 'signal'>;
  experiment?: Omit<ExperimentOptions, 'signal'>;
}

export async function runAblation(folder: AblationFolder, options: AblationOptions = {}): Promise<ExperimentResult> {
  try {
    return await runLockedAblation(folder, options);
  } finally {
    folder.lock.release();
  }
}

/** The examples a finished ICL run wrote. */
function iclExamplesOf(dir: string): string {
  const result = readResult<IclResult>(dir);
  if (result?.stage !== 'icl') throw new Error(`${dir} is not a finished ICL run`);
  return path.join(dir, result.iclExamplesFile);
}

async function runLockedAblation(folder: AblationFolder, options: AblationOptions): Promise<ExperimentResult> {
  const { state, what } = folder;
  const base = loadRunConfig(state.config.optimize);
  for (const step of ablationSteps(state.config)) {
    const known = state.runs[step];
    if (known && readResult(known)) continue;
    let run: RunFolder;
    if (known) run = openRunFolder(known, what);
    else {
      const { stage, config } = stepConfig(base, step, {
        baseIclExamples: state.config.baseIclExamples,
        iclExamples: step === 'static-both' ? iclExamplesOf(state.runs['static-icl']!) : undefined,
      });
      run = createRunFolder({ ...config, runsDir: path.join(folder.dir, 'runs') }, stage, what);
      state.runs[step] = run.dir;
      save(folder);
    }
    options.onStep?.(`${step}: ${run.resumed ? 'resuming' : 'running'} ${run.dir}`);
    await runStage(run, { ...options.run, signal: options.signal, userDataDir: options.userDataDir });
  }
  const done = state.experiment ? readResult<ExperimentResult>(state.experiment) : undefined;
  if (done) return done;
  const experiment = state.experiment
    ? openExperimentFolder(state.experiment, what)
    : createExperimentFolder(
        normalizeExperimentConfig(
          {
            ...state.config.evaluation,
            setups: ablationSetups(state.runs, state.config),
            experimentsDir: path.join(folder.dir, 'experiments'),
          },
          state.baseDir,
        ),
        what,
        options.userDataDir,
      );
  if (!state.experiment) {
    state.experiment = experiment.dir;
    save(folder);
  }
  options.onStep?.(`evaluation: ${experiment.resumed ? 'resuming' : 'running'} ${experiment.dir}`);
  return runExperiment(experiment, { ...options.experiment, signal: options.signal, userDataDir: options.userDataDir });
}
