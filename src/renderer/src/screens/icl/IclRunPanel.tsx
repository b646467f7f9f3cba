// The examples of one ICL run, before and after, chosen from the ICL runs (newest first).
import { useMemo } from 'react';
import type { RunSummary, StudioApi } from '../../../../shared/studioApi';
import { RetryAlert } from '../../components/RetryAlert';
import { statusText } from '../../shell/format';
import { ExampleCard } from './ExampleCard';
import { buildExamples } from './iclExamples';
import { useIclRuns } from './useIclRuns';

function runLabel(run: RunSummary): string {
  const when = run.createdAt > 0 ? new Date(run.createdAt).toLocaleString() : '';
  return `${run.id} — ${run.status}${when ? `, ${when}` : ''}${run.bestScore !== null ? `, best ${run.bestScore.toFixed(2)}` : ''}`;
}

export function IclRunPanel({ studio }: { studio: StudioApi }) {
  const { runs, runsError, runId, setRunId, detail, detailError, loadRuns } = useIclRuns(studio);
  const examples = useMemo(() => (detail ? buildExamples(detail.tree, detail.result) : []), [detail]);

  return (
    <div className="panel">
      <div className="row" style={{ justifyContent: 'space-between', marginBottom: '0.75rem' }}>
        <h3 style={{ margin: 0 }}>Optimized examples</h3>
        {runs && runs.length > 0 && (
          <div className="row icl-run-picker">
            <label htmlFor="icl-run-select" className="small">
              ICL run
            </label>
            <select
              id="icl-run-select"
              value={runId ?? ''}
              onChange={(e) => setRunId(e.target.value || null)}
              data-testid="icl-run-select"
            >
              {runs.map((r) => (
                <option key={r.id} value={r.id}>
                  {runLabel(r)}
                </option>
              ))}
            </select>
            <button type="button" className="small" onClick={loadRuns} data-testid="icl-refresh-runs">
              Refresh
            </button>
          </div>
        )}
      </div>

      {runsError && (
        <RetryAlert title="Cannot list the runs." message={runsError} onRetry={loadRuns} testId="icl-error" />
      )}

      {runs === null && !runsError && <p className="muted">Loading runs…</p>}

      {runs !== null && runs.length === 0 && (
        <div className="empty" data-testid="icl-empty">
          <h3>No ICL run yet</h3>
          <p>
            Run <code>drpo-studio icl</code> from the command line, or start an ICL run from the Runs screen (stage{' '}
            <code>icl</code>). Its examples appear here, before and after, while it runs.
          </p>
          <button type="button" className="small" onClick={loadRuns}>
            Check again
          </button>
        </div>
      )}

      {detailError && (
        <div className="alert" role="alert" data-testid="icl-error">
          <strong>Cannot open the run.</strong> {detailError}
        </div>
      )}

      {runId && !detail && !detailError && <p className="muted">Loading the run…</p>}

      {detail && (
        <>
          <div className="row small muted" style={{ marginBottom: '0.75rem' }}>
            <span
              className={`badge${detail.status === 'finished' ? ' ok' : detail.status === 'failed' ? ' danger' : detail.status === 'running' ? ' accent' : detail.status === 'finished-with-failures' ? ' warn' : ''}`}
            >
              {statusText(detail.status, detail.failed)}
            </span>
            <span>
              {examples.length} example{examples.length === 1 ? '' : 's'} · {detail.nodeCount} nodes · {detail.calls}{' '}
              calls
            </span>
            {detail.status === 'running' && <span role="status">Updating live…</span>}
          </div>
          {detail.error && (
            <div className="alert" role="alert">
              <strong>The run failed.</strong> {detail.error}
            </div>
          )}
          {examples.length === 0 ? (
            <p className="muted" data-testid="icl-no-examples">
              {detail.status === 'running' ? 'No example has been evaluated yet.' : 'This run holds no example.'}
            </p>
          ) : (
            <ol className="icl-examples">
              {examples.map((e) => (
                <ExampleCard key={e.index} example={e} />
              ))}
            </ol>
          )}
        </>
      )}
    </div>
  );
}
