// Why a run (or an experiment) pauses: which backends fail for good, since when, and what the
// user can do about it. Each backend's streak is read from the call events the session emits, and
// from those of its earlier sessions, so a run that pauses again after a resume still says when
// the trouble began: a streak begins with the first attempt that failed (a retry, or a call that
// failed for good) after the backend's last answer, and its next answer ends it. A request the
// backend refused for itself ('bad-request') says nothing of the backend and is left out.
import type { ModelCallError, ModelErrorKind } from '../../plugins/contract.js';
import type { BackendOutage, LoggedEvent, RunEvent } from '../store/runLog.js';

type BackendKind = Exclude<ModelErrorKind, 'aborted' | 'bad-request'>;

/** What a failure of each kind says of the backend, and what to do. */
const DESCRIPTIONS: Record<BackendKind, { state: string; advice: string }> = {
  connection: { state: 'unreachable', advice: 'resume when it is back' },
  timeout: { state: 'not answering in time', advice: 'resume when it is back' },
  server: { state: 'failing with server errors', advice: 'resume when it is back' },
  overloaded: { state: 'overloaded', advice: 'resume when it has room again' },
  'rate-limit': { state: 'rate-limiting every call', advice: 'resume when its limit allows' },
  auth: { state: 'refusing its credentials', advice: 'fix its key, then resume' },
  'not-found': { state: 'not serving the model or endpoint', advice: 'fix its settings, then resume' },
};

/** Failures that pass once the backend is back up, so a watcher may resume the run by itself (api/outageWatch.ts). */
export function passesByItself(kind: ModelErrorKind): boolean {
  return (
    kind === 'connection' || kind === 'timeout' || kind === 'server' || kind === 'overloaded' || kind === 'rate-limit'
  );
}

/** A session stopped because backends fail for good; `reason` is the line to show, `outages` what the log keeps. */
export class RunPausedError extends Error {
  constructor(
    readonly reason: string,
    readonly outages: BackendOutage[],
  ) {
    super(reason);
    this.name = 'RunPausedError';
  }
}

interface Streak {
  since: number;
  /** The latest call that failed for good, once one has. */
  failure?: { kind: BackendKind; message: string };
}

export class OutageTracker {
  readonly #streaks = new Map<string, Streak>();

  /** Starts from a log's earlier sessions. */
  constructor(previous: readonly LoggedEvent[] = []) {
    for (const event of previous) this.observe(event, event.ts);
  }

  observe(event: RunEvent, at = Date.now()): void {
    if (event.type === 'call') {
      this.#streaks.delete(event.backend);
      return;
    }
    if (event.type !== 'retry' && event.type !== 'call-failed') return;
    if (event.kind === 'aborted' || event.kind === 'bad-request') return;
    const streak = this.#streaks.get(event.backend) ?? { since: at };
    if (event.type === 'call-failed') streak.failure = { kind: event.kind, message: event.message };
    this.#streaks.set(event.backend, streak);
  }

  /** The pause for a search stopped by `failures`: the failing backends, or (none known, e.g. an embedder's) the failures' own words. */
  pause(failures: readonly ModelCallError[], now = new Date()): RunPausedError {
    const failing = [...this.#streaks].flatMap(([backend, { since, failure }]) =>
      failure ? [{ backend, since, ...failure }] : [],
    );
    if (failing.length === 0) {
      const message = failures[0]?.message ?? 'a model call failed';
      return new RunPausedError(`a backend fails for good (${message}) — resume when it is back`, []);
    }
    const reason = failing
      .map(({ backend, kind, since, message }) => {
        const { state, advice } = DESCRIPTIONS[kind];
        return `backend "${backend}" ${state} since ${clock(since, now)} (${message}) — ${advice}`;
      })
      .join('; ');
    return new RunPausedError(reason, failing);
  }
}

/** "12:03", with the date when it was not today. */
function clock(ms: number, now: Date): string {
  const at = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  return at.toDateString() === now.toDateString()
    ? time
    : `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${time}`;
}
