// One item of an experiment opened: its instruction, then per target every setup's answer side by
// side, each with the judge's score and reason per aspect (read again as more answers are judged).
import { useEffect, useState } from 'react';
import type { ExperimentItemDetail, StudioApi } from '../../../../shared/studioApi';
import { errorMessage } from '../../shell/format';
import { AnswerCard } from './AnswerCard';
import { DamagedLines } from './DamagedLines';

interface Props {
  studio: StudioApi;
  id: string;
  itemId: string;
  version: number;
  onClose: () => void;
}

export function ItemAnswers({ studio, id, itemId, version, onClose }: Props) {
  const [detail, setDetail] = useState<ExperimentItemDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` asks for a fresh read as answers are judged
  useEffect(() => {
    let current = true;
    studio.experiments
      .item(id, itemId)
      .then((next) => current && setDetail(next))
      .catch((e: unknown) => current && setError(errorMessage(e)));
    return () => {
      current = false;
    };
  }, [studio, id, itemId, version]);

  const targets = [...new Set(detail?.answers.map((a) => a.target))];
  return (
    <section className="experiments-item-detail" data-testid="item-answers" aria-labelledby="item-answers-title">
      <div className="row">
        <button type="button" data-testid="close-item" onClick={onClose}>
          ← All items
        </button>
        <h4 id="item-answers-title">Item {itemId}</h4>
        {detail && (
          <span className="badge">
            {detail.item.split}
            {Object.values(detail.item.tags).flat().length > 0 &&
              ` · ${Object.values(detail.item.tags).flat().join(', ')}`}
          </span>
        )}
      </div>
      {error && (
        <p className="alert" role="alert">
          {error}
        </p>
      )}
      {detail && (
        <>
          <DamagedLines damaged={detail.damaged} />
          <pre className="experiments-item-text" data-testid="item-instruction">
            {detail.item.instruction}
          </pre>
          {targets.map((target) => (
            <section key={target} aria-label={`On ${target}`}>
              <h5>On {target}</h5>
              <div className="experiments-answer-grid">
                {detail.answers
                  .filter((a) => a.target === target)
                  .map((answer) => (
                    <AnswerCard key={answer.setup} answer={answer} />
                  ))}
              </div>
            </section>
          ))}
        </>
      )}
    </section>
  );
}
