// The ICL runs (newest first) and the chosen one's detail, polled while it runs so its examples fill in live.
import { useCallback, useEffect, useState } from 'react';
import type { RunDetail, RunSummary, StudioApi } from '../../../../shared/studioApi';
import { errorMessage } from '../../shell/format';

const POLL_MS = 2000;

export function useIclRuns(studio: StudioApi) {
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [runsError, setRunsError] = useState<string | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const [detail, setDetail] = useState<RunDetail | null>(null);
  const [detailError, setDetailError] = useState<string | null>(null);

  const loadRuns = useCallback(() => {
    setRunsError(null);
    studio.runs
      .list()
      .then((all) => {
        const icl = all.filter((r) => r.stage === 'icl').sort((a, b) => b.createdAt - a.createdAt);
        setRuns(icl);
        setRunId((current) => (current && icl.some((r) => r.id === current) ? current : (icl[0]?.id ?? null)));
      })
      .catch((e: unknown) => setRunsError(errorMessage(e)));
  }, [studio]);

  useEffect(loadRuns, [loadRuns]);

  useEffect(() => {
    if (!runId) {
      setDetail(null);
      return;
    }
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setDetail((d) => (d?.id === runId ? d : null));
    setDetailError(null);
    const fetchOnce = () => {
      studio.runs
        .get(runId)
        .then((d) => {
          if (stopped) return;
          setDetail(d);
          setDetailError(null);
          if (d.status === 'running') timer = setTimeout(fetchOnce, POLL_MS);
          else
            setRuns(
              (old) => old?.map((r) => (r.id === d.id ? { ...r, status: d.status, bestScore: d.bestScore } : r)) ?? old,
            );
        })
        .catch((e: unknown) => {
          if (!stopped) setDetailError(errorMessage(e));
        });
    };
    fetchOnce();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [studio, runId]);

  return { runs, runsError, runId, setRunId, detail, detailError, loadRuns };
}
