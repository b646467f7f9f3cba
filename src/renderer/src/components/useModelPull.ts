// One model pull at a time (models.pull): its latest progress, then done or failed. Cancelling
// (or unmounting) unsubscribes, which stops the download; the partial file stays for the next pull
// of the same source to resume.
import { useEffect, useRef, useState } from 'react';
import type { ModelPullEvent, StudioApi } from '../../../shared/studioApi';
import { errorMessage } from '../shell/format';

type Progress = Extract<ModelPullEvent, { type: 'progress' }>;
type Done = Extract<ModelPullEvent, { type: 'done' }>;

export type PullState =
  | { status: 'idle' }
  | { status: 'pulling'; source: string; progress?: Progress }
  | { status: 'done'; source: string; done: Done }
  | { status: 'failed'; source: string; error: string }
  | { status: 'cancelled'; source: string };

export function useModelPull(studio: StudioApi, onDone: (done: Done) => void) {
  const [state, setState] = useState<PullState>({ status: 'idle' });
  const unsubscribe = useRef<(() => void) | null>(null);
  const onDoneRef = useRef(onDone);
  onDoneRef.current = onDone;

  useEffect(() => () => unsubscribe.current?.(), []);

  const start = (source: string, connection?: string) => {
    unsubscribe.current?.();
    setState({ status: 'pulling', source });
    const finish = () => {
      unsubscribe.current?.();
      unsubscribe.current = null;
    };
    try {
      unsubscribe.current = studio.models.pull(connection ? { source, connection } : { source }, (event) => {
        if (event.type === 'progress') setState({ status: 'pulling', source, progress: event });
        else if (event.type === 'done') {
          finish();
          setState({ status: 'done', source, done: event });
          onDoneRef.current(event);
        } else {
          finish();
          setState({ status: 'failed', source, error: event.error });
        }
      });
    } catch (e) {
      setState({ status: 'failed', source, error: errorMessage(e) });
    }
  };

  const cancel = () => {
    unsubscribe.current?.();
    unsubscribe.current = null;
    setState((s) => (s.status === 'pulling' ? { status: 'cancelled', source: s.source } : s));
  };

  return { state, start, cancel };
}
