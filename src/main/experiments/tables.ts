// The paper's tables from an experiment result, as Markdown, CSV and JSON: per aspect (Table 1
// layout), the transfer matrix (Table 2 layout: setups × targets, averages with deltas against
// the baseline), per category (Figures 5–7) and cost per setup. Averages come twice, labelled:
// the honest figure (N/A kept apart) and just-eval's (N/A counted as 5, as its scorer does),
// which is the one the paper's tables report.
import { justEvalAverage, justEvalMean, REGULAR_ASPECTS } from '../../shared/experimentFigures.js';
import type { CellSummary, ExperimentResult } from '../../shared/experimentTypes.js';

// Markdown and CSV are written by one module, shared with the studio's Save as file and Copy.
export { toCsv, toMarkdown } from '../../shared/tableText.js';

export interface Table {
  name: string;
  title: string;
  header: string[];
  rows: string[][];
}

const ASPECT_LABELS: Record<string, string> = {
  helpfulness: 'Helpful',
  clarity: 'Clear',
  factuality: 'Factual',
  depth: 'Deep',
  engagement: 'Engage',
};

export const fixed = (value: number | null | undefined, digits = 2): string =>
  value === null || value === undefined ? '–' : value.toFixed(digits);
const signed = (value: number | null | undefined): string =>
  value === null || value === undefined ? '' : `${value >= 0 ? '+' : ''}${value.toFixed(2)}`;

function cellOf(result: ExperimentResult, setup: string, target: string): CellSummary | undefined {
  return result.cells.find((c) => c.setup === setup && c.target === target);
}

/** Column label of just-eval's figure. */
export const JUST_EVAL_LABEL = 'just-eval (N/A=5)';

export function aspectTable(result: ExperimentResult): Table {
  return {
    name: 'aspects',
    title: `Per-aspect means (1–5); N/A and unjudged items are not scores. "${JUST_EVAL_LABEL}": just-eval's figure, which counts N/A as 5`,
    header: [
      'Model',
      'Setup',
      ...REGULAR_ASPECTS.map((a) => ASPECT_LABELS[a]!),
      'Avg.',
      `Avg. ${JUST_EVAL_LABEL}`,
      'Safety',
      `Safety ${JUST_EVAL_LABEL}`,
      'N/A',
      'Unjudged',
    ],
    rows: result.cells.map((cell) => [
      cell.target,
      cell.setup,
      ...REGULAR_ASPECTS.map((a) => fixed(cell.aspects[a]?.mean)),
      fixed(cell.average),
      fixed(justEvalAverage(cell)),
      fixed(cell.aspects.safety?.mean),
      fixed(justEvalMean(cell.aspects.safety)),
      String(Object.values(cell.aspects).reduce((s, a) => s + a.na, 0)),
      String(cell.unjudged),
    ]),
  };
}

/** Table 1 as just-eval's scorer reports it: every aspect's mean with N/A counted as 5. */
export function justEvalAspectTable(result: ExperimentResult): Table {
  return {
    name: 'aspects-just-eval',
    title: "Per-aspect means as just-eval's scorer reports them: N/A counted as 5 (unjudged items left out)",
    header: ['Model', 'Setup', ...REGULAR_ASPECTS.map((a) => ASPECT_LABELS[a]!), 'Avg.', 'Safety', 'N/A counted as 5'],
    rows: result.cells.map((cell) => [
      cell.target,
      cell.setup,
      ...REGULAR_ASPECTS.map((a) => fixed(justEvalMean(cell.aspects[a]))),
      fixed(justEvalAverage(cell)),
      fixed(justEvalMean(cell.aspects.safety)),
      String(Object.values(cell.aspects).reduce((s, a) => s + a.na, 0)),
    ]),
  };
}

/** A cell's headline: the regular aspects' average, or safety alone where the items were all safety ones. */
const headline = (cell: CellSummary | undefined) => cell?.average ?? cell?.aspects.safety?.mean;
const justEvalHeadline = (cell: CellSummary | undefined) => justEvalAverage(cell) ?? justEvalMean(cell?.aspects.safety);

export function transferTable(result: ExperimentResult): Table {
  const withDelta = (value: number | null | undefined, base: number | null | undefined, isBaseline: boolean) => {
    const delta = isBaseline || value == null || base == null ? '' : signed(value - base);
    return `${fixed(value)}${delta ? ` (${delta})` : ''}`;
  };
  return {
    name: 'transfer',
    title: `Average score of each setup on each target (Δ against "${result.baseline}"); "${JUST_EVAL_LABEL}": just-eval's figure, which counts N/A as 5`,
    header: ['Setup', ...result.targets.flatMap((t) => [t.name, `${t.name} ${JUST_EVAL_LABEL}`])],
    rows: result.setups.map((setup) => [
      setup.name,
      ...result.targets.flatMap((target) => {
        const cell = cellOf(result, setup.name, target.name);
        const base = cellOf(result, result.baseline, target.name);
        const isBaseline = setup.name === result.baseline;
        return [
          withDelta(headline(cell), headline(base), isBaseline),
          withDelta(justEvalHeadline(cell), justEvalHeadline(base), isBaseline),
        ];
      }),
    ]),
  };
}

export function categoryTable(result: ExperimentResult, dimension = 'source'): Table {
  const values = [...new Set(result.cells.flatMap((c) => Object.keys(c.categories[dimension] ?? {})))].sort();
  return {
    name: `categories-${dimension}`,
    title: `Mean score per ${dimension} (each item's mean over its aspects)`,
    header: [dimension[0]!.toUpperCase() + dimension.slice(1), ...result.cells.map((c) => `${c.setup} @ ${c.target}`)],
    rows: values.map((value) => [value, ...result.cells.map((c) => fixed(c.categories[dimension]?.[value]?.mean))]),
  };
}

export function costTable(result: ExperimentResult): Table {
  return {
    name: 'cost',
    title: 'Calls, tokens and cost per setup and target (answers + judge)',
    header: ['Model', 'Setup', 'Answer calls', 'Judge calls', 'Prompt tokens', 'Output tokens', 'Cost (USD)'],
    rows: result.cells.map(({ target, setup, cost: { answers, judge } }) => [
      target,
      setup,
      String(answers.calls),
      String(judge.calls),
      String(answers.promptTokens + judge.promptTokens),
      String(answers.completionTokens + judge.completionTokens),
      (answers.costUsd + judge.costUsd).toFixed(4),
    ]),
  };
}

/** Every table of a result: per aspect (both figures, then just-eval's alone), transfer, one per category dimension, cost. */
export function experimentTables(result: ExperimentResult): Table[] {
  const dimensions = [...new Set(result.cells.flatMap((c) => Object.keys(c.categories)))].sort();
  return [
    aspectTable(result),
    justEvalAspectTable(result),
    transferTable(result),
    ...dimensions.map((d) => categoryTable(result, d)),
    costTable(result),
  ];
}
