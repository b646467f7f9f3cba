// One side's streamed answer: the text as it arrives, the ICL examples used, or the error.
import type { Answer, Side } from './playgroundModel';

const STATUS_TEXT: Record<Answer['status'], string> = {
  idle: '',
  waiting: 'waiting…',
  streaming: 'streaming…',
  done: 'done',
  error: 'failed',
  stopped: 'stopped',
};

const STATUS_BADGE: Record<Answer['status'], string> = {
  idle: 'badge',
  waiting: 'badge',
  streaming: 'badge accent',
  done: 'badge ok',
  error: 'badge danger',
  stopped: 'badge',
};

export function AnswerPanel({
  side,
  title,
  answer,
  otherPending,
}: {
  side: Side;
  title: string;
  answer: Answer;
  otherPending: boolean;
}) {
  const testId = `answer-${side}`;
  return (
    <section
      className="panel pg-answer"
      data-testid={testId}
      aria-label={`${title} answer`}
      aria-busy={answer.status === 'waiting' || answer.status === 'streaming'}
    >
      <div className="pg-answer__head">
        <h3>{title}</h3>
        {answer.status !== 'idle' && (
          <span className={STATUS_BADGE[answer.status]} data-testid={`${testId}-status`} data-status={answer.status}>
            {STATUS_TEXT[answer.status]}
          </span>
        )}
      </div>
      {answer.status === 'idle' && <p className="muted small">The answer under this setup appears here.</p>}
      {answer.status === 'waiting' && side === 'b' && otherPending && (
        <p className="muted small">Answers after A (one request at a time).</p>
      )}
      {answer.error !== null && (
        <p className="alert" role="alert" data-testid={`${testId}-error`}>
          <strong>Error:</strong> {answer.error}
        </p>
      )}
      {(answer.text !== '' || answer.status === 'streaming') && (
        <div className="pg-answer__text" data-testid={`${testId}-text`} aria-live="polite">
          {answer.text}
          {answer.status === 'streaming' && <span className="pg-caret" aria-hidden="true" />}
        </div>
      )}
      {answer.status === 'done' && answer.text === '' && <p className="muted small">(An empty answer.)</p>}
      {answer.examples !== null && (
        <div className="pg-answer__examples" data-testid={`${testId}-examples`}>
          {answer.examples.length === 0 ? (
            <p className="muted small">No ICL examples were used.</p>
          ) : (
            <details>
              <summary>
                {answer.examples.length} ICL example{answer.examples.length === 1 ? '' : 's'} used
              </summary>
              <ol>
                {answer.examples.map((query, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the retrieved examples in rank order, replaced whole per answer
                  <li key={i}>{query}</li>
                ))}
              </ol>
            </details>
          )}
        </div>
      )}
    </section>
  );
}
