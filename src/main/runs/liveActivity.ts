// What the runs and experiments running in this process are doing now: each one's calls in flight,
// queued and waiting out overload (its lanes of the connections' schedulers), each backend's
// limit, its time left (timeLeft.ts) and what it has spent. A session registers once its backends are open and
// passes on its events; the studio reads it through `runs.activity` / `experiments.activity`,
// the CLI's progress line directly. The renderer asks every second while it shows a running
// run rather than getting these as events: they change with every call, and the log keeps
// only what a replay needs (the limit's changes are logged as `concurrency` events).
import type { Budget, Spend } from '../../shared/money.js';
import type { ConnectionActivity, LiveActivity } from '../../shared/studioApi.js';
import type { Backend } from '../llm/roleClient.js';
import { connectionActivity } from '../llm/schedulerPool.js';
import type { RunEvent } from '../store/runLog.js';
import { type PacePlan, TimeLeft } from './timeLeft.js';

/** How often the lanes' calls in flight are sampled for the time-left estimate (the slot time they hold). */
const SAMPLE_MS = 100;

const live = new Map<string, () => LiveActivity>();

export const runActivityKey = (id: string) => `run:${id}`;
export const experimentActivityKey = (id: string) => `experiment:${id}`;

export interface ActivityWatch {
  /** Every event of the session, as it happens (replays of a resumed one included). */
  observe(event: RunEvent): void;
  /** The session has ended: it is no longer listed. */
  stop(): void;
}

/** What the session has paid for so far (its ledger's, earlier sessions' included) and the budget it runs under. */
export interface SpendWatch {
  spent: () => Spend;
  budget?: Budget;
}

/** Lists a session under `key` while it runs, on its opened backends, against its plan. */
export function watchActivity(
  key: string,
  backends: ReadonlyMap<string, Backend>,
  plan: PacePlan,
  money: SpendWatch,
): ActivityWatch {
  const timeLeft = new TimeLeft(plan, Date.now());
  const sample = () => {
    for (const [name, backend] of backends) {
      const { limit, lane } = backend.scheduler.activity;
      timeLeft.sample(name, { limit, inFlight: lane.inFlight }, Date.now());
    }
  };
  sample();
  // Unref'd: a CLI process exits when its calls are done, not when this timer says.
  const timer = setInterval(sample, SAMPLE_MS).unref();
  const read = (): LiveActivity => {
    const counts = { inFlight: 0, queued: 0, waitingOnOverload: 0 };
    const limits: LiveActivity['backends'] = [];
    for (const [name, backend] of backends) {
      const { mode, limit, reason, lane } = backend.scheduler.activity;
      counts.inFlight += lane.inFlight;
      counts.queued += lane.queued;
      counts.waitingOnOverload += lane.waitingOnOverload;
      limits.push({ backend: name, mode, limit, reason });
    }
    return {
      ...counts,
      backends: limits,
      timeLeftMs: timeLeft.estimateMs(Date.now()),
      spent: money.spent(),
      ...(money.budget ? { budget: money.budget } : {}),
    };
  };
  live.set(key, read);
  return {
    observe: (event) => timeLeft.observe(event, Date.now()),
    stop() {
      clearInterval(timer);
      if (live.get(key) === read) live.delete(key);
    },
  };
}

/** The session's activity now; undefined unless it runs in this process. */
export function liveActivity(key: string): LiveActivity | undefined {
  return live.get(key)?.();
}

/** Every connection in use in this process, for the studio's Connections screen. */
export function connectionsInUse(): ConnectionActivity[] {
  return connectionActivity().map(
    ({ connection, users, mode, limit, reason, inFlight, queued, waitingOnOverload, peakInFlight }) => ({
      connection,
      users,
      mode,
      limit,
      reason,
      inFlight,
      queued,
      waitingOnOverload,
      peakInFlight,
    }),
  );
}
