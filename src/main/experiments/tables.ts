// The paper's tables from an experiment result, as Markdown, CSV and JSON: per aspect (Table 1
// layout), the transfer matrix (Table 2 layout: setups × targets, averages with deltas against
// the baseline), per category (Figures 5–7) and cost per setup.
import type { CellSummary, ExperimentResult } from '../../shared/experimentTypes.js';
import { REGULAR_ASPECTS } from './evalJudge.js';

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

export function aspectTable(result: ExperimentResult): Table {
  return {
    name: 'aspects',
    title: 'Per-aspect means (1–5); N/A and unjudged items are not scores',
    header: ['Model', 'Setup', ...REGULAR_ASPECTS.map((a) => ASPECT_LABELS[a]!), 'Avg.', 'Safety', 'N/A', 'Unjudged'],
    rows: result.cells.map((cell) => [
      cell.target,
      cell.setup,
      ...REGULAR_ASPECTS.map((a) => fixed(cell.aspects[a]?.mean)),
      fixed(cell.average),
      fixed(cell.aspects.safety?.mean),
      String(Object.values(cell.aspects).reduce((s, a) => s + a.na, 0)),
      String(cell.unjudged),
    ]),
  };
}

export function transferTable(result: ExperimentResult): Table {
  return {
    name: 'transfer',
    title: `Average score of each setup on each target (Δ against "${result.baseline}")`,
    header: ['Setup', ...result.targets.map((t) => t.name)],
    rows: result.setups.map((setup) => [
      setup.name,
      ...result.targets.map((target) => {
        const cell = cellOf(result, setup.name, target.name);
        const delta = signed(cell?.delta?.average);
        return `${fixed(cell?.average ?? cell?.aspects.safety?.mean)}${delta ? ` (${delta})` : ''}`;
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

/** Every table of a result: per aspect, transfer, one per category dimension, cost. */
export function experimentTables(result: ExperimentResult): Table[] {
  const dimensions = [...new Set(result.cells.flatMap((c) => Object.keys(c.categories)))].sort();
  return [
    aspectTable(result),
    transferTable(result),
    ...dimensions.map((d) => categoryTable(result, d)),
    costTable(result),
  ];
}

export function toMarkdown(table: Table): string {
  const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const line = (cells: string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [
    `### ${table.title}`,
    '',
    line(table.header),
    line(table.header.map(() => '---')),
    ...table.rows.map(line),
    '',
  ].join('\n');
}

export function toCsv(table: Table): string {
  const quote = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  return `${[table.header, ...table.rows].map((row) => row.map(quote).join(',')).join('\n')}\n`;
}
