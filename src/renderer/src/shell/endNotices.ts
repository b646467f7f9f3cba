// Desktop notifications when a long run or experiment ends. Only what the user started (or
// resumed, duplicated, forked) from this window is watched; when one is due is decided in
// shared/endDecision.ts. Permission is asked when the user starts something (a user action), never
// at load; refused, nothing is shown. The Web Notification API works alike in Electron
// (electronGuards.ts grants it) and in browsers (browser mode on localhost is a secure context).
import type { RunStatus } from '../../../shared/studioApi';
import { statusText } from './format';

export type WatchedKind = 'run' | 'experiment';

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

export function unwatch(kind: WatchedKind, id: string): void {
  watched.delete(key(kind, id));
}
