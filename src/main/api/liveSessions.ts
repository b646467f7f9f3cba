// What the run and experiment managers share: sessions (a run's stage, an experiment) running in
// this process over folders with an append-only event log; subscribers fed that log from any seq
// and then its live events; and a stopped folder's status, read from the log's last lifecycle
// event, so it survives restarts.
import type { RunEventMessage } from '../../shared/studioApi.js';
import { type BackendOutage, type LoggedEvent, readRunLog } from '../store/runLog.js';

/**
 * What the log says of a folder not running here. `paused`: stopped but resumable (a pause, a
 * stop, a kill, or failing backends); `finished-with-failures`: finished, some work left without
 * a result because its calls failed for good.
 */
export type LoggedStatus = 'finished' | 'finished-with-failures' | 'failed' | 'cancelled' | 'paused';

export interface LoggedStop {
  status: LoggedStatus;
  /** Stopped for failing backends (run-paused): why, in a line, and which backends since when. */
  pause?: { reason: string; outages: BackendOutage[] };
  /** Work the finished run or experiment left without a result. */
  failed?: number;
}

/** How the log's last session ended, from its last lifecycle event. */
export function stopFromLog(events: readonly LoggedEvent[]): LoggedStop {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.type === 'run-finished')
      return event.failed ? { status: 'finished-with-failures', failed: event.failed } : { status: 'finished' };
    if (event.type === 'run-paused')
      return { status: 'paused', pause: { reason: event.reason, outages: event.outages } };
    if (event.type === 'run-failed') return { status: 'failed' };
    if (event.type === 'run-cancelled') return { status: event.final ? 'cancelled' : 'paused' };
    if (event.type === 'run-started' || event.type === 'run-resumed') return { status: 'paused' }; // interrupted: resumable
  }
  return { status: 'paused' };
}

/** The error of the log's last failure, when it ended in one. */
export function lastFailure(events: readonly LoggedEvent[]): string | undefined {
  const failure = [...events].reverse().find((e) => e.type === 'run-failed');
  return failure?.type === 'run-failed' ? failure.error : undefined;
}

type Listener = (event: RunEventMessage) => void;

export class LiveSessions {
  private readonly active = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private readonly listeners = new Map<string, Set<Listener>>();

  isRunning(id: string): boolean {
    return this.active.has(id);
  }

  /** Starts `session` under `id`; every event it logs goes to the subscribers. Its failure is in its log, where status reads it. */
  launch(id: string, session: (signal: AbortSignal, onLogged: (event: LoggedEvent) => void) => Promise<unknown>): void {
    if (this.active.has(id)) throw new Error(`${id} is already running`);
    const controller = new AbortController();
    const done = session(controller.signal, (event) => this.publish(id, event))
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => this.active.delete(id));
    this.active.set(id, { controller, done });
  }

  /** Aborts a running session with `reason` and waits until it has stopped; false when it was not running. */
  async stop(id: string, reason: Error): Promise<boolean> {
    const session = this.active.get(id);
    if (!session) return false;
    session.controller.abort(reason);
    await session.done;
    return true;
  }

  /** Waits for a running session to end (tests, shutdown). */
  async settled(id: string): Promise<void> {
    await this.active.get(id)?.done;
  }

  /** Stops every session (each resumable from its log). */
  async stopAll(reason: Error): Promise<void> {
    await Promise.all([...this.active.keys()].map((id) => this.stop(id, reason)));
  }

  publish(id: string, event: LoggedEvent | undefined): void {
    if (!event) return;
    for (const listener of this.listeners.get(id) ?? []) listener(event as unknown as RunEventMessage);
  }

  /** Replays `logFile` from seq `fromSeq` on, then streams `id`'s live events, until the returned function is called. */
  subscribe(id: string, logFile: string, fromSeq: number, listener: Listener): () => void {
    let last = fromSeq - 1;
    const deliver = (event: RunEventMessage) => {
      if (event.seq <= last) return;
      last = event.seq;
      listener(event);
    };
    const set = this.listeners.get(id) ?? new Set();
    this.listeners.set(id, set);
    set.add(deliver);
    // Live events that arrive while the log is read are held back by `last`, never lost: the
    // log is read after registering, and each event carries its seq.
    for (const event of readRunLog(logFile).events) deliver(event as unknown as RunEventMessage);
    return () => {
      set.delete(deliver);
      if (set.size === 0) this.listeners.delete(id);
    };
  }
}
