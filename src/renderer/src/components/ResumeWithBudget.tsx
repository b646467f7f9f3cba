// A run or an experiment paused on its budget goes on with a higher one: the new limits (dollars,
// tokens, or both) replace those in force, are kept in its log, and it resumes (or the user cancels).
import { useState } from 'react';
import { type Budget, budgetFromFields } from '../../../shared/money';
import { errorMessage } from '../shell/format';
import { OptionalNumberField } from '../shell/OptionalNumberField';

interface Props {
  /** `runs.resume` or `experiments.resume`, with the new limits. */
  resume: (budget: Budget) => Promise<void>;
  onResumed: () => void;
}

export function ResumeWithBudget({ resume: resumeWith, onResumed }: Props) {
  const [dollars, setDollars] = useState('');
  const [tokens, setTokens] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const budget = budgetFromFields(dollars, tokens);

  const resume = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await resumeWith(budget!);
      onResumed();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="runs-row" data-testid="resume-with-budget" onSubmit={resume}>
      <OptionalNumberField
        className="runs-field runs-field--narrow"
        label="New budget (US $)"
        min={0}
        step="any"
        placeholder="unchanged"
        value={dollars}
        onChange={setDollars}
        testId="resume-budget-dollars"
      />
      <OptionalNumberField
        className="runs-field runs-field--narrow"
        label="New budget (tokens)"
        min={1}
        placeholder="unchanged"
        value={tokens}
        onChange={setTokens}
        testId="resume-budget-tokens"
      />
      <div className="runs-actions">
        <button type="submit" data-testid="resume-with-budget-run" disabled={!budget || busy}>
          {busy ? 'Resuming…' : 'Resume with this budget'}
        </button>
      </div>
      {error && (
        <p className="runs-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
