// The Experiments screen: the experiments in the user-data folder (polled every 2 s), and either
// the New experiment form or the selected experiment, live (or, for a damaged one, what is wrong with it).
import { useCallback, useState } from 'react';
import { experimentMatches, type ListFilter, NO_FILTER } from '../../../../shared/listFilter';
import type { ExperimentSummary, StudioApi } from '../../../../shared/studioApi';
import { DamagedItem } from '../../components/DamagedItem';
import { ListFilterBar } from '../../components/ListFilterBar';
import { ScreenHeader } from '../../components/ScreenHeader';
import { watchEnd } from '../../shell/endNotices';
import { usePolled } from '../../shell/usePolled';
import { ExperimentList } from './ExperimentList';
import { ExperimentView } from './ExperimentView';
import { NewExperimentForm } from './NewExperimentForm';
import './experiments.css';

const REFRESH_MS = 2000;

export function ExperimentsScreen({ studio }: { studio: StudioApi }) {
  const listExperiments = useCallback(() => studio.experiments.list(), [studio]);
  const { value: experiments, error, refresh } = usePolled<ExperimentSummary[]>(listExperiments, REFRESH_MS);
  /** The experiment shown, or null for the New experiment form. */
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [filter, setFilter] = useState<ListFilter>(NO_FILTER);

  const open = (id: string) => {
    setSelectedId(id);
    refresh();
  };
  const closeRemoved = () => {
    setSelectedId(null);
    refresh();
  };
  const damaged = experiments?.find((e) => e.id === selectedId)?.damaged;

  return (
    <section className="screen experiments-screen" data-testid="screen-experiments">
      <ScreenHeader
        title="Experiments"
        actions={
          <button
            type="button"
            className="primary"
            onClick={() => setSelectedId(null)}
            aria-pressed={selectedId === null}
            data-testid="new-experiment"
          >
            New experiment
          </button>
        }
      >
        Evaluate alignment setups on target models, just-eval-instruct style: the transfer matrix, the paper's
        per-aspect table, scores per category.
      </ScreenHeader>
      <div className="experiments-layout">
        <ExperimentList
          experiments={experiments}
          error={error}
          selectedId={selectedId}
          onSelect={open}
          matches={(e) => experimentMatches(e, filter)}
          toolbar={
            <ListFilterBar
              filter={filter}
              onChange={setFilter}
              what="experiments"
              shown={experiments?.filter((e) => experimentMatches(e, filter)).length ?? 0}
              total={experiments?.length ?? 0}
            />
          }
        />
        <div className="experiments-main">
          {selectedId && damaged ? (
            <DamagedItem
              key={selectedId}
              what="experiment"
              id={selectedId}
              damaged={damaged}
              onRemove={async () => {
                await studio.experiments.remove(selectedId);
                closeRemoved();
              }}
            />
          ) : selectedId ? (
            <ExperimentView
              key={selectedId}
              studio={studio}
              id={selectedId}
              onChanged={refresh}
              onRemoved={closeRemoved}
              onOpen={open}
            />
          ) : (
            <NewExperimentForm
              studio={studio}
              onStarted={(id) => {
                watchEnd('experiment', id);
                open(id);
              }}
            />
          )}
        </div>
      </div>
    </section>
  );
}
