// The compared runs' figures side by side, a column per run: search size, best score, calls,
// tokens, dollars, wall time, and "Run again with changes".
import type { ReactNode } from 'react';
import { formatDuration } from '../../../../../shared/duration';
import { formatScore, statusText } from '../../../shell/format';
import type { ComparedRun } from './comparison';

interface Props {
  runs: readonly ComparedRun[];
  onOpenRun: (id: string) => void;
  onRunAgain: (id: string) => void;
}

/** A missing figure and why: a published trace records none; any other run has them in its result, once finished. */
function unknown(run: ComparedRun) {
  return (
    <span className="runs-muted" title={run.source ? 'not published with the trace' : 'known when the run finishes'}>
      —
    </span>
  );
}

const ROWS: readonly { name: string; testId: string; title?: string; cell: (run: ComparedRun) => ReactNode }[] = [
  { name: 'Status', testId: 'compare-status', cell: (run) => `${run.stage} · ${statusText(run.status)}` },
  { name: 'Search', testId: 'compare-search', cell: (run) => run.search ?? '—' },
  { name: 'Best score', testId: 'compare-best', cell: (run) => formatScore(run.bestScore) },
  { name: 'Calls', testId: 'compare-calls', cell: (run) => run.calls ?? unknown(run) },
  {
    name: 'Tokens',
    testId: 'compare-tokens',
    title: 'prompt + completion',
    cell: (run) =>
      run.tokens ? (
        <span
          title={`${run.tokens.prompt.toLocaleString()} prompt + ${run.tokens.completion.toLocaleString()} completion`}
        >
          {(run.tokens.prompt + run.tokens.completion).toLocaleString()}
        </span>
      ) : (
        unknown(run)
      ),
  },
  {
    name: 'Cost',
    testId: 'compare-cost',
    title: 'as priced when the run ran; $0 where the backend has no price (a local server)',
    cell: (run) => (run.costUsd === null ? unknown(run) : `$${run.costUsd.toFixed(4)}`),
  },
  {
    name: 'Wall time',
    testId: 'compare-wall',
    cell: (run) => (run.wallMs === null ? unknown(run) : formatDuration(run.wallMs)),
  },
];

export function CompareTable({ runs, onOpenRun, onRunAgain }: Props) {
  return (
    <div className="compare-table__scroll">
      <table className="runs-table compare-table" data-testid="compare-table">
        <thead>
          <tr>
            <th scope="col" aria-label="Figure" />
            {runs.map((run) => (
              <th key={run.id} scope="col" data-run={run.id}>
                <span className="compare-swatch" style={{ background: run.color }} aria-hidden="true" />
                <button type="button" className="compare-table__open" onClick={() => onOpenRun(run.id)}>
                  {run.label}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ROWS.map((row) => (
            <tr key={row.name}>
              <th scope="row" title={row.title}>
                {row.name}
              </th>
              {runs.map((run) => (
                <td key={run.id} data-testid={row.testId} data-run={run.id}>
                  {row.cell(run)}
                </td>
              ))}
            </tr>
          ))}
          <tr>
            <th scope="row" aria-label="Actions" />
            {runs.map((run) => (
              <td key={run.id}>
                {!run.source && (
                  <button
                    type="button"
                    data-testid="compare-run-again"
                    data-run={run.id}
                    onClick={() => onRunAgain(run.id)}
                  >
                    Run again with changes
                  </button>
                )}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}
