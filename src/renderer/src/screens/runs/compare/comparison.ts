// Runs side by side, as data: each run's figures for the table (calls, tokens, dollars, wall time
// from its result.json; a run still going has only its calls), its best prompt, and the reward by
// depth of every run merged into one series per run for the overlaid chart.
import type { RunDetail, RunSource, RunStage, RunStatus } from '../../../../../shared/studioApi';
import { levelStats } from '../levelStats';

/** Distinct on light and dark backgrounds; runs beyond eight reuse them in order. */
const COLORS = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bf8700', '#1b7c83', '#bc4c00', '#6e7781'];

export interface ComparedRun {
  id: string;
  /** What the chart's legend and the diff call it. */
  label: string;
  color: string;
  stage: RunStage;
  status: RunStatus;
  source?: RunSource;
  /** "W 2 × M 3 × D 4" of the stage's search, from the config; null when the config does not say. */
  search: string | null;
  bestScore: number | null;
  /** null: not known (a published trace records none; a run still going has no result yet). */
  calls: number | null;
  tokens: { prompt: number; completion: number } | null;
  costUsd: number | null;
  wallMs: number | null;
  /** The prompt to diff: the result's best, else the best-scored node's so far; null for an ICL run or before any score. */
  bestPrompt: string | null;
  /** Where bestPrompt comes from, or why there is none. */
  promptNote: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const number = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Tokens and dollars summed over the result's per-role tallies (src/main/llm/callLedger.ts RoleTally). */
function accounting(result: unknown): Pick<ComparedRun, 'tokens' | 'costUsd' | 'wallMs'> {
  if (!isRecord(result) || !isRecord(result.calls)) return { tokens: null, costUsd: null, wallMs: null };
  const tallies = Object.values(result.calls).filter(isRecord);
  return {
    tokens: {
      prompt: tallies.reduce((sum, t) => sum + number(t.promptTokens), 0),
      completion: tallies.reduce((sum, t) => sum + number(t.completionTokens), 0),
    },
    // Every tally records its dollars (0 where the backend has no price); none at all: not recorded.
    costUsd: tallies.some((t) => typeof t.costUsd === 'number')
      ? tallies.reduce((s, t) => s + number(t.costUsd), 0)
      : null,
    wallMs: typeof result.wallMs === 'number' ? result.wallMs : null,
  };
}

function searchSize(detail: RunDetail): string | null {
  const config = isRecord(detail.config) ? detail.config : {};
  const search = config[detail.stage === 'icl' ? 'iclSearch' : 'search'];
  if (!isRecord(search)) return null;
  const { width, samples, depth } = search;
  return [width, samples, depth].every((n) => typeof n === 'number') ? `W ${width} × M ${samples} × D ${depth}` : null;
}

function bestPrompt(detail: RunDetail): Pick<ComparedRun, 'bestPrompt' | 'promptNote'> {
  if (detail.stage === 'icl')
    return { bestPrompt: null, promptNote: 'an ICL run: it optimizes examples, not a system prompt' };
  if (isRecord(detail.result) && typeof detail.result.bestPrompt === 'string')
    return { bestPrompt: detail.result.bestPrompt, promptNote: 'best prompt of the result' };
  let best: { state: string; score: number } | null = null;
  for (const node of detail.tree)
    if (node.score !== null && (best === null || node.score > best.score))
      best = { state: node.state, score: node.score };
  return best
    ? { bestPrompt: best.state, promptNote: 'best-scored prompt so far' }
    : { bestPrompt: null, promptNote: 'no scored prompt yet' };
}

export function comparedRun(detail: RunDetail, index: number): ComparedRun {
  const published = detail.source?.kind === 'published-trace';
  return {
    id: detail.id,
    label: published ? `${detail.source!.model} (published)` : detail.id,
    color: COLORS[index % COLORS.length]!,
    stage: detail.stage,
    status: detail.status,
    ...(detail.source ? { source: detail.source } : {}),
    search: published ? null : searchSize(detail),
    bestScore: detail.bestScore,
    calls: published ? null : detail.calls,
    ...accounting(detail.result),
    ...bestPrompt(detail),
  };
}

export type OverlayMetric = 'best' | 'mean' | 'bestScore';

export const OVERLAY_METRICS: readonly { value: OverlayMetric; label: string }[] = [
  { value: 'best', label: 'best reward' },
  { value: 'mean', label: 'mean reward' },
  { value: 'bestScore', label: 'best path score' },
];

/** One row per level any run reached, one key per run (`run0`, `run1`… in the order given): null where a run has no figure. */
export function overlaySeries(
  runs: readonly Pick<RunDetail, 'tree'>[],
  metric: OverlayMetric,
): ({ level: number } & Record<string, number | null>)[] {
  const stats = runs.map((run) => new Map(levelStats(run.tree).map((point) => [point.level, point[metric]])));
  const levels = [...new Set(stats.flatMap((byLevel) => [...byLevel.keys()]))].sort((a, b) => a - b);
  return levels.map((level) => ({
    level,
    ...Object.fromEntries(stats.map((byLevel, i) => [`run${i}`, byLevel.get(level) ?? null])),
  }));
}
