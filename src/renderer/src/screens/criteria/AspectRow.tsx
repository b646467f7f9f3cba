// One aspect of the catalog: on/off, its name and the description the judge reads, and Remove.
import type { Ref } from 'react';
import type { Aspect } from './useCriteriaEditor';

interface Props {
  aspect: Aspect;
  index: number;
  duplicate: boolean;
  nameInputRef: Ref<HTMLInputElement>;
  onChange: (patch: Partial<Aspect>) => void;
  onRemove: () => void;
}

export function AspectRow({ aspect, index, duplicate, nameInputRef, onChange, onRemove }: Props) {
  // Test ids name the aspect; a new one has no name yet, so its place stands in.
  const id = aspect.name || String(index);
  return (
    <li className={`aspect${aspect.enabled ? '' : ' disabled'}`} data-testid={`aspect-${id}`}>
      <input
        type="checkbox"
        checked={aspect.enabled}
        onChange={(e) => onChange({ enabled: e.target.checked })}
        data-testid={`aspect-enabled-${id}`}
        aria-label={`Enable ${aspect.name || 'this aspect'}`}
        title={aspect.enabled ? 'Enabled: the selector may pick it' : 'Disabled: never picked'}
        style={{ marginTop: '0.55rem' }}
      />
      <div className="aspect-body">
        <input
          ref={nameInputRef}
          className="aspect-name"
          type="text"
          value={aspect.name}
          placeholder="Aspect name (e.g. Conciseness)"
          onChange={(e) => onChange({ name: e.target.value })}
          data-testid={`aspect-name-${index}`}
          aria-label="Aspect name"
          aria-invalid={duplicate || aspect.name.trim() === '' ? true : undefined}
        />
        {duplicate && (
          <p className="small" style={{ margin: 0, color: 'var(--danger)' }}>
            Another aspect already has this name.
          </p>
        )}
        <textarea
          value={aspect.description}
          placeholder="What a good answer does on this aspect, as the judge will read it."
          onChange={(e) => onChange({ description: e.target.value })}
          data-testid={`aspect-description-${id}`}
          aria-label={`Description of ${aspect.name || 'the new aspect'}`}
          aria-invalid={aspect.description.trim() === '' ? true : undefined}
          rows={2}
        />
      </div>
      <button
        type="button"
        className="ghost danger small"
        onClick={onRemove}
        data-testid={`remove-aspect-${id}`}
        aria-label={`Remove ${aspect.name || 'this aspect'}`}
        title="Remove this aspect"
      >
        Remove
      </button>
    </li>
  );
}
