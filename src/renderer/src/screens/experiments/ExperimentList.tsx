// The experiments in the user-data folder, newest first (those the search and filters let through);
// a row opens its experiment (a damaged one says why) and shows its name when it has one.
import type { ReactNode } from 'react';
import type { ExperimentSummary } from '../../../../shared/studioApi';
import { formatTime, statusText } from '../../shell/format';

interface Props {
  experiments: ExperimentSummary[] | null;
  error: string | null;
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** The search and filters (ListFilterBar), above the list. */
  toolbar?: ReactNode;
  matches?: (experiment: ExperimentSummary) => boolean;
}

export function ExperimentList({ experiments, error, selectedId, onSelect, toolbar, matches = () => true }: Props) {
  const shown = experiments?.filter(matches);
  return (
    <section className="panel experiments-list" aria-labelledby="experiment-list-title">
      <h3 id="experiment-list-title">Experiments</h3>
      {experiments && experiments.length > 0 && toolbar}
      {error && (
        <p className="alert" role="alert">
          Cannot reach the studio service: {error}
        </p>
      )}
      {experiments === null && !error && <p className="muted">Loading experiments…</p>}
      {experiments?.length === 0 && (
        <div className="experiments-empty" data-testid="experiments-empty">
          <p>
            <strong>No experiments yet.</strong>
          </p>
          <p>
            An experiment answers an evaluation set under several setups (the basic prompt, a URIAL prompt, a run's best
            prompt…) on several target models, and an evaluation judge scores every answer. Import an evaluation set on
            the <em>Datasets</em> screen (kind eval-set), then fill in <em>New experiment</em>.
          </p>
          <p>
            From the command line: <code>drpo-studio transfer -c experiment.json</code>.
          </p>
        </div>
      )}
      {experiments && experiments.length > 0 && shown?.length === 0 && (
        <p className="muted" data-testid="experiments-none-match">
          No experiment matches the search and filters.
        </p>
      )}
      {shown && shown.length > 0 && (
        <ul className="experiments-items">
          {shown.map((e) => (
            <li key={e.id}>
              <button
                type="button"
                className={e.id === selectedId ? 'experiments-item selected' : 'experiments-item'}
                aria-current={e.id === selectedId ? 'true' : undefined}
                onClick={() => onSelect(e.id)}
                data-testid="experiment-row"
                title={
                  e.damaged
                    ? `${e.damaged.reason} (${e.damaged.file})`
                    : `Created ${formatTime(e.createdAt)}${e.reason ? ` — paused: ${e.reason}` : e.error ? ` — ${e.error}` : ''}`
                }
              >
                {e.name && (
                  <span className="experiments-item-name" data-testid="experiment-name">
                    {e.name}
                  </span>
                )}
                <span className="experiments-item-id">{e.id}</span>
                <span className="row">
                  <span
                    className={`badge experiments-status experiments-status--${e.status}`}
                    data-testid="experiment-row-status"
                  >
                    {statusText(e.status, e.failed)}
                  </span>
                  {e.damaged ? (
                    <span className="small muted">{e.damaged.reason}</span>
                  ) : (
                    <span className="small muted">
                      {e.judged}/{e.total} judged · {e.setups.length} setups × {e.targets.length} targets × {e.items}{' '}
                      items
                    </span>
                  )}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
