// The state of the "Check the judge" panel: the check asked for, its estimate (asked again as the
// request changes, before Start), the check once started (progress, or its error), and the latest
// result of each kind, so the spread and the agreement can be read side by side.
import { useEffect, useRef, useState } from 'react';
import type { JudgeCheckRequest } from '../../../../shared/judgeCheckRequest';
import type { JudgeCheckResult } from '../../../../shared/judgeCheckTypes';
import type { StudioApi } from '../../../../shared/studioApi';
import { useRequestEstimate } from '../../shell/useRequestEstimate';

export type CheckRun =
  | { state: 'idle' }
  | { state: 'running'; done: number; total: number }
  | { state: 'failed'; error: string };

export function useJudgeCheck(studio: StudioApi, request: JudgeCheckRequest | null) {
  const { estimate, estimateError } = useRequestEstimate(request, (r: JudgeCheckRequest) =>
    studio.judgeChecks.estimate(r),
  );
  const [run, setRun] = useState<CheckRun>({ state: 'idle' });
  const [results, setResults] = useState<Partial<Record<JudgeCheckResult['kind'], JudgeCheckResult>>>({});
  const stopRef = useRef<(() => void) | null>(null);

  // Leaving the panel cancels a check still running.
  useEffect(() => () => stopRef.current?.(), []);

  const start = () => {
    if (!request) return;
    setRun({ state: 'running', done: 0, total: estimate?.calls ?? 0 });
    stopRef.current = studio.judgeChecks.run(request, (event) => {
      if (event.type === 'progress') setRun({ state: 'running', done: event.done, total: event.total });
      else {
        stopRef.current = null;
        if (event.type === 'done') {
          const { result } = event;
          setResults((r) => ({ ...r, [result.kind]: result }));
        }
        setRun(event.type === 'done' ? { state: 'idle' } : { state: 'failed', error: event.error });
      }
    });
  };
  const cancel = () => {
    stopRef.current?.();
    stopRef.current = null;
    setRun({ state: 'idle' });
  };
  return { estimate, estimateError, run, results, start, cancel };
}
