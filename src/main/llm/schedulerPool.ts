// One scheduler per connection in this process: two runs and an experiment on the same saved
// connection share its limit (each in a lane of its own, served in turn) instead of each believing
// it owns the server. A scheduler lives while something uses it; the first user's settings
// (concurrency, retries) hold until the last one lets it go.
import type { BackendScheduler, SchedulerActivity } from './backendScheduler.js';

interface Entry {
  scheduler: BackendScheduler;
  label: string;
  users: number;
}

const pool = new Map<string, Entry>();

export interface SharedScheduler {
  scheduler: BackendScheduler;
  /** Lets the scheduler go; the last release forgets it. Idempotent. */
  release(): void;
}

/** The scheduler of the connection `key` (a saved connection's name, else the backend's identity). */
export function acquireScheduler(key: string, label: string, create: () => BackendScheduler): SharedScheduler {
  let entry = pool.get(key);
  if (!entry) {
    entry = { scheduler: create(), label, users: 0 };
    pool.set(key, entry);
  }
  entry.users++;
  const held = entry;
  let released = false;
  return {
    scheduler: held.scheduler,
    release() {
      if (released) return;
      released = true;
      held.users--;
      if (held.users === 0 && pool.get(key) === held) pool.delete(key);
    },
  };
}

/** Whether the connection `key` has a scheduler now (what it was created with holds). */
export function schedulerInUse(key: string): boolean {
  return pool.has(key);
}

export interface ConnectionActivity extends SchedulerActivity {
  /** The saved connection's name, or the backend's name in a config that uses no saved connection. */
  connection: string;
  /** Runs and experiments using it now. */
  users: number;
}

/** What every connection in use is doing now. */
export function connectionActivity(): ConnectionActivity[] {
  return [...pool.values()].map(({ scheduler, label, users }) => ({ connection: label, users, ...scheduler.activity }));
}
