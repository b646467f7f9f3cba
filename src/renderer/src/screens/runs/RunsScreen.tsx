// The Runs screen: the runs in the user-data folder (polled every 2 s), a form to start one,
// and the selected run, live.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RunSummary, StudioApi } from '../../../../shared/studioApi';
import '@xyflow/react/dist/style.css';
import './runs.css';
import { errorMessage } from './format';
import { NewRunForm } from './NewRunForm';
import { RunBundles } from './RunBundles';
import { RunList } from './RunList';
import { RunView } from './RunView';

const REFRESH_MS = 2000;

export function RunsScreen({ studio }: { studio: StudioApi }) {
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [fetchedAt, setFetchedAt] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const mounted = useRef(true);

  const refresh = useCallback(() => {
    const asked = Date.now();
    studio.runs
      .list()
      .then((list) => {
        if (!mounted.current) return;
        setRuns(list);
        setFetchedAt(asked);
        setError(null);
      })
      .catch((e: unknown) => {
        if (mounted.current) setError(errorMessage(e));
      });
  }, [studio]);

  useEffect(() => {
    mounted.current = true;
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => {
      mounted.current = false;
      clearInterval(timer);
    };
  }, [refresh]);

  const openRun = useCallback(
    (id: string) => {
      setSelectedId(id);
      refresh();
    },
    [refresh],
  );

  const summary = selectedId ? (runs?.find((r) => r.id === selectedId) ?? null) : null;

  return (
    <section className="runs-screen" data-testid="screen-runs">
      <h2 className="runs-screen__title">Runs</h2>
      <div className="runs-screen__layout">
        <div className="runs-screen__side">
          <RunList runs={runs} error={error} selectedId={selectedId} onSelect={setSelectedId} />
          <RunBundles studio={studio} selectedId={selectedId} onImported={openRun} />
          <NewRunForm studio={studio} onStarted={openRun} />
        </div>
        <div className="runs-screen__main">
          {selectedId ? (
            <RunView key={selectedId} studio={studio} runId={selectedId} summary={summary} summaryAt={fetchedAt} onChanged={refresh} onOpenRun={openRun} />
          ) : (
            <div className="runs-panel runs-placeholder">
              <p className="runs-muted">{runs && runs.length > 0 ? 'Select a run to see its beam tree, live.' : 'Start a run and its beam tree appears here, live.'}</p>
            </div>
          )}
        </div>
      </div>
    </section>
  );
}
