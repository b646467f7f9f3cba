// A labeled whole-number input, as the screens' forms use it (W, M, D, max tokens…).
import { useId } from 'react';
import { WholeNumberInput } from './WholeNumberInput';

export interface NumberFieldProps {
  label: string;
  value: number;
  min: number;
  /** The request limit (src/shared/requestLimits.ts), so the field says it before the server does. */
  max?: number;
  onChange: (value: number) => void;
  /** Shown on hovering the label. */
  hint?: string;
  /** The wrapper's classes (each screen's own field layout). */
  className: string;
  testId?: string;
}

export function NumberField({ label, value, min, max, onChange, hint, className, testId }: NumberFieldProps) {
  const id = useId();
  return (
    <div className={className}>
      <label htmlFor={id} title={hint}>
        {label}
      </label>
      <WholeNumberInput id={id} value={value} min={min} max={max} onChange={onChange} testId={testId} />
    </div>
  );
}
