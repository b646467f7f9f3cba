// One in-context example of an ICL run: its query, the answer before and after, the scores and the trajectory.
import { formatScore } from '../../shell/format';
import type { IclExampleView } from './iclExamples';
import { Trajectory } from './Trajectory';

export function ExampleCard({ example: e }: { example: IclExampleView }) {
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
