// When the end of a run or experiment the user started is worth a desktop notification: it ran at
// least LONG_RUN_MS and reached finished, finished with failures, failed or paused, while the
// window is hidden or unfocused (in sight, the status itself says it), and notifications are
// permitted. A cancel is the user's own doing: no notice. The renderer's shell/endNotices.ts
// watches and shows them.
import type { RunStatus } from './studioApi.js';

/** How long a run or experiment must have run for its end to be worth a notification. */
export const LONG_RUN_MS = 60_000;

const ENDINGS: ReadonlySet<RunStatus> = new Set(['finished', 'finished-with-failures', 'failed', 'paused']);

export interface EndCheck {
  status: RunStatus;
  /** When it started (or was resumed), ms; `now` on the same clock. */
  since: number;
  now: number;
  /** document.visibilityState === 'visible' and document.hasFocus(). */
  inSight: boolean;
  permission: 'default' | 'denied' | 'granted' | 'unsupported';
}

/** What to do with a watched item's status now: keep watching, drop it silently, or notify and drop. */
export function endDecision(check: EndCheck): 'watch' | 'drop' | 'notify' {
  if (check.status === 'running') return 'watch';
  if (!ENDINGS.has(check.status)) return 'drop';
  const long = check.now - check.since >= LONG_RUN_MS;
  return long && !check.inSight && check.permission === 'granted' ? 'notify' : 'drop';
}

/** Since when a watched item has been running: resumed, created (its log's first event), or else first watched. */
export function runningSince(watch: { resumedAt?: number; watchedAt: number }, createdAt: number): number {
  return watch.resumedAt ?? (createdAt > 0 ? createdAt : watch.watchedAt);
}
