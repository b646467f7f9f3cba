// The compared runs' best prompts, each diffed word by word against one run's (the baseline, the first by default).
import { useId, useState } from 'react';
import { WordDiff } from '../WordDiff';
import type { ComparedRun } from './comparison';

export function PromptDiffs({ runs }: { runs: readonly ComparedRun[] }) {
  const withPrompt = runs.filter((run) => run.bestPrompt !== null);
  const [baselineId, setBaselineId] = useState(withPrompt[0]?.id ?? null);
  const baseline = withPrompt.find((run) => run.id === baselineId) ?? withPrompt[0];
  const selectId = useId();
  return (
    <section className="compare-runs__prompts" data-testid="compare-prompts" aria-labelledby={`${selectId}-title`}>
      <h4 id={`${selectId}-title`}>Best prompts</h4>
      {baseline ? (
        <p className="runs-muted">
          <label htmlFor={selectId}>Changes from</label>{' '}
          <select id={selectId} value={baseline.id} onChange={(e) => setBaselineId(e.target.value)}>
            {withPrompt.map((run) => (
              <option key={run.id} value={run.id}>
                {run.label}
              </option>
            ))}
          </select>
          , words <ins className="node-diff__ins">inserted</ins> and <del className="node-diff__del">deleted</del>.
        </p>
      ) : (
        <p className="runs-muted">None of these runs has a best prompt to compare.</p>
      )}
      {runs.map((run) => (
        <div key={run.id} className="compare-runs__prompt" data-testid="compare-prompt" data-run={run.id}>
          <h5>
            <span className="compare-swatch" style={{ background: run.color }} aria-hidden="true" />
            {run.label} <span className="runs-muted">({run.promptNote})</span>
          </h5>
          {run.bestPrompt !== null && baseline && (
            <WordDiff before={run.id === baseline.id ? null : baseline.bestPrompt} after={run.bestPrompt} />
          )}
        </div>
      ))}
    </section>
  );
}
