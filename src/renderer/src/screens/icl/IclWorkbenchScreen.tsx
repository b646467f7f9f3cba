// ICL workbench: what an ICL run (Algorithm 1) did to each in-context example — the answer before
// and after, its score, and the best reward level by level — and which examples retrieval puts
// before a query, from an ICL dataset.
import { useEffect, useMemo, useState } from 'react';
import type { DatasetItem, DatasetSummary, RunDetail, RunSummary, StudioApi } from '../../../../shared/studioApi';
import { formatScore } from '../../shell/format';
import type { IclExampleView } from './iclExamples';
import { buildExamples } from './iclExamples';
import './icl.css';

const POLL_MS = 2000;

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function runLabel(run: RunSummary): string {
  const when = run.createdAt > 0 ? new Date(run.createdAt).toLocaleString() : '';
  return `${run.id} — ${run.status}${when ? `, ${when}` : ''}${run.bestScore !== null ? `, best ${run.bestScore.toFixed(2)}` : ''}`;
}

export function IclWorkbenchScreen({ studio }: { studio: StudioApi }) {
  return (
    <section className="screen" data-testid="screen-icl">
      <div className="screen-header">
        <div>
          <h2>ICL workbench</h2>
          <p>
            The ICL stage rewrites each in-context example's answer under the judge's feedback. Compare each answer
            before and after, and check which examples retrieval would put before a query.
          </p>
        </div>
      </div>
      <IclRunPanel studio={studio} />
      <RetrievalPanel studio={studio} />
    </section>
  );
}

function IclRunPanel({ studio }: { studio: StudioApi }) {
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [runsError, setRunsError] = useState<string | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const [detail, setDetail] = useState<RunDetail | null>(null);
  const [detailError, setDetailError] = useState<string | null>(null);

  const loadRuns = () => {
    setRunsError(null);
    studio.runs
      .list()
      .then((all) => {
        const icl = all.filter((r) => r.stage === 'icl').sort((a, b) => b.createdAt - a.createdAt);
        setRuns(icl);
        setRunId((current) => (current && icl.some((r) => r.id === current) ? current : (icl[0]?.id ?? null)));
      })
      .catch((e: unknown) => setRunsError(errorMessage(e)));
  };

  useEffect(loadRuns, [studio]);

  // The chosen run's detail; polled while it runs so the examples fill in live.
  useEffect(() => {
    if (!runId) {
      setDetail(null);
      return;
    }
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setDetail((d) => (d?.id === runId ? d : null));
    setDetailError(null);
    const fetchOnce = () => {
      studio.runs
        .get(runId)
        .then((d) => {
          if (stopped) return;
          setDetail(d);
          setDetailError(null);
          if (d.status === 'running') timer = setTimeout(fetchOnce, POLL_MS);
          else
            setRuns(
              (old) => old?.map((r) => (r.id === d.id ? { ...r, status: d.status, bestScore: d.bestScore } : r)) ?? old,
            );
        })
        .catch((e: unknown) => {
          if (!stopped) setDetailError(errorMessage(e));
        });
    };
    fetchOnce();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [studio, runId]);

  const examples = useMemo(() => (detail ? buildExamples(detail.tree, detail.result) : []), [detail]);

  return (
    <div className="panel">
      <div className="row" style={{ justifyContent: 'space-between', marginBottom: '0.75rem' }}>
        <h3 style={{ margin: 0 }}>Optimised examples</h3>
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
        <div className="alert" role="alert" data-testid="icl-error">
          <strong>Cannot list the runs.</strong> {runsError}{' '}
          <button type="button" className="small" onClick={loadRuns}>
            Retry
          </button>
        </div>
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
              className={`badge${detail.status === 'finished' ? ' ok' : detail.status === 'failed' ? ' danger' : detail.status === 'running' ? ' accent' : ''}`}
            >
              {detail.status}
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

function ExampleCard({ example: e }: { example: IclExampleView }) {
  const delta = e.scoreBefore !== null && e.scoreAfter !== null ? e.scoreAfter - e.scoreBefore : null;
  const unchanged = e.after === null || e.after === e.before;
  return (
    <li className="icl-example" data-testid="icl-example" data-example-index={e.index}>
      <div className="row icl-example-head">
        <span className="badge">#{e.index + 1}</span>
        {e.kind && <span className="badge">{e.kind}</span>}
        <span className="icl-score" data-testid="icl-score">
          {formatScore(e.scoreBefore)} → {formatScore(e.scoreAfter)}
          {delta !== null && (
            <span className={`icl-delta${delta > 0 ? ' up' : delta < 0 ? ' down' : ''}`}>
              {' '}
              ({delta > 0 ? '+' : ''}
              {delta.toFixed(2)})
            </span>
          )}
        </span>
        <span style={{ flex: 1 }} />
        <Trajectory values={e.trajectory} />
        {!e.final && e.pending > 0 && <span className="muted small">{e.pending} pending</span>}
      </div>
      <div className="icl-query" data-testid="icl-query">
        <span className="muted small">Query</span>
        <div className="icl-text">{e.query}</div>
      </div>
      <div className="icl-compare">
        <div className="icl-side" data-testid="icl-before">
          <div className="muted small">Before · {formatScore(e.scoreBefore)}</div>
          <div className="icl-text">{e.before}</div>
        </div>
        <div className="icl-side after" data-testid="icl-after">
          <div className="muted small">
            After · {formatScore(e.scoreAfter)}
            {e.bestNodeId && <span className="icl-node-id"> ({e.bestNodeId})</span>}
          </div>
          {e.after === null ? (
            <div className="icl-text muted">{e.final ? '–' : 'No scored rewrite yet.'}</div>
          ) : (
            <div className="icl-text">{e.after}</div>
          )}
          {e.after !== null && unchanged && <div className="muted small">The original answer stayed the best.</div>}
        </div>
      </div>
    </li>
  );
}

/** The best reward per level as a small sparkline (judge scale 1–5) with the values listed. */
function Trajectory({ values }: { values: (number | null)[] }) {
  if (values.length === 0) return null;
  const width = 96;
  const height = 24;
  const pad = 3;
  const x = (i: number) => (values.length === 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (values.length - 1));
  const y = (v: number) => height - pad - ((Math.min(5, Math.max(1, v)) - 1) / 4) * (height - 2 * pad);
  const points = values.flatMap((v, i) => (v === null ? [] : [`${x(i).toFixed(1)},${y(v).toFixed(1)}`]));
  const text = values.map((v, i) => `L${i} ${formatScore(v)}`).join(' · ');
  return (
    <span className="icl-trajectory" data-testid="icl-trajectory" title={`Best reward by level: ${text}`}>
      <svg
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`Best reward by level: ${text}`}
      >
        <line x1={0} x2={width} y1={y(3)} y2={y(3)} className="icl-spark-mid" />
        {points.length > 1 && <polyline points={points.join(' ')} className="icl-spark-line" />}
        {values.map((v, i) =>
          v === null ? null : <circle key={i} cx={x(i)} cy={y(v)} r={2.2} className="icl-spark-dot" />,
        )}
      </svg>
      <span className="small muted icl-trajectory-values">{values.map((v) => formatScore(v, 1)).join(' → ')}</span>
    </span>
  );
}

function RetrievalPanel({ studio }: { studio: StudioApi }) {
  const [datasets, setDatasets] = useState<DatasetSummary[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [dataset, setDataset] = useState('');
  const [query, setQuery] = useState('');
  const [k, setK] = useState(3);
  const [results, setResults] = useState<DatasetItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const loadDatasets = () => {
    setListError(null);
    studio.datasets
      .list()
      .then((all) => {
        const icl = all.filter((d) => d.kind === 'icl-examples');
        setDatasets(icl);
        setDataset((current) => (icl.some((d) => d.name === current) ? current : (icl[0]?.name ?? '')));
      })
      .catch((e: unknown) => setListError(errorMessage(e)));
  };

  useEffect(loadDatasets, [studio]);

  const kValid = Number.isInteger(k) && k >= 1;
  const canRun = dataset !== '' && query.trim() !== '' && kValid && !busy;

  const preview = async () => {
    if (!canRun) return;
    setBusy(true);
    setError(null);
    try {
      setResults(await studio.retrieval.preview(dataset, query, k));
    } catch (e) {
      setResults(null);
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="panel">
      <h3>Which examples does retrieval pick?</h3>
      <p className="muted small">
        The system-prompt stage and the aligned model put the <em>K</em> ICL examples most similar to the query before
        it.
      </p>

      {listError && (
        <div className="alert" role="alert" data-testid="retrieval-error">
          <strong>Cannot list the datasets.</strong> {listError}{' '}
          <button type="button" className="small" onClick={loadDatasets}>
            Retry
          </button>
        </div>
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
