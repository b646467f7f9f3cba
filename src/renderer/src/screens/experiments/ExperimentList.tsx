// The experiments in the user-data folder, newest first; a row opens its experiment (a damaged one says why).
import type { ExperimentSummary } from '../../../../shared/studioApi';
import { formatTime, statusText } from '../../shell/format';

interface Props {
  experiments: ExperimentSummary[] | null;
  error: string | null;
  selectedId: string | null;
  onSelect: (id: string) => void;
}

export function ExperimentList({ experiments, error, selectedId, onSelect }: Props) {
  return (
    <section className="panel experiments-list" aria-labelledby="experiment-list-title">
      <h3 id="experiment-list-title">Experiments</h3>
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
      {experiments && experiments.length > 0 && (
        <ul className="experiments-items">
          {experiments.map((e) => (
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
