// Requests a connection gets at once: 'auto' (the studio finds what the server serves, raising and
// lowering the limit as it answers) or a number the user pins.
import { useId } from 'react';
import { LIMITS } from '../../../shared/requestLimits';
import type { Concurrency } from './concurrency';
import { WholeNumberInput } from './WholeNumberInput';

/** What a pinned limit starts at when the user switches from 'auto'. */
const FIRST_PIN = 4;

interface Props {
  value: Concurrency;
  onChange: (value: Concurrency) => void;
  /** Shown on hovering the label: what the limit applies to. */
  hint: string;
  /** The wrapper's classes (each screen's own field layout). */
  className: string;
  testId: string;
}

export function ConcurrencyField({ value, onChange, hint, className, testId }: Props) {
  const id = useId();
  const pinned = value !== 'auto';
  return (
    <div className={className}>
      <label htmlFor={id} title={hint}>
        Requests at once
      </label>
      <div className="concurrency-field">
        <select
          id={id}
          value={pinned ? 'pinned' : 'auto'}
          onChange={(e) => onChange(e.target.value === 'auto' ? 'auto' : FIRST_PIN)}
          data-testid={`${testId}-mode`}
        >
          <option value="auto">auto</option>
          <option value="pinned">pinned</option>
        </select>
        {pinned && (
          <WholeNumberInput
            ariaLabel="Requests at once, pinned"
            value={value}
            min={1}
            max={LIMITS.concurrency}
            onChange={onChange}
            testId={testId}
          />
        )}
      </div>
    </div>
  );
}
