// just-eval's figure beside the honest one. just-eval's scorer counts a judge's "N/A" as 5
// (just_eval/evaluate.py, report()); the project keeps N/A apart. Both come from the same
// counts, so results written before the figure was stored get it too.
import type { AspectStat, CellSummary } from './experimentTypes.js';

/** The five aspects of just-eval's regular items, whose means make the paper's "Avg.". */
export const REGULAR_ASPECTS = ['helpfulness', 'clarity', 'factuality', 'depth', 'engagement'] as const;

/** An aspect's mean with every N/A counted as 5 (unjudged answers left out, as just-eval's report leaves them). */
export function justEvalMean(stat: AspectStat | undefined): number | null {
  if (!stat) return null;
  if (stat.justEvalMean !== undefined) return stat.justEvalMean;
  const count = stat.n + stat.na;
  return count === 0 ? null : ((stat.mean ?? 0) * stat.n + 5 * stat.na) / count;
}

/** The paper's average (the mean of the five regular aspects' means) of just-eval's figures. */
export function justEvalAverage(cell: Pick<CellSummary, 'aspects' | 'justEvalAverage'> | undefined): number | null {
  if (!cell) return null;
  if (cell.justEvalAverage !== undefined) return cell.justEvalAverage;
  const means = REGULAR_ASPECTS.map((a) => justEvalMean(cell.aspects[a])).filter((m): m is number => m !== null);
  return means.length === 0 ? null : means.reduce((a, b) => a + b, 0) / means.length;
}
