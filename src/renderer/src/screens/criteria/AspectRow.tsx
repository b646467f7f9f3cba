// One aspect of the catalog: on/off, its name, the line the selector reads, the rubric the judge
// scores by, and Remove.

import type { Ref } from 'react';
import { useId } from 'react';
import type { Aspect } from './useCriteriaEditor';

interface Props {
  aspect: Aspect;
  index: number;
  duplicate: boolean;
  /** False for an aspect of a catalog older than rubrics, which may stay without one (the judge reads its selector line). */
  rubricRequired: boolean;
  nameInputRef: Ref<HTMLInputElement>;
  onChange: (patch: Partial<Aspect>) => void;
  onRemove: () => void;
}

export function AspectRow({ aspect, index, duplicate, rubricRequired, nameInputRef, onChange, onRemove }: Props) {
  // Test ids name the aspect; a new one has no name yet, so its place stands in.
  const id = aspect.name || String(index);
  const ids = { description: useId(), rubric: useId(), rubricHint: useId() };
  const label = aspect.name || 'the new aspect';
  const rubric = aspect.rubric ?? '';
  const rubricMissing = rubric.trim() === '';
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
        <label className="small muted" htmlFor={ids.description}>
          Selector line — what the aspect selector reads when it picks aspects for a query
        </label>
        <textarea
          id={ids.description}
          value={aspect.description}
          placeholder="What a good answer does on this aspect, in one sentence."
          onChange={(e) => onChange({ description: e.target.value })}
          data-testid={`aspect-description-${id}`}
          aria-label={`Selector line of ${label}`}
          aria-invalid={aspect.description.trim() === '' ? true : undefined}
          rows={2}
        />
        <label className="small muted" htmlFor={ids.rubric}>
          Judge rubric — what the judge scores the answer by
        </label>
        <textarea
          id={ids.rubric}
          value={rubric}
          placeholder="How to rate it: A score of 5 indicates …, while a 1 suggests …"
          // An emptied rubric is no rubric (not an empty one), so an untouched old aspect stays unchanged.
          onChange={(e) => onChange({ rubric: e.target.value === '' ? undefined : e.target.value })}
          data-testid={`aspect-rubric-${id}`}
          aria-label={`Judge rubric of ${label}`}
          aria-invalid={rubricRequired && rubricMissing ? true : undefined}
          aria-describedby={rubricMissing ? ids.rubricHint : undefined}
          rows={3}
        />
        {rubricMissing && (
          <p
            id={ids.rubricHint}
            className="small"
            style={{ margin: 0, color: rubricRequired ? 'var(--danger)' : undefined }}
            data-testid={`aspect-rubric-hint-${id}`}
          >
            {rubricRequired
              ? 'Required: the judge needs a rubric for this aspect.'
              : 'No rubric yet: the judge reads the selector line instead.'}
          </p>
        )}
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
