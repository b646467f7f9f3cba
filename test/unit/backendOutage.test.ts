import { describe, expect, it } from 'vitest';
import { OutageTracker } from '../../src/main/runs/backendOutage.js';
import type { LoggedEvent, RunEvent } from '../../src/main/store/runLog.js';
import { ModelCallError, type ModelErrorKind } from '../../src/plugins/contract.js';

/** 12:03:00 and later on one local day; the streak's times are chosen by hand. */
const at = (hours: number, minutes: number, day = 2) => new Date(2026, 2, day, hours, minutes).getTime();

const call = (backend: string): RunEvent => ({
  type: 'call',
  role: 'judge',
  backend,
  key: 'k',
  requests: 1,
  texts: ['{}'],
  usage: { promptTokens: 1, completionTokens: 1 },
  costUsd: 0,
  retries: 0,
  latencyMs: 1,
});
const retry = (backend: string, kind: ModelErrorKind): RunEvent => ({
  type: 'retry',
  role: 'judge',
  backend,
  attempt: 1,
  kind,
  message: `${kind} on the way`,
  delayMs: 10,
});
const failed = (backend: string, kind: ModelErrorKind, message: string): RunEvent => ({
  type: 'call-failed',
  role: 'judge',
  backend,
  key: 'k',
  kind,
  message,
  retries: 1,
});
const failure = new ModelCallError('connection', 'connect ECONNREFUSED');

describe('why a run pauses', () => {
  it('names each backend failing for good, since the first failed attempt after its last answer', () => {
    const tracker = new OutageTracker();
    tracker.observe(retry('local', 'connection'), at(11, 0));
    tracker.observe(call('local'), at(11, 1)); // answered: that streak is over
    tracker.observe(retry('local', 'connection'), at(12, 3));
    tracker.observe(failed('local', 'connection', 'connect ECONNREFUSED'), at(12, 4));
    tracker.observe(failed('cloud', 'auth', 'HTTP 401'), at(12, 5));
    tracker.observe(failed('cloud', 'bad-request', 'HTTP 400: too long'), at(12, 6)); // the request's own fault
    tracker.observe(retry('slow', 'overloaded'), at(12, 7)); // waiting, not failed for good: not named
    const paused = tracker.pause([failure], new Date(at(12, 30)));
    expect(paused.reason).toBe(
      'backend "local" unreachable since 12:03 (connect ECONNREFUSED) — resume when it is back; ' +
        'backend "cloud" refusing its credentials since 12:05 (HTTP 401) — fix its key, then resume',
    );
    expect(paused.outages).toEqual([
      { backend: 'local', kind: 'connection', since: at(12, 3), message: 'connect ECONNREFUSED' },
      { backend: 'cloud', kind: 'auth', since: at(12, 5), message: 'HTTP 401' },
    ]);
  });

  it("keeps a streak across a resume (from the log's times), and dates one that began on another day", () => {
    const previous = [
      { ...failed('local', 'server', 'HTTP 500'), seq: 4, ts: at(23, 50, 1) },
      { type: 'run-paused', reason: '…', outages: [], seq: 5, ts: at(23, 51, 1) },
    ] as LoggedEvent[];
    const tracker = new OutageTracker(previous);
    tracker.observe(failed('local', 'timeout', 'no reply within 300000 ms'), at(0, 10));
    expect(tracker.pause([failure], new Date(at(0, 15))).reason).toBe(
      'backend "local" not answering in time since 2026-03-01 23:50 (no reply within 300000 ms) — resume when it is back',
    );
  });

  it("falls back on the failure's own words when no call names a backend (an embedder's)", () => {
    expect(new OutageTracker().pause([failure]).reason).toBe(
      'a backend fails for good (connect ECONNREFUSED) — resume when it is back',
    );
  });
});
