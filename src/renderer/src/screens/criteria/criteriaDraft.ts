// The criteria editor's unsaved draft lives outside the screen, so switching screens keeps it
// (and the navigation can show that there are unsaved changes).
import { useSyncExternalStore } from 'react';
import type { AspectCatalogDto } from '../../../../shared/studioApi';

export interface CriteriaDraft {
  /** The catalog as last loaded from or saved to the service. */
  saved: AspectCatalogDto;
  /** The catalog being edited. */
  draft: AspectCatalogDto;
  /** A stable React key for each of `draft.aspects`, index for index; never sent. */
  keys: number[];
}

let current: CriteriaDraft | null = null;
let nextKey = 0;
const listeners = new Set<() => void>();

export function getCriteriaDraft(): CriteriaDraft | null {
  return current;
}

export function setCriteriaDraft(next: CriteriaDraft | null): void {
  current = next;
  for (const listener of listeners) listener();
}

/** Fresh React keys for `count` aspects. */
export function newKeys(count: number): number[] {
  return Array.from({ length: count }, () => nextKey++);
}

export function isDirty(state: CriteriaDraft | null): boolean {
  return state !== null && JSON.stringify(state.saved) !== JSON.stringify(state.draft);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether the criteria editor holds unsaved changes. */
export function useCriteriaDirty(): boolean {
  return useSyncExternalStore(subscribe, () => isDirty(current));
}

/** The draft, re-rendering on every change. */
export function useCriteriaDraft(): CriteriaDraft | null {
  return useSyncExternalStore(subscribe, () => current);
}
