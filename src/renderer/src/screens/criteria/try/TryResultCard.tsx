// One try's outcome: the aspects judged and where they came from (the selector, with its
// reasoning; the user's ticks; or the fallback when the selector's reply was unusable), the
// judge's 1–5 score and rationale on each, the reward, and what it spent. An unusable judge reply
// or a failed call is an error here, never a score.
import type { AspectTrySelection } from '../../../../../shared/aspectTry';
import { formatScore } from '../../../shell/format';
import { spentText } from './tryCost';
import type { TryRecord } from './useAspectTry';

interface Props {
  record: TryRecord;
  /** What this judgement is, e.g. "Before edit · 13:05:12". */
  heading?: string;
  /** Under the heading: the catalog edit it came from. */
  subheading?: string;
  testId: string;
}

export function TryResultCard({ record, heading, subheading, testId }: Props) {
  const { outcome } = record;
  return (
    <article className="try-card" data-testid={testId}>
      {heading && <h4 data-testid={`${testId}-heading`}>{heading}</h4>}
      {subheading && (
        <p className="muted small" data-testid={`${testId}-edit`}>
          {subheading}
        </p>
      )}
      {!outcome.ok ? (
        <p className="alert" role="alert" data-testid={`${testId}-error`}>
          <strong>The try failed.</strong> {outcome.error}
        </p>
      ) : (
        <>
          <SelectionView selection={outcome.result.selection} testId={testId} />
          {outcome.result.judgement.ok ? (
            <>
              <table className="try-scores" data-testid={`${testId}-scores`}>
                <thead>
                  <tr>
                    <th scope="col">Aspect</th>
                    <th scope="col">Score</th>
                    <th scope="col">Rationale</th>
                  </tr>
                </thead>
                <tbody>
                  {outcome.result.judgement.scores.map((s) => (
                    <tr key={s.aspect} data-testid={`${testId}-score-${s.aspect}`}>
                      <th scope="row">{s.aspect}</th>
                      <td className="try-score">{s.score ?? 'N/A'}</td>
                      <td className="small">{s.rationale}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p>
                Reward (the mean):{' '}
                <strong data-testid={`${testId}-reward`}>{formatScore(outcome.result.judgement.reward)}</strong>
              </p>
            </>
          ) : (
            <p className="alert" role="alert" data-testid={`${testId}-judge-error`}>
              <strong>The judge's reply is unusable — no score.</strong> {outcome.result.judgement.error}
            </p>
          )}
          <p className="muted small" data-testid={`${testId}-spent`}>
            {spentText(outcome.result.cost)}
          </p>
        </>
      )}
    </article>
  );
}

const SOURCES: Record<AspectTrySelection['source'], string> = {
  selector: 'picked by the selector',
  ticked: 'ticked by you (the selector was not asked)',
  fallback: "the static set — the selector's reply was unusable",
};

export function SelectionView({ selection, testId }: { selection: AspectTrySelection; testId: string }) {
  return (
    <div className="try-selection" data-testid={`${testId}-selection`}>
      <p>
        <strong>Aspects:</strong> <span data-testid={`${testId}-aspects`}>{selection.aspects.join(', ')}</span>{' '}
        <span
          className={`badge${selection.source === 'fallback' ? ' warn' : ''}`}
          data-testid={`${testId}-source`}
          data-source={selection.source}
        >
          {SOURCES[selection.source]}
        </span>
      </p>
      {selection.reasoning && (
        <p className="small muted" data-testid={`${testId}-reasoning`}>
          {selection.source === 'selector' ? "Selector's reasoning: " : ''}
          {selection.reasoning}
        </p>
      )}
    </div>
  );
}
