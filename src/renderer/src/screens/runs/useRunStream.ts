// Live state of one run: subscribes to its event stream, applies each event as it arrives and
// publishes one snapshot per animation frame with everything that arrived since the last
// (runStreamState.ts), so hundreds of events in a burst cost one render. Re-subscribes from the
// last seq seen when asked to (a dropped stream).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { StudioApi } from '../../../../shared/studioApi';
import { EMPTY_SNAPSHOT, frameBatcher, type RunStreamSnapshot, RunStreamState } from './runStreamState';

export type { RunStreamSnapshot } from './runStreamState';

export function useRunStream(
  studio: StudioApi,
  runId: string,
): {
  snapshot: RunStreamSnapshot;
  resubscribe: () => void;
  /** When the latest subscription was made or tried (ms); 0 until the first one. */
  subscribedAt: number;
} {
  const [snapshot, setSnapshot] = useState<RunStreamSnapshot>(EMPTY_SNAPSHOT);
  const [attempt, setAttempt] = useState(0);
  const [subscribedAt, setSubscribedAt] = useState(0);
  const stateRef = useRef<{ runId: string; state: RunStreamState } | null>(null);

  // A new run starts from nothing; the same run re-subscribing keeps what it has.
  if (stateRef.current === null || stateRef.current.runId !== runId)
    stateRef.current = { runId, state: new RunStreamState() };

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt is not read; a new attempt (resubscribe) re-runs the subscription
  useEffect(() => {
    const state = stateRef.current!.state;
    setSnapshot(state.publish()); // what a dropped subscription applied but had no frame to publish
    let active = true;
    const batch = frameBatcher(() => {
      if (active) setSnapshot(state.publish());
    });
    let unsubscribe: (() => void) | null = null;
    try {
      unsubscribe = studio.runs.subscribe(runId, state.lastSeq + 1, (event) => {
        if (!active) return;
        state.apply(event);
        batch.schedule();
      });
    } catch {
      unsubscribe = null;
    }
    // Tried, even if it failed: the watchdog tries again once the stream has been quiet long enough.
    setSubscribedAt(Date.now());
    return () => {
      active = false;
      batch.cancel();
      unsubscribe?.();
    };
  }, [studio, runId, attempt]);

  const resubscribe = useCallback(() => setAttempt((n) => n + 1), []);
  return { snapshot, resubscribe, subscribedAt };
}
