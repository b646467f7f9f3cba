// A judge check's result as one table (the CLI prints it as Markdown, the Experiments screen shows
// it): a row per aspect, N/A and unreadable replies in columns of their own.
import type { JudgeCheckEstimate, JudgeCheckResult } from './judgeCheckTypes.js';

export interface JudgeCheckTable {
  name: string;
  title: string;
  header: string[];
  rows: string[][];
}

const num = (value: number | null, digits = 2): string => (value === null ? '–' : value.toFixed(digits));
const share = (value: number | null): string => (value === null ? '–' : `${Math.round(value * 100)}%`);

export function judgeCheckTable(result: JudgeCheckResult): JudgeCheckTable {
  if (result.kind === 'variance')
    return {
      name: 'judge-variance',
      title: `Judge ${result.judges[0]}: ${result.answers.length} answers judged ${result.times} times each`,
      header: ['Aspect', 'Answers', 'Mean', 'SD', 'Min–max', 'Widest range', 'All agree', 'N/A', 'Unparsed'],
      rows: (result.variance ?? []).map((s) => [
        s.aspect,
        String(s.answers),
        num(s.mean),
        num(s.sd),
        s.min === null ? '–' : `${s.min}–${s.max}`,
        num(s.widestRange, 0),
        share(s.agree),
        String(s.na),
        String(s.unparsed),
      ]),
    };
  const [a, b] = result.judges;
  return {
    name: 'judge-agreement',
    title: `Judges ${a} (A) and ${b} (B) on ${result.answers.length} answers`,
    header: ['Aspect', 'Answers', 'Spearman', 'Exact agreement', 'Mean A', 'Mean B', 'N/A (A/B)', 'Unparsed (A/B)'],
    rows: (result.agreement ?? []).map((s) => [
      s.aspect,
      String(s.answers),
      num(s.spearman),
      share(s.exact),
      num(s.meanA),
      num(s.meanB),
      `${s.na.a}/${s.na.b}`,
      `${s.unparsed.a}/${s.unparsed.b}`,
    ]),
  };
}

/** The estimate in one line, as the CLI prints it and the screen shows it before Start. */
export function estimateLine(kind: 'variance' | 'agreement', estimate: JudgeCheckEstimate, times?: number): string {
  const of = estimate.answers < estimate.available ? ` (a sample of the ${estimate.available})` : '';
  const how =
    kind === 'variance'
      ? `${estimate.answers} answers${of} × ${times} judgments by ${estimate.judges[0]}`
      : `${estimate.answers} answers${of} × 2 judges (${estimate.judges.join(', ')})`;
  return `${how} = ${estimate.calls} judge calls (at most ${estimate.worstCase} with repair re-asks)`;
}
