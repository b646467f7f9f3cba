// A new run's or experiment's budget: dollars, tokens, or both ('' for no limit); it pauses once
// it has spent that much, to be resumed with a higher budget or cancelled.
import { OptionalNumberField } from '../shell/OptionalNumberField';

interface Props {
  dollars: string;
  tokens: string;
  onChange: (patch: { budgetDollars?: string; budgetTokens?: string }) => void;
  /** The fields' look in the form they sit in. */
  className: string;
  /** Prefix of the fields' test ids: `${testId}-dollars`, `${testId}-tokens`. */
  testId: string;
}

export function BudgetFields({ dollars, tokens, onChange, className, testId }: Props) {
  return (
    <>
      <OptionalNumberField
        className={className}
        label="Budget (US $)"
        hint="Pause once this much is spent at the connections' prices; resume with a higher budget, or cancel"
        min={0}
        step="any"
        placeholder="no limit"
        value={dollars}
        onChange={(budgetDollars) => onChange({ budgetDollars })}
        testId={`${testId}-dollars`}
      />
      <OptionalNumberField
        className={className}
        label="Budget (tokens)"
        hint="Pause once the calls have used this many tokens, prompts and outputs together"
        min={1}
        placeholder="no limit"
        value={tokens}
        onChange={(budgetTokens) => onChange({ budgetTokens })}
        testId={`${testId}-tokens`}
      />
    </>
  );
}
