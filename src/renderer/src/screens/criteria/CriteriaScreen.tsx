// Reward criteria: the aspect catalogue the selector picks from and the judge scores on, edited
// in place (wording, on/off, custom aspects) plus the fixed set static rewarding uses.
import { useEffect, useRef, useState } from 'react';
import type { AspectCatalogueDto, StudioApi } from '../../../../shared/studioApi';
import { getCriteriaDraft, isDirty, setCriteriaDraft, useCriteriaDraft } from './criteriaDraft';

type Aspect = AspectCatalogueDto['aspects'][number];

/** Names compare loosely, as the engine compares them ("Critical thinking" = "critical-thinking"). */
function aspectKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function CriteriaScreen({ studio }: { studio: StudioApi }) {
  const state = useCriteriaDraft();
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [savedNotice, setSavedNotice] = useState(false);
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  const nameInputs = useRef(new Map<number, HTMLInputElement>());

  const load = () => {
    setLoadError(null);
    studio.aspects
      .get()
      .then((catalogue) => {
        const kept = getCriteriaDraft();
        // Unsaved edits from an earlier visit survive; otherwise show what the service holds.
        setCriteriaDraft(
          kept && isDirty(kept)
            ? { saved: catalogue, draft: kept.draft }
            : { saved: catalogue, draft: structuredClone(catalogue) },
        );
      })
      .catch((e: unknown) => setLoadError(errorMessage(e)));
  };

  useEffect(load, [studio]);

  useEffect(() => {
    if (focusIndex === null) return;
    nameInputs.current.get(focusIndex)?.focus();
    setFocusIndex(null);
  }, [focusIndex]);

  if (!state) {
    return (
      <section className="screen" data-testid="screen-criteria">
        <Header />
        {loadError ? (
          <div className="alert" role="alert" data-testid="aspects-error">
            <strong>Cannot load the aspect catalogue.</strong> {loadError}{' '}
            <button type="button" className="small" onClick={load}>
              Retry
            </button>
          </div>
        ) : (
          <p className="muted">Loading the aspect catalogue…</p>
        )}
      </section>
    );
  }

  const { draft } = state;
  const dirty = isDirty(state);

  const update = (next: AspectCatalogueDto) => {
    setSavedNotice(false);
    setCriteriaDraft({ saved: state.saved, draft: next });
  };

  const updateAspect = (index: number, patch: Partial<Aspect>) => {
    const old = draft.aspects[index];
    if (!old) return;
    const aspects = draft.aspects.map((a, i) => (i === index ? { ...a, ...patch } : a));
    // A renamed aspect stays in the static set under its new name (when the old name was its alone).
    const newName = patch.name;
    const follows =
      newName !== undefined &&
      newName.trim() !== '' &&
      old.name !== '' &&
      draft.staticAspects.includes(old.name) &&
      draft.aspects.filter((a) => a.name === old.name).length === 1;
    const staticAspects = follows
      ? draft.staticAspects.map((n) => (n === old.name ? newName : n))
      : draft.staticAspects;
    update({ aspects, staticAspects });
  };

  const removeAspect = (index: number) => {
    const removed = draft.aspects[index];
    update({
      aspects: draft.aspects.filter((_, i) => i !== index),
      staticAspects: draft.staticAspects.filter((n) => n !== removed?.name),
    });
  };

  const addAspect = () => {
    update({ ...draft, aspects: [...draft.aspects, { name: '', description: '', enabled: true }] });
    setFocusIndex(draft.aspects.length);
  };

  const toggleStatic = (name: string, on: boolean) => {
    const staticAspects = on ? [...draft.staticAspects, name] : draft.staticAspects.filter((n) => n !== name);
    update({ ...draft, staticAspects });
  };

  const save = async () => {
    setSaving(true);
    setSaveError(null);
    setSavedNotice(false);
    try {
      const sent = structuredClone(draft);
      await studio.aspects.save(sent);
      // Edits made while saving stay unsaved.
      const latest = getCriteriaDraft();
      setCriteriaDraft({ saved: sent, draft: latest?.draft ?? sent });
      setSavedNotice(true);
    } catch (e) {
      setSaveError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  const discard = () => {
    setSaveError(null);
    setSavedNotice(false);
    setCriteriaDraft({ saved: state.saved, draft: structuredClone(state.saved) });
  };

  // Loose-name duplicates, flagged before the service refuses them.
  const keys = draft.aspects.map((a) => aspectKey(a.name));
  const isDuplicate = (index: number) => keys[index] !== '' && keys.indexOf(keys[index]!) !== index;

  // The static set offers every named aspect, plus any name it holds that the catalogue lacks.
  const namedAspects = [...new Set(draft.aspects.map((a) => a.name).filter((n) => n.trim() !== ''))];
  const orphanStatic = draft.staticAspects.filter((n) => !namedAspects.includes(n));
  const enabledCount = draft.aspects.filter((a) => a.enabled).length;

  return (
    <section className="screen" data-testid="screen-criteria">
      <Header dirty={dirty} />

      <div className="panel">
        <div className="row" style={{ justifyContent: 'space-between', marginBottom: '0.75rem' }}>
          <div>
            <h3 style={{ margin: 0 }}>Aspects</h3>
            <p className="muted small" style={{ margin: 0 }}>
              For each query the selector picks 2–5 enabled aspects; the judge scores the answer 1–5 on each.{' '}
              {enabledCount} of {draft.aspects.length} enabled.
            </p>
          </div>
          <button type="button" data-testid="add-aspect" onClick={addAspect}>
            + Add custom aspect
          </button>
        </div>

        <ul className="aspect-list">
          {draft.aspects.map((aspect, index) => {
            const id = aspect.name || String(index);
            const duplicate = isDuplicate(index);
            return (
              <li key={index} className={`aspect${aspect.enabled ? '' : ' disabled'}`} data-testid={`aspect-${id}`}>
                <input
                  type="checkbox"
                  checked={aspect.enabled}
                  onChange={(e) => updateAspect(index, { enabled: e.target.checked })}
                  data-testid={`aspect-enabled-${id}`}
                  aria-label={`Enable ${aspect.name || 'this aspect'}`}
                  title={aspect.enabled ? 'Enabled: the selector may pick it' : 'Disabled: never picked'}
                  style={{ marginTop: '0.55rem' }}
                />
                <div className="aspect-body">
                  <input
                    ref={(el) => {
                      if (el) nameInputs.current.set(index, el);
                      else nameInputs.current.delete(index);
                    }}
                    className="aspect-name"
                    type="text"
                    value={aspect.name}
                    placeholder="Aspect name (e.g. Conciseness)"
                    onChange={(e) => updateAspect(index, { name: e.target.value })}
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
                    onChange={(e) => updateAspect(index, { description: e.target.value })}
                    data-testid={`aspect-description-${id}`}
                    aria-label={`Description of ${aspect.name || 'the new aspect'}`}
                    aria-invalid={aspect.description.trim() === '' ? true : undefined}
                    rows={2}
                  />
                </div>
                <button
                  type="button"
                  className="ghost danger small"
                  onClick={() => removeAspect(index)}
                  data-testid={`remove-aspect-${id}`}
                  aria-label={`Remove ${aspect.name || 'this aspect'}`}
                  title="Remove this aspect"
                >
                  Remove
                </button>
              </li>
            );
          })}
        </ul>
      </div>

      <div className="panel">
        <h3>Static rewarding set</h3>
        <p className="muted small">
          With <code>reward.mode: "static"</code> every answer is scored on these aspects, whatever the query (the
          paper's six evaluation aspects by default).
        </p>
        <div className="static-set" role="group" aria-label="Static rewarding aspects">
          {namedAspects.map((name) => (
            <label key={name} className="checkbox">
              <input
                type="checkbox"
                checked={draft.staticAspects.includes(name)}
                onChange={(e) => toggleStatic(name, e.target.checked)}
                data-testid={`static-aspect-${name}`}
              />
              {name}
            </label>
          ))}
          {orphanStatic.map((name) => (
            <label key={`orphan-${name}`} className="checkbox" title="Not in the catalogue above">
              <input
                type="checkbox"
                checked
                onChange={() => toggleStatic(name, false)}
                data-testid={`static-aspect-${name}`}
              />
              {name} <span className="badge danger">not in the catalogue</span>
            </label>
          ))}
        </div>
      </div>

      <div className="sticky-actions">
        {saveError && (
          <div className="alert" role="alert" data-testid="aspects-error">
            <strong>Not saved.</strong> {saveError}
          </div>
        )}
        <div className="row">
          {dirty ? (
            <span className="badge accent" data-testid="unsaved-changes" role="status">
              Unsaved changes
            </span>
          ) : savedNotice ? (
            <span className="badge ok" role="status" data-testid="aspects-saved">
              Saved
            </span>
          ) : (
            <span className="muted small">All changes saved</span>
          )}
          <span style={{ flex: 1 }} />
          <button type="button" onClick={discard} disabled={!dirty || saving} data-testid="discard-aspects">
            Discard changes
          </button>
          <button
            type="button"
            className="primary"
            onClick={() => void save()}
            disabled={saving}
            data-testid="save-aspects"
          >
            {saving ? 'Saving…' : 'Save'}
          </button>
        </div>
      </div>
    </section>
  );
}

function Header({ dirty = false }: { dirty?: boolean }) {
  return (
    <div className="screen-header">
      <div>
        <h2>
          Reward criteria{' '}
          {dirty && (
            <span className="badge accent" style={{ verticalAlign: 'middle' }}>
              Unsaved
            </span>
          )}
        </h2>
        <p>
          The aspects a response is judged on. Edit their wording, switch some off, or add your own; runs use this
          catalogue unless their config names another.
        </p>
      </div>
    </div>
  );
}
