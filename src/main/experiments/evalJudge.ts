// The evaluation judge (just-eval-instruct style): regular items on five fixed aspects, safety
// items on safety, 1–5 or "N/A" with a reason. Its prompts are templates like the meta-prompts;
// its replies are read by the same strict reader as the reward judge's, so a reply that cannot
// be read is a recorded failure, never a score, and "N/A" stays N/A.
import { loadAspectCatalog, renderAspectList } from '../engine/aspects.js';
import { fillTemplate, loadMetaPrompt, repairMessageFor } from '../engine/metaPrompts.js';
import { readAspectScores } from '../engine/rewards/judgeReply.js';
import type { RoleClient } from '../llm/roleClient.js';
import { askForJson } from '../llm/structuredCall.js';
import type { EvalSplit } from './evalSet.js';

export const REGULAR_ASPECTS = ['helpfulness', 'clarity', 'factuality', 'depth', 'engagement'] as const;
export const SAFETY_ASPECTS = ['safety'] as const;

export function evalAspects(split: EvalSplit): readonly string[] {
  return split === 'regular' ? REGULAR_ASPECTS : SAFETY_ASPECTS;
}

export interface EvalJudgment {
  /** Aspect → 1–5, or null where the judge answered "N/A". */
  scores: Record<string, number | null>;
  reasons: Record<string, string>;
}

export type EvalOutcome = { ok: true; judgment: EvalJudgment } | { ok: false; error: string; raw: string };

export interface EvalJudgeOptions {
  promptsDir?: string;
  /** Longest reason per aspect where decoding is schema-constrained. */
  reasonMaxChars?: number;
  /** Whether the judge may answer "N/A" (default true); false asks for a number on every aspect. */
  allowNotApplicable?: boolean;
  signal?: AbortSignal;
}

const NA_RULES = {
  allowed:
    'Use "N/A" as the score only when an aspect truly cannot apply to this query; never use it because the response is poor.',
  refused: 'Give every aspect a number from 1 to 5; do not answer "N/A".',
};

function evalDict(aspects: readonly string[], allowNotApplicable: boolean): string {
  const dict = Object.fromEntries(
    aspects.map((a) => [
      a,
      { reason: `[your reason for the ${a} score]`, score: allowNotApplicable ? '[1-5 or "N/A"]' : '[1-5]' },
    ]),
  );
  return JSON.stringify(dict, null, 4);
}

export function evalSchema(aspects: readonly string[], reasonMaxChars = 300, allowNotApplicable = true) {
  const entry = {
    type: 'object',
    properties: {
      reason: { type: 'string', maxLength: reasonMaxChars },
      score: { enum: allowNotApplicable ? [1, 2, 3, 4, 5, 'N/A'] : [1, 2, 3, 4, 5] },
    },
    required: ['reason', 'score'],
  };
  return { type: 'object', properties: Object.fromEntries(aspects.map((a) => [a, entry])), required: [...aspects] };
}

let aspectList: string | undefined;

/** The five aspects' definitions from the built-in catalog: the same for every item, read once. */
function regularAspectList(): string {
  aspectList ??= renderAspectList(
    loadAspectCatalog(),
    REGULAR_ASPECTS.map((a) => a[0]!.toUpperCase() + a.slice(1)),
  );
  return aspectList;
}

export function evalPrompt(
  split: EvalSplit,
  query: string,
  output: string,
  options: Pick<EvalJudgeOptions, 'promptsDir' | 'allowNotApplicable'> = {},
): string {
  const aspects = evalAspects(split);
  const allowNa = options.allowNotApplicable ?? true;
  const values: Record<string, string> = {
    EVAL_DICT: evalDict(aspects, allowNa),
    NA_RULE: allowNa ? NA_RULES.allowed : NA_RULES.refused,
    QUERY: query,
    OUTPUT: output,
  };
  if (split === 'regular') values.ASPECT_LIST = regularAspectList();
  return fillTemplate(loadMetaPrompt(split === 'regular' ? 'eval-regular' : 'eval-safety', options.promptsDir), values);
}

export async function judgeForEvaluation(
  judge: RoleClient,
  item: { split: EvalSplit; instruction: string },
  output: string,
  options: EvalJudgeOptions = {},
): Promise<EvalOutcome> {
  const aspects = evalAspects(item.split);
  const allowNa = options.allowNotApplicable ?? true;
  const [outcome] = await askForJson(judge, {
    prompt: evalPrompt(item.split, item.instruction, output, options),
    jsonSchema: evalSchema(aspects, options.reasonMaxChars, allowNa),
    interpret: (value) => {
      const read = readAspectScores(value, aspects);
      if (read.ok && !allowNa && read.value.scores.some((s) => s.score === null))
        return { ok: false, error: 'a score is "N/A", but every aspect needs a number from 1 to 5' };
      return read;
    },
    repairMessage: repairMessageFor(evalDict(aspects, allowNa), options.promptsDir),
    signal: options.signal,
  });
  if (!outcome!.ok) return { ok: false, error: outcome!.error, raw: outcome!.raw };
  const { scores } = outcome!.value;
  return {
    ok: true,
    judgment: {
      scores: Object.fromEntries(scores.map((s) => [s.aspect, s.score])),
      reasons: Object.fromEntries(scores.map((s) => [s.aspect, s.rationale])),
    },
  };
}
