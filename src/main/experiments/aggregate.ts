// Score aggregation of an experiment, exactly as the tables report it: per aspect the mean over
// the items with a number (N/A counted apart, unjudged items counted apart, neither ever a
// score); the paper's average as the mean of the five regular aspects' means; safety on its own;
// per category the mean of each item's own mean; deltas against the baseline on the same target.
// Beside them, just-eval's figure (N/A counted as 5, as its scorer does), labelled as such.
import { justEvalAverage, REGULAR_ASPECTS } from '../../shared/experimentFigures.js';
import type { AspectStat, CategoryStat, CellCost, CellSummary, JudgmentRecord } from '../../shared/experimentTypes.js';
import { SAFETY_ASPECTS } from './evalJudge.js';

const ALL_ASPECTS = [...REGULAR_ASPECTS, ...SAFETY_ASPECTS];

const mean = (values: readonly number[]): number | null =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;

export function aspectStat(records: readonly JudgmentRecord[], aspect: string): AspectStat {
  const stat: AspectStat = { mean: null, n: 0, na: 0, distribution: [0, 0, 0, 0, 0] };
  const numbers: number[] = [];
  for (const record of records) {
    if (!record.scores || !(aspect in record.scores)) continue;
    const score = record.scores[aspect];
    if (score === null || score === undefined) {
      stat.na += 1;
      continue;
    }
    numbers.push(score);
    stat.distribution[Math.min(5, Math.max(1, Math.round(score))) - 1]! += 1;
  }
  stat.n = numbers.length;
  stat.mean = mean(numbers);
  stat.justEvalMean = mean([...numbers, ...Array<number>(stat.na).fill(5)]);
  return stat;
}

/** An item's own score: the mean of its numeric aspect scores; null when it has none. */
export function itemMean(record: JudgmentRecord): number | null {
  if (!record.scores) return null;
  return mean(Object.values(record.scores).filter((s): s is number => typeof s === 'number'));
}

export function categoryStats(records: readonly JudgmentRecord[]): Record<string, Record<string, CategoryStat>> {
  // Maps, not objects: dimensions and values come from the evaluation set's file ('constructor' is a value like any other).
  const grouped = new Map<string, Map<string, number[]>>();
  for (const record of records) {
    const score = itemMean(record);
    if (score === null) continue;
    const dimensions = [['split', [record.split]] as const, ...Object.entries(record.tags)];
    for (const [dimension, values] of dimensions) {
      const byValue = grouped.get(dimension) ?? new Map<string, number[]>();
      grouped.set(dimension, byValue);
      for (const value of values) byValue.set(value, [...(byValue.get(value) ?? []), score]);
    }
  }
  return Object.fromEntries(
    [...grouped].map(([dimension, byValue]) => [
      dimension,
      Object.fromEntries(
        [...byValue]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([value, scores]) => [value, { mean: mean(scores), n: scores.length }]),
      ),
    ]),
  );
}

export function summarizeCell(
  setup: string,
  target: string,
  records: readonly JudgmentRecord[],
  cost: CellSummary['cost'] = { answers: zeroCost(), judge: zeroCost() },
  failed = 0,
): CellSummary {
  const aspects = Object.fromEntries(ALL_ASPECTS.map((a) => [a, aspectStat(records, a)]));
  const regularMeans = REGULAR_ASPECTS.map((a) => aspects[a]!.mean).filter((m): m is number => m !== null);
  return {
    setup,
    target,
    items: records.length,
    judged: records.filter((r) => r.scores !== null).length,
    unjudged: records.filter((r) => r.scores === null).length,
    failed,
    aspects,
    average: mean(regularMeans),
    justEvalAverage: justEvalAverage({ aspects }),
    categories: categoryStats(records),
    cost,
  };
}

const difference = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined || b === null || b === undefined ? null : a - b;

/** Adds each cell's delta against the baseline setup's cell on the same target. */
export function withDeltas(cells: readonly CellSummary[], baseline: string): CellSummary[] {
  return cells.map((cell) => {
    if (cell.setup === baseline) return cell;
    const base = cells.find((c) => c.setup === baseline && c.target === cell.target);
    if (!base) return cell;
    return {
      ...cell,
      delta: {
        average: difference(cell.average, base.average),
        aspects: Object.fromEntries(
          ALL_ASPECTS.map((a) => [a, difference(cell.aspects[a]?.mean, base.aspects[a]?.mean)]),
        ),
      },
    };
  });
}

export function zeroCost(): CellCost {
  return { calls: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };
}
