// The runs in the user-data folder, newest first; a row opens its run (a damaged one says why).

import { Fragment, type ReactNode } from 'react';
import type { RunSummary } from '../../../../shared/studioApi';
import { formatScore, formatTime, statusText } from '../../shell/format';

/** The id with line-break opportunities after its hyphens only (the text stays the same). */
function breakableId(id: string) {
  const parts = id.split('-');
  return parts.map((part, i) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: the pieces of one id, in their fixed order
    <Fragment key={i}>
      {part}
      {i < parts.length - 1 && (
        <>
          -<wbr />
        </>
      )}
    </Fragment>
  ));
}

interface Props {
  runs: RunSummary[] | null;
  error: string | null;
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** Runs ticked for comparison: a checkbox per row when given. */
  compare?: { checked: readonly string[]; onToggle: (id: string) => void };
  /** The search and filters (ListFilterBar), above the table. */
  toolbar?: ReactNode;
  /** The runs the search and filters let through (default all). */
  matches?: (run: RunSummary) => boolean;
}

export function RunList({ runs, error, selectedId, onSelect, compare, toolbar, matches = () => true }: Props) {
  const shown = runs?.filter(matches);
  return (
    <section className="runs-panel run-list" aria-labelledby="run-list-title">
      <h3 id="run-list-title">Runs</h3>
      {runs && runs.length > 0 && toolbar}
      {error && (
        <p className="runs-error" role="alert">
          Cannot reach the studio service: {error}
        </p>
      )}
      {runs === null && !error && <p className="runs-muted">Loading runs…</p>}
      {runs?.length === 0 && (
        <div className="runs-empty" data-testid="runs-empty">
          <p>
            <strong>No runs yet.</strong>
          </p>
          <p>
            Start one with the <em>New run</em> form below: pick a saved connection (add one on the Connections screen
            first), choose the stage and the search size, press <em>Estimate</em> to see the calls it will make, then{' '}
            <em>Start</em>.
          </p>
          <p>
            Or from the command line: <code>drpo-studio optimize --config my-run.json</code> — runs written to this
            studio's user-data folder show up here.
          </p>
        </div>
      )}
      {runs && runs.length > 0 && shown?.length === 0 && (
        <p className="runs-muted" data-testid="runs-none-match">
          No run matches the search and filters.
        </p>
      )}
      {shown && shown.length > 0 && (
        <div className="run-list__scroll">
          <table className="runs-table">
            <thead>
              <tr>
                {compare && <th scope="col" aria-label="Compare" />}
                <th scope="col">Run</th>
                <th scope="col">Stage</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Nodes
                </th>
                <th scope="col" className="num">
                  Calls
                </th>
                <th scope="col" className="num">
                  Best
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((run) => (
                <tr
                  key={run.id}
                  data-testid="run-row"
                  className={run.id === selectedId ? 'run-row run-row--selected' : 'run-row'}
                  aria-selected={run.id === selectedId}
                  onClick={() => onSelect(run.id)}
                  title={
                    run.damaged
                      ? `${run.damaged.reason} (${run.damaged.file})`
                      : `Created ${formatTime(run.createdAt)}${run.reason ? ` — paused: ${run.reason}` : run.error ? ` — ${run.error}` : ''}`
                  }
                >
                  {compare && (
                    <td>
                      <input
                        type="checkbox"
                        data-testid="run-compare"
                        aria-label={`Compare run ${run.id}`}
                        checked={compare.checked.includes(run.id)}
                        disabled={run.damaged !== undefined}
                        onClick={(e) => e.stopPropagation()}
                        onChange={() => compare.onToggle(run.id)}
                      />
                    </td>
                  )}
                  <td>
                    {run.name && (
                      <span className="run-row__name" data-testid="run-name">
                        {run.name}
                      </span>
                    )}
                    <button
                      type="button"
                      className="run-row__open"
                      onClick={(e) => {
                        e.stopPropagation();
                        onSelect(run.id);
                      }}
                      aria-label={`Open run ${run.id}`}
                    >
                      {breakableId(run.id)}
                    </button>
                    {run.source && (
                      <span className="run-row__source" data-testid="run-source">
                        published trace ({run.source.model}) · read-only
                      </span>
                    )}
                  </td>
                  <td>{run.stage ?? '–'}</td>
                  <td>
                    <span data-testid="run-status" className={`run-status run-status--${run.status}`}>
                      {statusText(run.status, run.failed)}
                    </span>
                  </td>
                  <td className="num">{run.nodeCount}</td>
                  <td className="num">{run.calls}</td>
                  <td className="num">{formatScore(run.bestScore)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
