// Which ICL examples retrieval puts before a query: an ICL dataset, a query and K, then Preview.
import type { StudioApi } from '../../../../shared/studioApi';
import { RetryAlert } from '../../components/RetryAlert';
import { useRetrieval } from './useRetrieval';

export function RetrievalPanel({ studio }: { studio: StudioApi }) {
  const {
    datasets,
    listError,
    loadDatasets,
    dataset,
    setDataset,
    query,
    setQuery,
    k,
    setK,
    kValid,
    canRun,
    busy,
    preview,
    results,
    error,
  } = useRetrieval(studio);

  return (
    <div className="panel">
      <h3>Which examples does retrieval pick?</h3>
      <p className="muted small">
        The system-prompt stage and the aligned model put the <em>K</em> ICL examples most similar to the query before
        it.
      </p>

      {listError && (
        <RetryAlert
          title="Cannot list the datasets."
          message={listError}
          onRetry={loadDatasets}
          testId="retrieval-error"
        />
      )}

      {datasets === null && !listError && <p className="muted">Loading datasets…</p>}

      {datasets !== null && datasets.length === 0 && (
        <div className="empty" data-testid="retrieval-empty">
          <h3>No ICL dataset</h3>
          <p>
            Import an ICL dataset in Datasets first (kind <code>icl-examples</code>): the paper's examples file or a
            list of <code>{'{query, answer}'}</code>.
          </p>
          <button type="button" className="small" onClick={loadDatasets}>
            Check again
          </button>
        </div>
      )}

      {datasets !== null && datasets.length > 0 && (
        <form
          className="icl-retrieval-form"
          onSubmit={(e) => {
            e.preventDefault();
            void preview();
          }}
        >
          <label className="field">
            ICL dataset
            <select value={dataset} onChange={(e) => setDataset(e.target.value)} data-testid="retrieval-dataset">
              {datasets.map((d) => (
                <option key={d.name} value={d.name}>
                  {d.name} ({d.items})
                </option>
              ))}
            </select>
          </label>
          <label className="field icl-retrieval-query">
            Query
            <input
              type="text"
              value={query}
              placeholder="e.g. How do I make a good cup of coffee?"
              onChange={(e) => setQuery(e.target.value)}
              data-testid="retrieval-query"
            />
          </label>
          <label className="field icl-retrieval-k">
            K
            <input
              type="number"
              min={1}
              step={1}
              value={Number.isNaN(k) ? '' : k}
              onChange={(e) => setK(e.target.valueAsNumber)}
              aria-invalid={kValid ? undefined : true}
              data-testid="retrieval-k"
            />
          </label>
          <button type="submit" className="primary" disabled={!canRun} data-testid="retrieval-run">
            {busy ? 'Retrieving…' : 'Preview'}
          </button>
        </form>
      )}

      {error && (
        <div className="alert" role="alert" data-testid="retrieval-error" style={{ marginTop: '0.75rem' }}>
          <strong>Retrieval failed.</strong> {error}
        </div>
      )}

      {results !== null && (
        <div className="icl-retrieval-results" data-testid="retrieval-results">
          {results.length === 0 ? (
            <p className="muted">No example retrieved.</p>
          ) : (
            <ol>
              {results.map((item, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a rank in a list that is only ever replaced whole
                <li key={i} className="icl-retrieved" data-testid="retrieval-result">
                  <div className="icl-text">
                    <strong>{item.query}</strong>
                  </div>
                  {item.answer !== undefined && <div className="icl-text icl-retrieved-answer">{item.answer}</div>}
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </div>
  );
}
