// Small pure formatting helpers every screen uses: errors, scores, times and the reward color scale.

/** The message of a caught error (services reject with Error; anything else is shown as text). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

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

/** A run's or an experiment's status as its badge says it: with failures, how many. */
export function statusText(status: string, failed?: number): string {
  if (status !== 'finished-with-failures') return status;
  return failed === undefined ? 'finished with failures' : `finished, ${failed} failed`;
}

/** "1 item", "3 items". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
