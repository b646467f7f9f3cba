// The New experiment form's values and the CLI-format experiment config they make (README
// "Experiments"): targets and the evaluation judge reference saved connections, the evaluation
// set is a saved dataset or a file, setups are the basic prompt, a URIAL file, a finished run or
// a typed prompt.
import { budgetFromFields } from '../../../../shared/money';
import { type Concurrency, concurrencyValid } from '../../shell/concurrency';
import type { PromptFormat } from '../../shell/promptFormats';

export type SetupKind = 'baseline' | 'urial' | 'run' | 'prompt';

export interface SetupRow {
  /** Stable React key; not sent. */
  key: number;
  kind: SetupKind;
  name: string;
  /** urial: the prompt file's path (absolute, or relative to the user-data folder). */
  file: string;
  /** run: a finished system-prompt run's id. */
  run: string;
  /** prompt: the system prompt itself. */
  systemPrompt: string;
}

export interface TargetRow {
  key: number;
  name: string;
  connection: string;
  /** 'automatic': drpo, or drpo-chat where the target's connection only chats. */
  format: PromptFormat | 'automatic';
  maxTokens: number;
}

export interface NewExperimentValues {
  evalSource: 'dataset' | 'file';
  dataset: string;
  file: string;
  split: 'all' | 'regular' | 'safety';
  /** A seeded sample of this many items; '' judges every selected item. */
  sampleSize: string;
  sampleSeed: number;
  setups: SetupRow[];
  /** The setup deltas are taken against. */
  baseline: string;
  targets: TargetRow[];
  judge: JudgeValues;
  /** Requests in flight per connection: 'auto' finds what the server serves; a number pins it. */
  concurrency: Concurrency;
  /** `budget`: pause once answers and judgments have spent this many dollars or tokens; '' for no limit. */
  budgetDollars: string;
  budgetTokens: string;
}

/** The evaluation judge's prompts: 'default' lets the engine take just-eval's when it has them (README "Experiments"). */
export type JudgeProtocolChoice = 'default' | 'just-eval' | 'drpo-studio';

export interface JudgeValues {
  connection: string;
  protocol: JudgeProtocolChoice;
  /** just-eval's template files; both empty: the user-data folder's just-eval/ (where `eval-set fetch` puts them). */
  regularTemplate: string;
  safetyTemplate: string;
  maxTokens: number;
  /** Longest reason per aspect where decoding is schema-constrained; '' sets no cap. */
  reasonMaxChars: string;
  allowNotApplicable: boolean;
}

export const JUDGE_PROTOCOLS: readonly { value: JudgeProtocolChoice; label: string }[] = [
  { value: 'default', label: "just-eval's templates when they are there, else the project's own" },
  { value: 'just-eval', label: "just-eval's templates (compare with the paper)" },
  { value: 'drpo-studio', label: "The project's own prompts (drpo-studio)" },
];

export const SETUP_KINDS: readonly { value: SetupKind; label: string }[] = [
  { value: 'baseline', label: 'Baseline (the basic prompt)' },
  { value: 'urial', label: 'URIAL prompt file' },
  { value: 'run', label: 'A finished run' },
  { value: 'prompt', label: 'A typed prompt' },
];

let nextKey = 1;
const key = () => nextKey++;

export function newSetup(kind: SetupKind, taken: readonly string[]): SetupRow {
  return { key: key(), kind, name: freeName(kind, taken), file: '', run: '', systemPrompt: '' };
}

export function newTarget(connection: string, taken: readonly string[]): TargetRow {
  return { key: key(), name: freeName(connection || 'target', taken), connection, format: 'automatic', maxTokens: 512 };
}

/** `base`, or `base-2`, `base-3`… whichever is not taken yet. */
export function freeName(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  let n = 2;
  while (taken.includes(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}

export function defaultExperimentValues(connection = ''): NewExperimentValues {
  const baseline = newSetup('baseline', []);
  return {
    evalSource: 'dataset',
    dataset: '',
    file: '',
    split: 'all',
    sampleSize: '',
    sampleSeed: 0,
    setups: [baseline],
    baseline: baseline.name,
    targets: [newTarget(connection, [])],
    judge: {
      connection,
      protocol: 'default',
      regularTemplate: '',
      safetyTemplate: '',
      maxTokens: 1024,
      reasonMaxChars: '',
      allowNotApplicable: true,
    },
    concurrency: 'auto',
    budgetDollars: '',
    budgetTokens: '',
  };
}

/** What keeps the form from starting, or null when it can. */
export function formProblem(values: NewExperimentValues): string | null {
  if (values.evalSource === 'dataset' ? !values.dataset : !values.file.trim()) return 'Choose an evaluation set.';
  if (values.sampleSize !== '' && !(Number.parseInt(values.sampleSize, 10) >= 1))
    return 'The sample size is a whole number from 1.';
  if (values.setups.length === 0) return 'Add a setup.';
  if (values.targets.length === 0) return 'Add a target model.';
  for (const list of [values.setups.map((s) => s.name.trim()), values.targets.map((t) => t.name.trim())]) {
    if (list.some((name) => !name)) return 'Every setup and target needs a name.';
    const twice = list.find((name, i) => list.indexOf(name) !== i);
    if (twice) return `The name "${twice}" is used twice.`;
  }
  const incomplete = values.setups.find(
    (s) =>
      (s.kind === 'urial' && !s.file.trim()) ||
      (s.kind === 'run' && !s.run) ||
      (s.kind === 'prompt' && !s.systemPrompt.trim()),
  );
  if (incomplete) return `Setup "${incomplete.name}" is not complete.`;
  if (values.targets.some((t) => !t.connection) || !values.judge.connection)
    return 'Choose a connection for every target and for the judge.';
  if (!values.setups.some((s) => s.name.trim() === values.baseline)) return 'Choose the baseline setup.';
  const { judge } = values;
  if (judge.reasonMaxChars.trim() !== '' && !(Number.parseInt(judge.reasonMaxChars, 10) >= 10))
    return 'The reason length is a whole number from 10, or empty for no cap.';
  if ((judge.regularTemplate.trim() === '') !== (judge.safetyTemplate.trim() === ''))
    return "Give both of just-eval's template files, or neither.";
  if (judge.protocol === 'drpo-studio' && judge.regularTemplate.trim())
    return "just-eval's template files serve the just-eval protocol, not the project's own prompts.";
  if (!concurrencyValid(values.concurrency))
    return 'Pin the requests at once to a whole number from 1, or choose auto.';
  return null;
}

const backendOf = (connection: string) => `conn-${connection}`;

/** The experiment config in the CLI's JSON format; backends reference saved connections. */
export function buildExperimentConfig(values: NewExperimentValues): Record<string, unknown> {
  const connections = [...new Set([...values.targets.map((t) => t.connection), values.judge.connection])];
  const sample = Number.parseInt(values.sampleSize, 10);
  const budget = budgetFromFields(values.budgetDollars, values.budgetTokens);
  return {
    backends: Object.fromEntries(
      connections.map((c) => [backendOf(c), { connection: c, concurrency: values.concurrency }]),
    ),
    evalSet: {
      ...(values.evalSource === 'dataset' ? { dataset: values.dataset } : { file: values.file.trim() }),
      split: values.split,
      ...(sample >= 1 ? { sample: { size: sample, seed: values.sampleSeed } } : {}),
    },
    setups: values.setups.map((s) => {
      const name = s.name.trim();
      switch (s.kind) {
        case 'baseline':
          return { name, kind: 'baseline' };
        case 'urial':
          return { name, kind: 'urial', file: s.file.trim() };
        case 'run':
          // Run folders live in the user-data folder, which a studio config's relative paths resolve against.
          return { name, kind: 'run', run: `runs/${s.run}` };
        default: // 'prompt'
          return { name, kind: 'prompt', systemPrompt: s.systemPrompt };
      }
    }),
    targets: values.targets.map((t) => ({
      name: t.name.trim(),
      backend: backendOf(t.connection),
      ...(t.format === 'automatic' ? {} : { format: t.format }),
      maxTokens: t.maxTokens,
    })),
    judge: judgeConfig(values.judge),
    baseline: values.baseline,
    ...(budget ? { budget } : {}),
  };
}

function judgeConfig(judge: JudgeValues): Record<string, unknown> {
  const reasonMaxChars = Number.parseInt(judge.reasonMaxChars, 10);
  const regular = judge.regularTemplate.trim();
  const safety = judge.safetyTemplate.trim();
  return {
    backend: backendOf(judge.connection),
    ...(judge.protocol === 'default' ? {} : { protocol: judge.protocol }),
    ...(regular && safety ? { templates: { regular, safety } } : {}),
    maxTokens: judge.maxTokens,
    ...(reasonMaxChars >= 10 ? { reasonMaxChars } : {}),
    allowNotApplicable: judge.allowNotApplicable,
  };
}
