// Under the run list: how many runs are ticked for comparison, and the button that compares them.
export function CompareBar({
  count,
  onCompare,
  onClear,
}: {
  count: number;
  onCompare: () => void;
  onClear: () => void;
}) {
  if (count === 0) return null;
  return (
    <div className="runs-actions compare-bar" data-testid="compare-bar">
      <button
        type="button"
        className="runs-primary"
        onClick={onCompare}
        disabled={count < 2}
        data-testid="compare-runs-button"
      >
        {count < 2 ? 'Tick another run to compare' : `Compare ${count} runs`}
      </button>
      <button type="button" onClick={onClear}>
        Clear
      </button>
    </div>
  );
}
