// The Aspects panel: how many are enabled, + Add custom aspect, and one row per aspect (its selector line and rubric).
import { AspectRow } from './AspectRow';
import type { CriteriaEditor } from './useCriteriaEditor';

export function AspectsPanel({ editor }: { editor: CriteriaEditor }) {
  const { state, addAspect, updateAspect, removeAspect, isDuplicate, rubricRequired, nameInputRef } = editor;
  if (!state) return null;
  const { draft, keys } = state;
  const enabledCount = draft.aspects.filter((a) => a.enabled).length;
  return (
    <div className="panel">
      <div className="row" style={{ justifyContent: 'space-between', marginBottom: '0.75rem' }}>
        <div>
          <h3 style={{ margin: 0 }}>Aspects</h3>
          <p className="muted small" style={{ margin: 0 }}>
            For each query the selector reads the selector lines and picks 2–5 enabled aspects (the ICL stage's critic
            3–6); the judge scores the answer 1–5 on each by its rubric. {enabledCount} of {draft.aspects.length}{' '}
            enabled.
          </p>
        </div>
        <button type="button" data-testid="add-aspect" onClick={addAspect}>
          + Add custom aspect
        </button>
      </div>

      <ul className="aspect-list">
        {draft.aspects.map((aspect, index) => (
          <AspectRow
            key={keys[index]}
            aspect={aspect}
            index={index}
            duplicate={isDuplicate(index)}
            rubricRequired={rubricRequired(index)}
            nameInputRef={nameInputRef(index)}
            onChange={(patch) => updateAspect(index, patch)}
            onRemove={() => removeAspect(index)}
          />
        ))}
      </ul>
    </div>
  );
}
