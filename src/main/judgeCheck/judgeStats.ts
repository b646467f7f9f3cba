// The statistics of the judge checks: how far one judge's N scores of the same answer spread, and
// how well two judges agree. N/A and unreadable replies are counted apart, never as scores: an
// answer enters an aspect's figures only where every reply compared gave that aspect a number.
import type { AgreementAspectStat, JudgeReply, VarianceAspectStat } from '../../shared/judgeCheckTypes.js';

/** An answer as the statistics see it: the aspects its split is judged on, and the replies to compare. */
export interface ScoredAnswer {
  aspects: readonly string[];
  replies: readonly JudgeReply[];
}

const mean = (values: readonly number[]): number | null =>
  values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;

/** Population standard deviation (divided by n): the spread of these very scores, not an estimate of a wider one. */
export function populationSd(values: readonly number[]): number {
  const m = mean(values)!;
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / values.length);
}

/** Ranks 1…n; tied values each get the mean of the positions they occupy (e.g. [5, 3, 5] → [2.5, 1, 2.5]). */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.v === order[start]!.v) end++;
    // Positions start+1 … end+1 (1-based) are shared: their mean is (start + end) / 2 + 1.
    for (let k = start; k <= end; k++) ranks[order[k]!.i] = (start + end) / 2 + 1;
    start = end + 1;
  }
  return ranks;
}

/**
 * Spearman's ρ with ties: Pearson's correlation of the average ranks R (of x) and S (of y),
 *   ρ = Σ(Rᵢ − R̄)(Sᵢ − S̄) / √( Σ(Rᵢ − R̄)² · Σ(Sᵢ − S̄)² ).
 * (The shortcut 1 − 6Σdᵢ² / (n(n² − 1)) is exact only without ties; judges' 1–5 scores tie all the time.)
 * Null under two pairs, or where one side has a single value (its ranks do not vary: ρ is undefined).
 * (jstat on npm has a Spearman coefficient; ten lines whose tie rule is pinned by tests here spare a dependency.)
 */
export function spearman(x: readonly number[], y: readonly number[]): number | null {
  if (x.length !== y.length) throw new Error('spearman: the two lists differ in length');
  if (x.length < 2) return null;
  const r = averageRanks(x);
  const s = averageRanks(y);
  const rm = mean(r)!;
  const sm = mean(s)!;
  let sum = 0;
  let rr = 0;
  let ss = 0;
  for (let i = 0; i < r.length; i++) {
    sum += (r[i]! - rm) * (s[i]! - sm);
    rr += (r[i]! - rm) ** 2;
    ss += (s[i]! - sm) ** 2;
  }
  return rr === 0 || ss === 0 ? null : sum / Math.sqrt(rr * ss);
}

/** Each aspect in the order it first appears among the answers. */
function aspectsOf(answers: readonly ScoredAnswer[]): string[] {
  return [...new Set(answers.flatMap((a) => a.aspects))];
}

/** A reply's number for an aspect; 'na' for "N/A", 'unparsed' for a reply that could not be read. */
function scoreOf(reply: JudgeReply, aspect: string): number | 'na' | 'unparsed' {
  if (!('scores' in reply)) return 'unparsed';
  const score = reply.scores[aspect];
  return typeof score === 'number' ? score : 'na';
}

/** Per aspect: the spread of each answer's N scores by the same judge. */
export function varianceStats(answers: readonly ScoredAnswer[]): VarianceAspectStat[] {
  return aspectsOf(answers).map((aspect) => {
    let na = 0;
    let unparsed = 0;
    const complete: number[][] = [];
    for (const answer of answers) {
      if (!answer.aspects.includes(aspect)) continue;
      const scores = answer.replies.map((reply) => scoreOf(reply, aspect));
      na += scores.filter((s) => s === 'na').length;
      unparsed += scores.filter((s) => s === 'unparsed').length;
      if (scores.every((s) => typeof s === 'number')) complete.push(scores as number[]);
    }
    const all = complete.flat();
    const ranges = complete.map((s) => Math.max(...s) - Math.min(...s));
    return {
      aspect,
      answers: complete.length,
      mean: mean(all),
      sd: mean(complete.map(populationSd)),
      min: all.length ? Math.min(...all) : null,
      max: all.length ? Math.max(...all) : null,
      widestRange: ranges.length ? Math.max(...ranges) : null,
      agree: complete.length ? ranges.filter((r) => r === 0).length / complete.length : null,
      na,
      unparsed,
    };
  });
}

/** Per aspect: how two judges' scores of the same answers agree (each answer's replies: [A, B]). */
export function agreementStats(answers: readonly ScoredAnswer[]): AgreementAspectStat[] {
  return aspectsOf(answers).map((aspect) => {
    const na = { a: 0, b: 0 };
    const unparsed = { a: 0, b: 0 };
    const a: number[] = [];
    const b: number[] = [];
    for (const answer of answers) {
      if (!answer.aspects.includes(aspect)) continue;
      const [sa, sb] = [scoreOf(answer.replies[0]!, aspect), scoreOf(answer.replies[1]!, aspect)];
      if (sa === 'na') na.a++;
      if (sa === 'unparsed') unparsed.a++;
      if (sb === 'na') na.b++;
      if (sb === 'unparsed') unparsed.b++;
      if (typeof sa === 'number' && typeof sb === 'number') {
        a.push(sa);
        b.push(sb);
      }
    }
    return {
      aspect,
      answers: a.length,
      spearman: spearman(a, b),
      exact: a.length ? a.filter((v, i) => v === b[i]).length / a.length : null,
      meanA: mean(a),
      meanB: mean(b),
      na,
      unparsed,
    };
  });
}
