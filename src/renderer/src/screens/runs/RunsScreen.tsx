// The Runs screen: the runs in the user-data folder (polled every 2 s), a form to start one,
// and the selected run, live (or, for a damaged one, what is wrong with it), or the runs ticked
// in the list side by side. With no connection saved or no run yet, the first-run guide stands
// where the run would. The side column can be hidden (remembered), leaving the width to the run.
import { useCallback, useEffect, useState } from 'react';
import type { RunSummary, StudioApi } from '../../../../shared/studioApi';
import './runs.css';
import { type ListFilter, NO_FILTER, runMatches } from '../../../../shared/listFilter';
import { DamagedItem } from '../../components/DamagedItem';
import { ListFilterBar } from '../../components/ListFilterBar';
import { watchEnd } from '../../shell/endNotices';
import { usePolled } from '../../shell/usePolled';
import { useStoredFlag } from '../../shell/useStoredFlag';
import { CompareBar } from './compare/CompareBar';
import { CompareRuns } from './compare/CompareRuns';
import { GettingStarted } from './GettingStarted';
import { NewRunForm } from './NewRunForm';
import { PanelToggle } from './PanelToggle';
import { PublishedTraces } from './PublishedTraces';
import { RunBundles } from './RunBundles';
import { RunList } from './RunList';
import { RunView } from './RunView';
import { useRunAgain } from './useRunAgain';

const REFRESH_MS = 2000;

export function RunsScreen({ studio, onOpenConnections }: { studio: StudioApi; onOpenConnections: () => void }) {
  const listRuns = useCallback(() => studio.runs.list(), [studio]);
  const { value: runs, error, fetchedAt, refresh } = usePolled<RunSummary[]>(listRuns, REFRESH_MS);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [filter, setFilter] = useState<ListFilter>(NO_FILTER);
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
      setComparing(null);
      setSelectedId(id);
      refresh();
    },
    [refresh],
  );

  // Runs ticked for comparison, in the order ticked (the first is the prompts' baseline), and the ones compared now.
  const [checked, setChecked] = useState<string[]>([]);
  const [comparing, setComparing] = useState<string[] | null>(null);
  const toggleChecked = useCallback(
    (id: string) => setChecked((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id])),
    [],
  );
  const select = useCallback((id: string) => {
    setComparing(null);
    setSelectedId(id);
  }, []);
  // A ticked run removed since (here or elsewhere) is no longer offered.
  const ticked = runs ? checked.filter((id) => runs.some((run) => run.id === id)) : checked;
  const runAgain = useRunAgain(studio);
  // A run the user starts here is watched for its end (a desktop notification when it ran long).
  const openStarted = useCallback(
    (id: string) => {
      watchEnd('run', id);
      openRun(id);
    },
    [openRun],
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
          <RunList
            runs={runs}
            error={error}
            selectedId={selectedId}
            onSelect={select}
            compare={{ checked, onToggle: toggleChecked }}
            matches={(run) => runMatches(run, filter)}
            toolbar={
              <ListFilterBar
                filter={filter}
                onChange={setFilter}
                what="runs"
                stages
                shown={runs?.filter((run) => runMatches(run, filter)).length ?? 0}
                total={runs?.length ?? 0}
              />
            }
          />
          <CompareBar count={ticked.length} onCompare={() => setComparing(ticked)} onClear={() => setChecked([])} />
          <RunBundles studio={studio} selectedId={selectedId} onImported={openRun} />
          <PublishedTraces studio={studio} onImported={openRun} />
          <NewRunForm
            key={`${formKey}-${runAgain.prefill?.seq ?? 0}`}
            studio={studio}
            onStarted={openStarted}
            runAgain={runAgain}
          />
        </div>
        <div className="runs-screen__main">
          {comparing ? (
            <CompareRuns
              key={comparing.join(' ')}
              studio={studio}
              ids={comparing}
              onOpenRun={select}
              onRunAgain={runAgain.runAgain}
              onClose={() => setComparing(null)}
            />
          ) : selectedId && summary?.damaged ? (
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
              onRunAgain={() => runAgain.runAgain(selectedId)}
            />
          ) : showGuide ? (
            <GettingStarted
              studio={studio}
              connections={connections ?? []}
              onConnectionSaved={() => setFormKey((k) => k + 1)}
              onStarted={openStarted}
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
