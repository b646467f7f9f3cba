// A button that shows or hides a panel (aria-expanded, aria-controls): the Runs screen's side
// column, the run view's inspector and chart.
export function PanelToggle({
  label,
  open,
  onToggle,
  controls,
}: {
  label: string;
  open: boolean;
  onToggle: () => void;
  controls: string;
}) {
  return (
    <button
      type="button"
      className="panel-toggle"
      aria-expanded={open}
      aria-controls={controls}
      onClick={onToggle}
      data-testid={`toggle-${controls}`}
      title={`${open ? 'Hide' : 'Show'} the ${label.toLowerCase()}`}
    >
      {open ? '▾' : '▸'} {label}
    </button>
  );
}
