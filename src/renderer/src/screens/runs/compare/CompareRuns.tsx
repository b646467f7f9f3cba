// Runs side by side: the picked runs (published traces too) read once with runs.get — their
// figures in a table, reward by depth overlaid, the best prompts diffed word by word — and, per
// run, "Run again with changes". Reload reads them again (a run still going moves on).
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import type { RunDetail, StudioApi } from '../../../../../shared/studioApi';
import { errorMessage } from '../../../shell/format';
import './compare.css';
import { CompareTable } from './CompareTable';
import { comparedRun } from './comparison';
import { PromptDiffs } from './PromptDiffs';

// recharts loads with the first chart, as in the run view.
const CompareChart = lazy(() => import('./CompareChart'));

interface Props {
  studio: StudioApi;
  ids: readonly string[];
  onOpenRun: (id: string) => void;
  onRunAgain: (id: string) => void;
  onClose: () => void;
}

export function CompareRuns({ studio, ids, onOpenRun, onRunAgain, onClose }: Props) {
  const [details, setDetails] = useState<RunDetail[] | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const load = useCallback(async () => {
    const settled = await Promise.allSettled(ids.map((id) => studio.runs.get(id)));
    setDetails(settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])));
    setErrors(settled.flatMap((s, i) => (s.status === 'rejected' ? [`${ids[i]}: ${errorMessage(s.reason)}`] : [])));
  }, [studio, ids]);
  useEffect(() => {
    void load();
  }, [load]);
  const runs = useMemo(() => details?.map(comparedRun) ?? [], [details]);

  return (
    <section className="run-view compare-runs" data-testid="compare-runs" aria-labelledby="compare-runs-title">
      <header className="run-view__header">
        <h3 id="compare-runs-title">Comparing {ids.length} runs</h3>
        <div className="runs-actions">
          <button type="button" onClick={() => void load()}>
            Reload
          </button>
          <button type="button" onClick={onClose} data-testid="compare-close">
            Close
          </button>
        </div>
      </header>
      {errors.map((error) => (
        <p key={error} className="runs-error" role="alert">
          Cannot read run {error}
        </p>
      ))}
      {details === null ? (
        <p className="runs-muted">Loading the runs…</p>
      ) : (
        <>
          <CompareTable runs={runs} onOpenRun={onOpenRun} onRunAgain={onRunAgain} />
          <Suspense fallback={<p className="runs-muted">Loading the chart…</p>}>
            <CompareChart runs={runs} details={details} />
          </Suspense>
          <PromptDiffs runs={runs} />
        </>
      )}
    </section>
  );
}
