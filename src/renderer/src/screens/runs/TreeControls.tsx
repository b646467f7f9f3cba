// The beam tree's zoom and fit buttons, over its pane.
interface Props {
  zoomBy: (factor: number) => void;
  fit: () => void;
}

const STEP = 1.25;

export function TreeControls({ zoomBy, fit }: Props) {
  return (
    <fieldset className="tree-controls plain-group" aria-label="Zoom">
      <button
        type="button"
        title="Zoom in"
        aria-label="Zoom in"
        data-testid="tree-zoom-in"
        onClick={() => zoomBy(STEP)}
      >
        +
      </button>
      <button
        type="button"
        title="Zoom out"
        aria-label="Zoom out"
        data-testid="tree-zoom-out"
        onClick={() => zoomBy(1 / STEP)}
      >
        −
      </button>
      <button
        type="button"
        title="Fit the whole tree in view"
        aria-label="Fit view"
        data-testid="tree-fit"
        onClick={fit}
      >
        ⤢
      </button>
    </fieldset>
  );
}
