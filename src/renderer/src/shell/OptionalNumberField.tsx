// A labeled number input (whole unless `step` says otherwise) that may be left empty (no limit, all items…): the value is the
// text typed, '' meaning unset, so the form keeps what the user wrote until the config is built.
import { useId } from 'react';
import type { NumberFieldProps } from './NumberField';

interface Props extends Omit<NumberFieldProps, 'value' | 'onChange' | 'max'> {
  value: string;
  /** What an empty field means ("none", "all", "no cap"). */
  placeholder: string;
  onChange: (value: string) => void;
  /** 'any' for an amount with decimals (dollars); default 1, a whole number. */
  step?: 'any';
}

export function OptionalNumberField({
  label,
  value,
  min,
  placeholder,
  onChange,
  hint,
  className,
  testId,
  step,
}: Props) {
  const id = useId();
  return (
    <div className={className}>
      <label htmlFor={id} title={hint}>
        {label}
      </label>
      <input
        id={id}
        type="number"
        min={min}
        step={step}
        placeholder={placeholder}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
      />
    </div>
  );
}
