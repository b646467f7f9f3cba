// One setup's answer on one target: its text, the judge's score and reason per aspect, why it has
// none (unjudged, failed, not judged yet), and the exact prompt the judge got where it was kept.
import type { ExperimentItemAnswer } from '../../../../shared/studioApi';
import { formatScore } from '../../shell/format';
import { scoreFill } from './resultModel';

const STATUS: Record<ExperimentItemAnswer['status'], string> = {
  judged: 'judged',
  unjudged: 'unjudged: the judgment could not be read',
  failed: 'failed: a call failed for good',
  answered: 'answered, not judged yet',
  pending: 'not answered yet',
};

export function AnswerCard({ answer }: { answer: ExperimentItemAnswer }) {
  const aspects = Object.entries(answer.scores ?? {});
  return (
    <article
      className="experiments-answer"
      data-testid="item-answer"
      data-setup={answer.setup}
      data-target={answer.target}
      aria-label={`${answer.setup} on ${answer.target}`}
    >
      <header className="row">
        <strong>{answer.setup}</strong>
        <span className="muted small">@ {answer.target}</span>
        <span
          className="badge"
          data-testid="answer-mean"
          style={answer.mean === null ? undefined : { background: scoreFill(answer.mean) }}
          title="The answer's mean over its aspects (N/A left out)"
        >
          {formatScore(answer.mean)}
        </span>
      </header>
      {answer.status !== 'judged' && <p className="muted small">{STATUS[answer.status]}</p>}
      {answer.error && <p className="small experiments-answer-error">{answer.error}</p>}
      {answer.answer !== undefined && (
        <pre className="experiments-item-text" data-testid="answer-text">
          {answer.answer || '(empty)'}
        </pre>
      )}
      {aspects.length > 0 && (
        <table className="experiments-table" data-testid="answer-aspects">
          <thead>
            <tr>
              <th scope="col">Aspect</th>
              <th scope="col" className="num">
                Score
              </th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {aspects.map(([aspect, score]) => (
              <tr key={aspect} data-aspect={aspect}>
                <td>{aspect}</td>
                <td className="num">{score === null ? 'N/A' : formatScore(score, 0)}</td>
                <td>{answer.reasons?.[aspect] ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {answer.judgePrompt && (
        <details className="small">
          <summary>The judge's prompt</summary>
          <pre className="experiments-item-text">{answer.judgePrompt}</pre>
        </details>
      )}
    </article>
  );
}
