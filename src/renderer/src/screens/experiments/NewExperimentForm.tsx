// The New experiment form: the evaluation set (a saved dataset or a file; split; a seeded
// sample), the setups compared, the target models and the evaluation judge (saved connections,
// chosen apart from any run's judge), then Start.
import type { StudioApi } from '../../../../shared/studioApi';
import { BudgetFields } from '../../components/BudgetFields';
import { EvalSetFieldset } from './EvalSetFieldset';
import { JudgeFieldset } from './JudgeFieldset';
import { SetupsFieldset } from './SetupsFieldset';
import { TargetsFieldset } from './TargetsFieldset';
import { useNewExperiment } from './useNewExperiment';

interface Props {
  studio: StudioApi;
  onStarted: (id: string) => void;
}

export function NewExperimentForm({ studio, onStarted }: Props) {
  const form = useNewExperiment(studio, onStarted);
  const { connections, names, loadError, load, problem, busy, error, start } = form;
  return (
    <section className="panel" aria-labelledby="new-experiment-title">
      <h3 id="new-experiment-title">New experiment</h3>
      <form className="experiments-form" data-testid="new-experiment-form" onSubmit={start}>
        {loadError && (
          <p className="alert" role="alert">
            Cannot load the connections, datasets and runs: {loadError}{' '}
            <button type="button" className="small" onClick={load}>
              Retry
            </button>
          </p>
        )}
        {connections !== null && names.length === 0 && (
          <div className="experiments-empty" data-testid="experiments-no-connections">
            No saved connections yet. Add one on the <strong>Connections</strong> screen (the targets and the judge are
            saved connections), then{' '}
            <button type="button" className="small" onClick={load}>
              Reload
            </button>
          </div>
        )}

        <EvalSetFieldset form={form} />
        <SetupsFieldset form={form} />
        <TargetsFieldset form={form} />
        <JudgeFieldset form={form} />
        <div className="experiments-row">
          <BudgetFields
            className="field experiments-narrow"
            dollars={form.values.budgetDollars}
            tokens={form.values.budgetTokens}
            onChange={form.update}
            testId="experiment-budget"
          />
        </div>

        <div className="experiments-row experiments-actions">
          {problem && (
            <span className="muted small" data-testid="experiment-form-problem">
              {problem}
            </span>
          )}
          <button type="submit" className="primary" disabled={problem !== null || busy} data-testid="start-experiment">
            {busy ? 'Starting…' : 'Start'}
          </button>
        </div>
        {error && (
          <p className="alert" role="alert" data-testid="experiment-start-error">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}
