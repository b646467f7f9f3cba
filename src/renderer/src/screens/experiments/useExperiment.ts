// One experiment, live: its detail from the service (summary, config, result and tables), and
// its progress counted from its event stream (each answer and judgment once). The service's
// status is the truth, except that a stop the stream has just reported wins over a "running" read
// a moment before the session let go; the detail is read again whenever the stream says the
// experiment started, stopped or finished.
import { useCallback, useEffect, useState } from 'react';
import type { ExperimentDetail, ExperimentStatus, RunEventMessage, StudioApi } from '../../../../shared/studioApi';
import { errorMessage } from '../../shell/format';

export interface LiveProgress {
  answered: number;
  judged: number;
  unjudged: number;
  calls: number;
  costUsd: number;
}

interface Accumulator {
  seen: Set<string>;
  progress: LiveProgress;
  /** The status the stream's latest lifecycle event implies. */
  streamStatus: ExperimentStatus | null;
  streamError: string | null;
}

const LIFECYCLE: Record<string, ExperimentStatus> = {
  'run-started': 'running',
  'run-resumed': 'running',
  'run-finished': 'finished',
  'run-paused': 'paused',
  'run-failed': 'failed',
  'run-cancelled': 'cancelled',
};

function fresh(): Accumulator {
  return {
    seen: new Set(),
    progress: { answered: 0, judged: 0, unjudged: 0, calls: 0, costUsd: 0 },
    streamStatus: null,
    streamError: null,
  };
}

/** Applies one event; true when it was a lifecycle event. */
function apply(acc: Accumulator, event: RunEventMessage): boolean {
  const { progress } = acc;
  if (event.type === 'call') {
    progress.calls += typeof event.requests === 'number' ? event.requests : 1;
    progress.costUsd += typeof event.costUsd === 'number' ? event.costUsd : 0;
    return false;
  }
  if (event.type === 'eval-answer' || event.type === 'eval-judged' || event.type === 'eval-unjudged') {
    const step = event.type === 'eval-answer' ? 'answered' : 'judged';
    const key = JSON.stringify([step, event.setup, event.target, event.itemId]);
    if (acc.seen.has(key)) return false;
    acc.seen.add(key);
    progress[step] += 1;
    if (event.type === 'eval-unjudged') progress.unjudged += 1;
    return false;
  }
  const finishedWithFailures = event.type === 'run-finished' && typeof event.failed === 'number' && event.failed > 0;
  const status = finishedWithFailures ? 'finished-with-failures' : LIFECYCLE[event.type];
  if (!status) return false;
  acc.streamStatus = status;
  acc.streamError = event.type === 'run-failed' && typeof event.error === 'string' ? event.error : null;
  return true;
}

export function useExperiment(studio: StudioApi, id: string) {
  const [detail, setDetail] = useState<ExperimentDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<LiveProgress | null>(null);
  const [streamStatus, setStreamStatus] = useState<ExperimentStatus | null>(null);

  const refresh = useCallback(() => {
    studio.experiments
      .get(id)
      .then((d) => {
        setDetail(d);
        setError(null);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [studio, id]);

  useEffect(() => {
    const acc = fresh();
    setDetail(null);
    setProgress(null);
    setStreamStatus(null);
    refresh();
    let active = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lifecycleChanged = false;
    // A burst of events (the replay above all) costs one render and at most one read of the detail.
    const publish = () => {
      timer = null;
      if (!active) return;
      setProgress({ ...acc.progress });
      setStreamStatus(acc.streamStatus);
      if (lifecycleChanged) refresh();
      lifecycleChanged = false;
    };
    let unsubscribe: (() => void) | null = null;
    try {
      unsubscribe = studio.experiments.subscribe(id, 0, (event) => {
        if (!active) return;
        if (apply(acc, event)) lifecycleChanged = true;
        timer ??= setTimeout(publish, 100);
      });
    } catch (e) {
      setError(errorMessage(e));
    }
    return () => {
      active = false;
      if (timer !== null) clearTimeout(timer);
      unsubscribe?.();
    };
  }, [studio, id, refresh]);

  const served = detail?.summary.status ?? null;
  const stoppedJustNow = served === 'running' && streamStatus !== null && streamStatus !== 'running';
  const status = stoppedJustNow ? streamStatus : served;
  return { detail, progress, status, error, refresh };
}
