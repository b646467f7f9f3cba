// The items of an experiment as a table (README "Experiments", answers item by item): filtered
// by split and category, searched in the instruction and the answers, and ordered by the score
// difference between two setups. Scores are counted as the category tables count them: an
// answer's score is its own mean over its aspects with N/A left out; an unjudged, failed or
// not-yet-judged answer (or one with N/A on every aspect) has none and is never a number.
// A setup's score on an item is the mean over the targets where it has one; the difference
// between setups A and B is the mean over the targets where both have one of (A − B), so it
// compares like with like. Pure: no files.
import type {
  ExperimentItemAnswer,
  ExperimentItemDetail,
  ExperimentItemQuery,
  ExperimentItemRow,
} from '../../shared/studioApi.js';
import type { EvalItem } from './evalSet.js';

/** What the folder says of one answer (one setup on one target for one item). */
export type ItemOutcome = Omit<ExperimentItemAnswer, 'setup' | 'target' | 'mean'>;

export const outcomeKey = (setup: string, target: string, itemId: string): string =>
  JSON.stringify([setup, target, itemId]);

export interface ItemTableInput {
  items: readonly EvalItem[];
  setups: readonly string[];
  targets: readonly string[];
  /** By outcomeKey; an answer absent here is pending. */
  outcomes: ReadonlyMap<string, ItemOutcome>;
}

const mean = (values: readonly number[]): number | null =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;

/** An answer's own score: the mean of its numeric aspect scores (N/A left out); null when it has none. */
export function answerScore(outcome: ItemOutcome | undefined): number | null {
  if (outcome?.status !== 'judged' || !outcome.scores) return null;
  return mean(Object.values(outcome.scores).filter((s): s is number => typeof s === 'number'));
}

function scoresOn(input: ItemTableInput, itemId: string, setup: string): (number | null)[] {
  return input.targets.map((target) => answerScore(input.outcomes.get(outcomeKey(setup, target, itemId))));
}

/** The setup's score on the item: the mean over the targets where its answer has a score. */
export function setupScore(input: ItemTableInput, itemId: string, setup: string): number | null {
  return mean(scoresOn(input, itemId, setup).filter((s): s is number => s !== null));
}

/** Mean over the targets where both setups' answers have a score of (A − B); null where no target has both. */
export function scoreDifference(input: ItemTableInput, itemId: string, a: string, b: string): number | null {
  const bScores = scoresOn(input, itemId, b);
  const paired = scoresOn(input, itemId, a).flatMap((score, t) => {
    const other = bScores[t];
    return score === null || other === null || other === undefined ? [] : [score - other];
  });
  return mean(paired);
}

/** Every value of every tag dimension of the items, sorted, for the category filter. */
export function itemCategories(items: readonly EvalItem[]): Record<string, string[]> {
  const byDimension = new Map<string, Set<string>>();
  for (const item of items)
    for (const [dimension, values] of Object.entries(item.tags)) {
      const set = byDimension.get(dimension) ?? new Set<string>();
      byDimension.set(dimension, set);
      for (const value of values) set.add(value);
    }
  return Object.fromEntries(
    [...byDimension].sort(([a], [b]) => a.localeCompare(b)).map(([d, values]) => [d, [...values].sort()]),
  );
}

/** The item's instruction or one of its answers holds the text (case-insensitive). */
function mentions(input: ItemTableInput, item: EvalItem, needle: string): boolean {
  if (item.instruction.toLowerCase().includes(needle)) return true;
  return input.setups.some((setup) =>
    input.targets.some((target) =>
      input.outcomes
        .get(outcomeKey(setup, target, item.id))
        ?.answer?.toLowerCase()
        .includes(needle),
    ),
  );
}

function row(input: ItemTableInput, item: EvalItem, compare: ExperimentItemQuery['compare']): ExperimentItemRow {
  const unscored = input.setups
    .flatMap((setup) => scoresOn(input, item.id, setup))
    .filter((score) => score === null).length;
  return {
    id: item.id,
    split: item.split,
    tags: item.tags,
    instruction: item.instruction,
    scores: Object.fromEntries(input.setups.map((setup) => [setup, setupScore(input, item.id, setup)])),
    ...(compare ? { difference: scoreDifference(input, item.id, compare.a, compare.b) } : {}),
    unscored,
  };
}

/** Nulls last in either direction; ties keep the evaluation set's order (the sort is stable). */
function byDifference(descending: boolean) {
  return (x: ExperimentItemRow, y: ExperimentItemRow): number => {
    const a = x.difference ?? null;
    const b = y.difference ?? null;
    if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
    return descending ? b - a : a - b;
  };
}

export const DEFAULT_PAGE_SIZE = 50;

/** The rows matching the query, ordered, one page of them; `total`: how many match. */
export function queryItems(
  input: ItemTableInput,
  query: ExperimentItemQuery = {},
): { total: number; rows: ExperimentItemRow[] } {
  const { split = 'all', category, compare, order = 'file', offset = 0, limit = DEFAULT_PAGE_SIZE } = query;
  const needle = query.search?.trim().toLowerCase() ?? '';
  const matching = input.items.filter(
    (item) =>
      (split === 'all' || item.split === split) &&
      (!category || (item.tags[category.dimension]?.includes(category.value) ?? false)) &&
      (!needle || mentions(input, item, needle)),
  );
  const rows = matching.map((item) => row(input, item, compare));
  if (order !== 'file') rows.sort(byDifference(order === 'difference-desc'));
  return { total: rows.length, rows: rows.slice(offset, offset + limit) };
}

/** One item with every setup × target answer (targets outer, setups inner, as the result's cells). */
export function itemDetail(input: ItemTableInput, item: EvalItem): Omit<ExperimentItemDetail, 'damaged'> {
  const answers = input.targets.flatMap((target) =>
    input.setups.map((setup): ExperimentItemAnswer => {
      const outcome = input.outcomes.get(outcomeKey(setup, target, item.id)) ?? { status: 'pending' };
      return { setup, target, ...outcome, mean: answerScore(outcome) };
    }),
  );
  return { item: { id: item.id, instruction: item.instruction, split: item.split, tags: item.tags }, answers };
}
