// The fixed set of aspects static rewarding scores every answer on, picked from the named aspects.
import type { AspectCatalogDto } from '../../../../shared/studioApi';

interface Props {
  draft: AspectCatalogDto;
  onToggle: (name: string, on: boolean) => void;
}

export function StaticAspectSet({ draft, onToggle }: Props) {
  // The set offers every named aspect, plus any name it holds that the catalog lacks.
  const namedAspects = [...new Set(draft.aspects.map((a) => a.name).filter((n) => n.trim() !== ''))];
  const orphanStatic = draft.staticAspects.filter((n) => !namedAspects.includes(n));
  return (
    <div className="panel">
      <h3>Static rewarding set</h3>
      <p className="muted small">
        With <code>reward.mode: "static"</code> every answer is scored on these aspects, whatever the query (the paper's
        six evaluation aspects by default).
      </p>
      <fieldset className="static-set plain-group" aria-label="Static rewarding aspects">
        {namedAspects.map((name) => (
          <label key={name} className="checkbox">
            <input
              type="checkbox"
              checked={draft.staticAspects.includes(name)}
              onChange={(e) => onToggle(name, e.target.checked)}
              data-testid={`static-aspect-${name}`}
            />
            {name}
          </label>
        ))}
        {orphanStatic.map((name) => (
          <label key={`orphan-${name}`} className="checkbox" title="Not in the catalog above">
            <input
              type="checkbox"
              checked
              onChange={() => onToggle(name, false)}
              data-testid={`static-aspect-${name}`}
            />
            {name} <span className="badge danger">not in the catalog</span>
          </label>
        ))}
      </fieldset>
    </div>
  );
}
