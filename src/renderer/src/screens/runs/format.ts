// Small pure helpers shared by the Runs screen's components.
import type { RunStatus, TreeNode } from '../../../../shared/studioApi';

export function formatScore(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);
}

export function formatTime(ms: number): string {
  return ms > 0 ? new Date(ms).toLocaleString() : '–';
}

/** A reward on the judge's 1–5 scale as a hue: red (1) → amber (3) → green (5). */
export function rewardHue(reward: number): number {
  const t = Math.min(1, Math.max(0, (reward - 1) / 4));
  return Math.round(t * 120);
}

export type NodeKind = 'scored' | 'failed' | 'pending';

/** Scored, failed (an error, or evaluated without a usable score) or still waiting for its evaluation. */
export function nodeKind(node: TreeNode): NodeKind {
  if (node.reward !== null) return 'scored';
  if (node.error !== undefined || node.output !== undefined) return 'failed';
  return 'pending';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const STATUS_LABEL: Record<RunStatus, string> = {
  running: 'running',
  paused: 'paused',
  cancelled: 'cancelled',
  failed: 'failed',
  finished: 'finished',
};
