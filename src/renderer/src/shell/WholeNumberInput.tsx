// The whole-number input of the forms' number fields: an empty or half-typed value is NaN, which
// the field shows as empty and the form's check refuses.
interface Props {
  id?: string;
  /** For an input without a label element of its own. */
  ariaLabel?: string;
  value: number;
  min: number;
  max?: number;
  onChange: (value: number) => void;
  testId?: string;
}

export function WholeNumberInput({ id, ariaLabel, value, min, max, onChange, testId }: Props) {
  return (
    <input
      id={id}
      aria-label={ariaLabel}
      type="number"
      min={min}
      max={max}
      step={1}
      value={Number.isFinite(value) ? value : ''}
      onChange={(e) => onChange(Number.parseInt(e.target.value, 10))}
      data-testid={testId}
      required
    />
  );
}
