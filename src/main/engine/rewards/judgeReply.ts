// Reading a judge's reply (appendix E.1.1 format) without ever inventing a score: string and
// fractional scores within 1–5 are read as given, "N/A" stays N/A, aspect names match loosely,
// and anything missing or out of range is an error (re-asked, then recorded as a parse failure).

import { textSchema } from '../../llm/structuredCall.js';
import type { Interpretation } from '../../llm/structuredOutput.js';
import { aspectKey } from '../aspects.js';
import type { AspectScore } from '../types.js';

export interface JudgeVerdict {
  scores: AspectScore[];
  reward: number;
  /** Keys the judge added that were not asked for; ignored, but kept for inspection. */
  ignoredKeys: string[];
}

const NOT_APPLICABLE = /^(n\/?a|not applicable|none)$/i;
const NUMERIC = /^(\d+(?:\.\d+)?)\s*(?:(?:\/|out of)\s*5(?:\.0)?)?$/i;

export function readScore(value: unknown): Interpretation<number | null> {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 1 && value <= 5
      ? { ok: true, value }
      : { ok: false, error: `score ${value} is outside 1–5` };
  }
  if (typeof value === 'string') {
    const text = value.trim();
    if (NOT_APPLICABLE.test(text)) return { ok: true, value: null };
    const match = NUMERIC.exec(text);
    if (match) return readScore(Number(match[1]));
    return { ok: false, error: `score "${text.slice(0, 40)}" is not a number from 1 to 5` };
  }
  return {
    ok: false,
    error: value === undefined ? 'score is missing' : `score has type ${value === null ? 'null' : typeof value}`,
  };
}

function entryParts(entry: unknown): { score: unknown; rationale: string } {
  if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
    const record = entry as Record<string, unknown>;
    const rationale = record.rationale ?? record.reason ?? record.explanation ?? '';
    return {
      score: record.score ?? record.rating,
      rationale: typeof rationale === 'string' ? rationale : JSON.stringify(rationale),
    };
  }
  return { score: entry, rationale: '' };
}

/** Every asked aspect's score (a number in 1–5, or null for "N/A") and rationale; anything missing or unreadable is an error. */
export function readAspectScores(
  value: unknown,
  aspects: readonly string[],
): Interpretation<{ scores: AspectScore[]; ignoredKeys: string[] }> {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, error: 'the reply is not a JSON object' };
  const record = value as Record<string, unknown>;
  const byKey = new Map(Object.keys(record).map((k) => [aspectKey(k), k]));
  const wanted = new Set(aspects.map(aspectKey));
  const scores: AspectScore[] = [];
  const problems: string[] = [];
  for (const aspect of aspects) {
    const key = byKey.get(aspectKey(aspect));
    if (key === undefined) {
      problems.push(`aspect "${aspect}" is missing`);
      continue;
    }
    const { score, rationale } = entryParts(record[key]);
    const read = readScore(score);
    if (read.ok) scores.push({ aspect, score: read.value, rationale });
    else problems.push(`${aspect}: ${read.error}`);
  }
  if (problems.length > 0) return { ok: false, error: problems.join('; ') };
  return { ok: true, value: { scores, ignoredKeys: Object.keys(record).filter((k) => !wanted.has(aspectKey(k))) } };
}

export function interpretJudgeReply(value: unknown, aspects: readonly string[]): Interpretation<JudgeVerdict> {
  const read = readAspectScores(value, aspects);
  if (!read.ok) return read;
  const { scores, ignoredKeys } = read.value;
  const numeric = scores.flatMap((s) => (s.score === null ? [] : [s.score]));
  if (numeric.length === 0) return { ok: false, error: 'every aspect was judged N/A: there is no score to use' };
  const reward = numeric.reduce((a, b) => a + b, 0) / numeric.length;
  return { ok: true, value: { scores, reward, ignoredKeys } };
}

/** The [EVAL_DICT] block of the reward prompt (appendix E.1.1), for the selected aspects. */
export function evalDictTemplate(aspects: readonly string[]): string {
  const dict = Object.fromEntries(
    aspects.map((a) => [
      a,
      {
        rationale: `[your thoughts on the ${a.toLowerCase()} of the response]`,
        score: `[your ${a.toLowerCase()} score]`,
      },
    ]),
  );
  return JSON.stringify(dict, null, 4);
}

/**
 * JSON Schema for backends that constrain decoding. The rationale has no length cap unless the
 * config sets one: it is the feedback the optimizer rewrites from (the reference caps nothing).
 */
export function judgeSchema(aspects: readonly string[], textMaxChars?: number) {
  const entry = {
    type: 'object',
    properties: { rationale: textSchema(textMaxChars), score: { type: 'integer', enum: [1, 2, 3, 4, 5] } },
    required: ['rationale', 'score'],
  };
  return { type: 'object', properties: Object.fromEntries(aspects.map((a) => [a, entry])), required: [...aspects] };
}
