// The Runs screen: the runs in the user-data folder (polled every 2 s), a form to start one,
// and the selected run, live (or, for a damaged one, what is wrong with it). With no connection
// saved or no run yet, the first-run guide stands where the run would. The side column can be
// hidden (remembered), leaving the width to the run.
import { useCallback, useEffect, useState } from 'react';
import type { RunSummary, StudioApi } from '../../../../shared/studioApi';
import '@xyflow/react/dist/style.css';
import './runs.css';
import { DamagedItem } from '../../components/DamagedItem';
import { usePolled } from '../../shell/usePolled';
import { useStoredFlag } from '../../shell/useStoredFlag';
import { GettingStarted } from './GettingStarted';
import { NewRunForm } from './NewRunForm';
import { PanelToggle } from './PanelToggle';
import { PublishedTraces } from './PublishedTraces';
import { RunBundles } from './RunBundles';
import { RunList } from './RunList';
import { RunView } from './RunView';

const REFRESH_MS = 2000;

export function RunsScreen({ studio, onOpenConnections }: { studio: StudioApi; onOpenConnections: () => void }) {
  const listRuns = useCallback(() => studio.runs.list(), [studio]);
  const { value: runs, error, fetchedAt, refresh } = usePolled<RunSummary[]>(listRuns, REFRESH_MS);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [sideOpen, toggleSide] = useStoredFlag('drpo-studio.runs.side', true);
  const [connections, setConnections] = useState<string[] | null>(null);
  // Bumped when the guide saves a connection, so that the New run form lists it too.
  const [formKey, setFormKey] = useState(0);
  useEffect(() => {
    studio.connections
      .list()
      .then((list) => setConnections(Object.keys(list).sort((a, b) => a.localeCompare(b))))
      .catch(() => setConnections(null)); // no guide then: the New run form says what is wrong
  }, [studio]);
  const showGuide = connections !== null && (connections.length === 0 || runs?.length === 0);

  const openRun = useCallback(
    (id: string) => {
      setSelectedId(id);
      refresh();
    },
    [refresh],
  );

  const summary = selectedId ? (runs?.find((r) => r.id === selectedId) ?? null) : null;
  const closeRemoved = useCallback(() => {
    setSelectedId(null);
    refresh();
  }, [refresh]);

  return (
    <section className="runs-screen" data-testid="screen-runs">
      <div className="runs-screen__top">
        <h2 className="runs-screen__title">Runs</h2>
        <PanelToggle label="Side panel" open={sideOpen} onToggle={toggleSide} controls="runs-side" />
      </div>
      <div className={`runs-screen__layout${sideOpen ? '' : ' runs-screen__layout--wide'}`}>
        {/* Hidden, not unmounted: a New run form half filled in stays so. */}
        <div className="runs-screen__side" id="runs-side" hidden={!sideOpen}>
          <RunList runs={runs} error={error} selectedId={selectedId} onSelect={setSelectedId} />
          <RunBundles studio={studio} selectedId={selectedId} onImported={openRun} />
          <PublishedTraces studio={studio} onImported={openRun} />
          <NewRunForm key={formKey} studio={studio} onStarted={openRun} />
        </div>
        <div className="runs-screen__main">
          {selectedId && summary?.damaged ? (
            <DamagedItem
              key={selectedId}
              what="run"
              id={selectedId}
              damaged={summary.damaged}
              onRemove={async () => {
                await studio.runs.remove(selectedId);
                closeRemoved();
              }}
            />
          ) : selectedId ? (
            <RunView
              key={selectedId}
              studio={studio}
              runId={selectedId}
              summary={summary}
              summaryAt={fetchedAt}
              onChanged={refresh}
              onOpenRun={openRun}
              onRemoved={closeRemoved}
            />
          ) : showGuide ? (
            <GettingStarted
              studio={studio}
              connections={connections ?? []}
              onConnectionSaved={() => setFormKey((k) => k + 1)}
              onStarted={openRun}
              onOpenConnections={onOpenConnections}
            />
          ) : (
            <div className="runs-panel runs-placeholder">
              <p className="runs-muted">
                {runs && runs.length > 0
                  ? 'Select a run to see its beam tree, live.'
                  : 'Start a run and its beam tree appears here, live.'}
              </p>
            </div>
          )}
        </div>
      </div>
    </section>
  );
}
