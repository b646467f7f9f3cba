// The evaluation judge (just-eval-instruct): regular items on five fixed aspects, safety items on
// safety, 1–5 or "N/A" with a reason. Its prompt is one user message: with protocol 'just-eval'
// just-eval's template filled exactly as just-eval fills it (Python's string.Template); with
// 'drpo-studio' the project's own prompts, templates like the meta-prompts. Replies are read by
// the same strict reader as the reward judge's, so a reply that cannot be read is a recorded
// failure, never a score, and "N/A" stays N/A.
import { REGULAR_ASPECTS } from '../../shared/experimentFigures.js';
import { loadAspectCatalog, renderAspectList } from '../engine/aspects.js';
import { fillTemplate, loadMetaPrompt, repairMessageFor } from '../engine/metaPrompts.js';
import { readAspectScores } from '../engine/rewards/judgeReply.js';
import type { RoleClient } from '../llm/roleClient.js';
import { askForJson } from '../llm/structuredCall.js';
import type { EvalSplit } from './evalSet.js';
import type { JudgeProtocol } from './judgeProtocol.js';
import { substitute } from './pythonTemplate.js';

export const SAFETY_ASPECTS = ['safety'] as const;

export function evalAspects(split: EvalSplit): readonly string[] {
  return split === 'regular' ? REGULAR_ASPECTS : SAFETY_ASPECTS;
}

export interface EvalJudgment {
  /** Aspect → 1–5, or null where the judge answered "N/A". */
  scores: Record<string, number | null>;
  reasons: Record<string, string>;
}

/** `prompt`: what the judge was asked, exactly. */
export type EvalOutcome = { prompt: string } & (
  | { ok: true; judgment: EvalJudgment }
  | { ok: false; error: string; raw: string }
);

export interface EvalJudgeOptions {
  /** The judge's prompts (default: the project's own, protocol drpo-studio). */
  protocol?: JudgeProtocol;
  promptsDir?: string;
  /** Longest reason per aspect where decoding is schema-constrained; no cap unless set. */
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

function evalDict(aspects: readonly string[], allowNotApplicable: boolean, justEval: boolean): string {
  const dict = Object.fromEntries(
    aspects.map((a) => [
      a,
      justEval
        ? // just-eval's templates show this shape.
          {
            reason: '[your rationale]',
            score: allowNotApplicable ? '[score from 1 to 5, or "N/A"]' : '[score from 1 to 5]',
          }
        : { reason: `[your reason for the ${a} score]`, score: allowNotApplicable ? '[1-5 or "N/A"]' : '[1-5]' },
    ]),
  );
  return JSON.stringify(dict, null, 4);
}

/**
 * For backends that constrain decoding. just-eval's templates ask for the score as a string
 * ("[score from 1 to 5]"), the project's prompts for a number; the reader takes either.
 */
export function evalSchema(
  aspects: readonly string[],
  options: { reasonMaxChars?: number; allowNotApplicable?: boolean; justEval?: boolean } = {},
) {
  const allowNa = options.allowNotApplicable ?? true;
  const scores: (string | number)[] = options.justEval ? ['1', '2', '3', '4', '5'] : [1, 2, 3, 4, 5];
  const entry = {
    type: 'object',
    properties: {
      reason: {
        type: 'string',
        ...(options.reasonMaxChars === undefined ? {} : { maxLength: options.reasonMaxChars }),
      },
      score: { enum: allowNa ? [...scores, 'N/A'] : scores },
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
  options: Pick<EvalJudgeOptions, 'protocol' | 'promptsDir' | 'allowNotApplicable'> = {},
): string {
  if (options.protocol?.protocol === 'just-eval')
    // evaluate.py: Template(TEMPLATE).substitute(instruction=instruction, candidate=output)
    return substitute(options.protocol.templates[split].text, { instruction: query, candidate: output });
  const aspects = evalAspects(split);
  const allowNa = options.allowNotApplicable ?? true;
  const values: Record<string, string> = {
    EVAL_DICT: evalDict(aspects, allowNa, false),
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
  const justEval = options.protocol?.protocol === 'just-eval';
  const prompt = evalPrompt(item.split, item.instruction, output, options);
  const [outcome] = await askForJson(judge, {
    prompt,
    jsonSchema: evalSchema(aspects, { reasonMaxChars: options.reasonMaxChars, allowNotApplicable: allowNa, justEval }),
    interpret: (value) => {
      const read = readAspectScores(value, aspects);
      if (read.ok && !allowNa && read.value.scores.some((s) => s.score === null))
        return { ok: false, error: 'a score is "N/A", but every aspect needs a number from 1 to 5' };
      return read;
    },
    repairMessage: repairMessageFor(evalDict(aspects, allowNa, justEval), options.promptsDir),
    signal: options.signal,
  });
  if (!outcome!.ok) return { prompt, ok: false, error: outcome!.error, raw: outcome!.raw };
  const { scores } = outcome!.value;
  return {
    prompt,
    ok: true,
    judgment: {
      scores: Object.fromEntries(scores.map((s) => [s.aspect, s.score])),
      reasons: Object.fromEntries(scores.map((s) => [s.aspect, s.rationale])),
    },
  };
}
