// A select of the saved connections (an experiment's targets and judge, the criteria try's roles).

export /** A saved connection; labeled by a <label htmlFor={id}> or, in a table row, by `label`. */
function ConnectionSelect({
  id,
  label,
  value,
  names,
  onChange,
  testId,
}: {
  id?: string;
  label?: string;
  value: string;
  names: string[];
  onChange: (name: string) => void;
  testId?: string;
}) {
  return (
    <select
      id={id}
      aria-label={label}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      data-testid={testId}
      disabled={names.length === 0}
    >
      {names.length === 0 && <option value="">—</option>}
      {names.map((name) => (
        <option key={name} value={name}>
          {name}
        </option>
      ))}
    </select>
  );
}
