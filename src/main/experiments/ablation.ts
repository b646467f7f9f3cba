// The paper's ablations as one resumable job: the same system-prompt run with beam, greedy and
// Monte Carlo search (Table 4, equal budgets as searchPlan defines them) and with static instead
// of dynamic rewarding (Table 5), then one experiment that evaluates them side by side with the
// basic prompt, plus the beam prompt without its system prompt and without its ICL examples
// (Table 3). The ablation folder records each step's folder, so a resume continues each step
// from its own log. The ablation holds its folder's lock to the end, and each step's while it runs.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ExperimentResult } from '../../shared/experimentTypes.js';
import { loadRunConfig, type RunConfig, readJsonConfig } from '../config/runConfig.js';
import { readJsonFile } from '../data/jsonFiles.js';
import { checkBackendSettings } from '../runs/openBackends.js';
import { type RunOptions, runStage } from '../runs/runSession.js';
import { acquireLock, type Lock } from '../store/exclusiveLock.js';
import { makePrivateDir, writeFileAtomic } from '../store/privateFiles.js';
import { createRunFolder, newRunId, openRunFolder, readResult } from '../store/runFolder.js';
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
  /** The experiment that compares them (its setups are generated). */
  evaluation: experimentConfigSchema.omit({ setups: true, baseline: true }).extend({ setups: z.never().optional() }),
  ablationsDir: z.string().default('ablations'),
});

export type AblationConfig = z.infer<typeof ablationConfigSchema>;

interface AblationState {
  config: AblationConfig;
  baseDir: string;
  runs: Partial<Record<AblationVariant, string>>;
  experiment?: string;
}

export function variantConfig(base: RunConfig, variant: AblationVariant): RunConfig {
  const search = { ...base.search, algorithm: variant === 'static' ? 'beam' : variant } as RunConfig['search'];
  const reward = { ...base.reward, mode: variant === 'static' ? 'static' : 'dynamic' } as RunConfig['reward'];
  return { ...base, search, reward };
}

/** The experiment's setups: the basic prompt, each variant's best prompt, and the Table 3 removals. */
export function ablationSetups(runs: Partial<Record<AblationVariant, string>>, removal: boolean): SetupInput[] {
  const setups: SetupInput[] = [{ kind: 'baseline', name: 'basic prompt', systemPrompt: BASIC_PROMPT }];
  for (const [variant, run] of Object.entries(runs))
    setups.push({ kind: 'run', name: variant === 'static' ? 'beam, static reward' : variant, run: run! });
  if (removal && runs.beam) {
    setups.push({ kind: 'run', name: 'beam − system prompt', run: runs.beam, withoutSystemPrompt: true });
    setups.push({ kind: 'run', name: 'beam − ICL examples', run: runs.beam, withoutExamples: true });
  }
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
  const config = { ...parsed.data, optimize: path.resolve(baseDir, parsed.data.optimize) };
  // Fail now, not after the first run; and never write a refused setting (a literal key) to disk.
  await checkBackendSettings(loadRunConfig(config.optimize), { userDataDir });
  // The evaluation as it will run, less the setups that need the runs: the basic prompt's alone.
  const evaluation = normalizeExperimentConfig({ ...config.evaluation, setups: ablationSetups({}, false) }, baseDir);
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

async function runLockedAblation(folder: AblationFolder, options: AblationOptions): Promise<ExperimentResult> {
  const { state, what } = folder;
  const base = loadRunConfig(state.config.optimize);
  for (const variant of state.config.variants) {
    const known = state.runs[variant];
    if (known && readResult(known)) continue;
    const run = known
      ? openRunFolder(known, what)
      : createRunFolder(
          { ...variantConfig(base, variant), runsDir: path.join(folder.dir, 'runs') },
          'system-prompt',
          what,
        );
    if (!known) {
      state.runs[variant] = run.dir;
      save(folder);
    }
    options.onStep?.(`${variant}: ${run.resumed ? 'resuming' : 'running'} ${run.dir}`);
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
            setups: ablationSetups(state.runs, state.config.removal),
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
