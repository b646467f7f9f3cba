// Pure helpers of the result view: cell labels, the figures each chart draws, colors on the
// judge's 1–5 scale. Everything is read from the result as the engine aggregated it (N/A and
// unjudged answers counted apart, never as scores).
import { justEvalAverage, justEvalMean } from '../../../../shared/experimentFigures';
import type { CellSummary, ExperimentResult } from '../../../../shared/experimentTypes';
import { rewardHue } from '../../shell/format';

export const cellLabel = (cell: Pick<CellSummary, 'setup' | 'target'>): string => `${cell.setup} @ ${cell.target}`;

/** A score on the 1–5 scale as a translucent fill that reads on light and dark panels alike. */
export function scoreFill(score: number, alpha = 0.3): string {
  return `hsl(${rewardHue(score)} 70% 45% / ${alpha})`;
}

/** Chart tooltips in the theme's colors. */
export const TOOLTIP_STYLE = { background: 'var(--panel)', borderColor: 'var(--border)', color: 'var(--fg)' };

/** Distinct colors for the series of a chart (one per cell). */
export const SERIES_COLORS = ['#4f5bd5', '#2da44e', '#bf8700', '#cf222e', '#8250df', '#1b7c83', '#d4a72c', '#6e7781'];

/** The figure a transfer cell shows: the regular aspects' average, or safety alone where the items were all safety ones. */
export function headline(cell: CellSummary | undefined): number | null {
  return cell?.average ?? cell?.aspects.safety?.mean ?? null;
}

/** The same figure as just-eval's scorer makes it: N/A counted as 5 (derived from the counts for older results). */
export function justEvalHeadline(cell: CellSummary | undefined): number | null {
  return justEvalAverage(cell) ?? justEvalMean(cell?.aspects.safety);
}

/** Which prompts judged the experiment, in words; results from before protocols were judged with the project's own. */
export function protocolText(result: ExperimentResult | undefined, configured?: string): string {
  const protocol = result ? (result.judge?.protocol ?? 'drpo-studio') : configured;
  if (protocol === 'just-eval') return "just-eval's templates";
  if (protocol === 'drpo-studio') return "the project's own prompts (drpo-studio)";
  return "just-eval's templates when they are there";
}

export function findCell(result: ExperimentResult, setup: string, target: string): CellSummary | undefined {
  return result.cells.find((c) => c.setup === setup && c.target === target);
}

/** The grouping dimensions of a result's categories, "source" first. */
export function categoryDimensions(result: ExperimentResult): string[] {
  const all = [...new Set(result.cells.flatMap((c) => Object.keys(c.categories)))].sort();
  return all.includes('source') ? ['source', ...all.filter((d) => d !== 'source')] : all;
}

/** One row per category value of `dimension`, one column per cell: each cell's mean there. */
export function categoryRows(result: ExperimentResult, dimension: string): Record<string, string | number | null>[] {
  const values = [...new Set(result.cells.flatMap((c) => Object.keys(c.categories[dimension] ?? {})))].sort();
  return values.map((value) => ({
    category: value,
    ...Object.fromEntries(
      result.cells.map((c) => [cellLabel(c), roundTo(c.categories[dimension]?.[value]?.mean ?? null)]),
    ),
  }));
}

/** Aspects in the order the engine reports them (the five regular ones, then safety). */
export function aspectNames(result: ExperimentResult): string[] {
  return Object.keys(result.cells[0]?.aspects ?? {});
}

/** Per cell: how many answers scored 1…5 on `aspect`, and how many the judge called N/A. */
export function distributionRows(result: ExperimentResult, aspect: string): Record<string, string | number>[] {
  return result.cells.map((c) => {
    const stat = c.aspects[aspect];
    const [s1, s2, s3, s4, s5] = stat?.distribution ?? [0, 0, 0, 0, 0];
    return { cell: cellLabel(c), s1, s2, s3, s4, s5, na: stat?.na ?? 0 };
  });
}

export function roundTo(value: number | null, digits = 2): number | null {
  return value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;
}

export function signed(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : `${value >= 0 ? '+' : ''}${value.toFixed(2)}`;
}
