// Desktop notifications when a long run or experiment ends. Only what the user started (or
// resumed, duplicated, forked) from this window is watched; it notifies when one that ran at least
// LONG_RUN_MS reaches finished, finished with failures, failed or paused, and only while the
// window is hidden or unfocused (in sight, the status itself says it). A cancel is the user's own
// doing: no notice. Permission is asked when the user starts something (a user action), never
// at load; refused, nothing is shown. The Web Notification API works alike in Electron
// (electronGuards.ts grants it) and in browsers (browser mode on localhost is a secure context).
import type { RunStatus } from '../../../shared/studioApi';
import { statusText } from './format';

/** How long a run or experiment must have run for its end to be worth a notification. */
export const LONG_RUN_MS = 60_000;

const ENDINGS: ReadonlySet<RunStatus> = new Set(['finished', 'finished-with-failures', 'failed', 'paused']);

export type WatchedKind = 'run' | 'experiment';

export interface EndCheck {
  status: RunStatus;
  /** When it started (or was resumed), ms; `now` on the same clock. */
  since: number;
  now: number;
  /** document.visibilityState === 'visible' and document.hasFocus(). */
  inSight: boolean;
  permission: NotificationPermission | 'unsupported';
}

/** What to do with a watched item's status now: keep watching, drop it silently, or notify and drop. */
export function endDecision(check: EndCheck): 'watch' | 'drop' | 'notify' {
  if (check.status === 'running') return 'watch';
  if (!ENDINGS.has(check.status)) return 'drop';
  const long = check.now - check.since >= LONG_RUN_MS;
  return long && !check.inSight && check.permission === 'granted' ? 'notify' : 'drop';
}

/** The notification's words. */
export function endNotice(kind: WatchedKind, id: string, name: string | undefined, status: RunStatus, failed?: number) {
  const label = kind === 'run' ? 'Run' : 'Experiment';
  return {
    title: `${label} ${name ? `“${name}”` : id} ${statusText(status, failed)}`,
    body: name ? `${label} ${id}` : `DRPO Studio ${kind}`,
  };
}

export interface WatchedItem {
  kind: WatchedKind;
  id: string;
  /** When it was resumed; absent: since it was created (its summary's createdAt). */
  resumedAt?: number;
  watchedAt: number;
}

const watched = new Map<string, WatchedItem>();

const key = (kind: WatchedKind, id: string) => `${kind}:${id}`;

/** Watches `id` for its end; asks for permission now, while the user's action lasts. */
export function watchEnd(kind: WatchedKind, id: string, options: { resumed?: boolean } = {}): void {
  const now = Date.now();
  watched.set(key(kind, id), { kind, id, watchedAt: now, ...(options.resumed ? { resumedAt: now } : {}) });
  if (typeof Notification !== 'undefined' && Notification.permission === 'default')
    void Notification.requestPermission().catch(() => undefined);
}

export function watchedItems(): WatchedItem[] {
  return [...watched.values()];
}

/** Since when `item` has been running: resumed, created (a log's first event), or else first watched. */
export function runningSince(item: WatchedItem, createdAt: number): number {
  return item.resumedAt ?? (createdAt > 0 ? createdAt : item.watchedAt);
}

export function unwatch(kind: WatchedKind, id: string): void {
  watched.delete(key(kind, id));
}
