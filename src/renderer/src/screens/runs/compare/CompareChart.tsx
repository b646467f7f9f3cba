// Reward by depth of the compared runs, one line per run, on the chart the run view draws.
import { useId, useMemo, useState } from 'react';
import type { RunDetail } from '../../../../../shared/studioApi';
import { LevelChart } from '../LevelChart';
import { type ComparedRun, OVERLAY_METRICS, type OverlayMetric, overlaySeries } from './comparison';

export default function CompareChart({
  runs,
  details,
}: {
  runs: readonly ComparedRun[];
  details: readonly RunDetail[];
}) {
  const [metric, setMetric] = useState<OverlayMetric>('best');
  const selectId = useId();
  const data = useMemo(() => overlaySeries(details, metric), [details, metric]);
  const lines = runs.map((run, i) => ({ dataKey: `run${i}`, name: run.label, color: run.color }));
  return (
    <figure className="reward-chart" data-testid="compare-chart">
      <figcaption className="compare-runs__caption">
        Reward by depth{' '}
        <label htmlFor={selectId} className="runs-muted">
          showing
        </label>{' '}
        <select id={selectId} value={metric} onChange={(e) => setMetric(e.target.value as OverlayMetric)}>
          {OVERLAY_METRICS.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
      </figcaption>
      {data.length > 0 ? <LevelChart data={data} lines={lines} /> : <p className="runs-muted">No scored nodes yet.</p>}
    </figure>
  );
}
