// The criteria editor's behavior: loading the aspect catalog (unsaved edits from an earlier visit
// survive), editing aspects and the static set, and saving or discarding the draft.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AspectCatalogDto, StudioApi } from '../../../../shared/studioApi';
import { errorMessage } from '../../shell/format';
import {
  type CriteriaDraft,
  getCriteriaDraft,
  isDirty,
  newKeys,
  setCriteriaDraft,
  useCriteriaDraft,
} from './criteriaDraft';

export type Aspect = AspectCatalogDto['aspects'][number];

/** Names compare loosely, as the engine compares them ("Critical thinking" = "critical-thinking"). */
function aspectKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function useCriteriaEditor(studio: StudioApi) {
  const state = useCriteriaDraft();
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [savedNotice, setSavedNotice] = useState(false);
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  const nameInputs = useRef(new Map<number, HTMLInputElement>());

  const load = useCallback(() => {
    setLoadError(null);
    studio.aspects
      .get()
      .then((catalog) => {
        const kept = getCriteriaDraft();
        // Unsaved edits from an earlier visit survive; otherwise show what the service holds.
        setCriteriaDraft(
          kept && isDirty(kept)
            ? { ...kept, saved: catalog }
            : { saved: catalog, draft: structuredClone(catalog), keys: newKeys(catalog.aspects.length) },
        );
      })
      .catch((e: unknown) => setLoadError(errorMessage(e)));
  }, [studio]);

  useEffect(load, [load]);

  // A new aspect's name field takes the focus once it is rendered.
  useEffect(() => {
    if (focusIndex === null) return;
    nameInputs.current.get(focusIndex)?.focus();
    setFocusIndex(null);
  }, [focusIndex]);

  const update = (next: Omit<CriteriaDraft, 'saved'>) => {
    if (!state) return;
    setSavedNotice(false);
    setCriteriaDraft({ saved: state.saved, ...next });
  };

  const updateAspect = (index: number, patch: Partial<Aspect>) => {
    if (!state) return;
    const { draft, keys } = state;
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
    update({ draft: { aspects, staticAspects }, keys });
  };

  const removeAspect = (index: number) => {
    if (!state) return;
    const { draft, keys } = state;
    const removed = draft.aspects[index];
    update({
      draft: {
        aspects: draft.aspects.filter((_, i) => i !== index),
        staticAspects: draft.staticAspects.filter((n) => n !== removed?.name),
      },
      keys: keys.filter((_, i) => i !== index),
    });
  };

  const addAspect = () => {
    if (!state) return;
    const { draft, keys } = state;
    update({
      draft: { ...draft, aspects: [...draft.aspects, { name: '', description: '', rubric: '', enabled: true }] },
      keys: [...keys, ...newKeys(1)],
    });
    setFocusIndex(draft.aspects.length);
  };

  const toggleStatic = (name: string, on: boolean) => {
    if (!state) return;
    const { draft, keys } = state;
    const staticAspects = on ? [...draft.staticAspects, name] : draft.staticAspects.filter((n) => n !== name);
    update({ draft: { ...draft, staticAspects }, keys });
  };

  // Aspects the saved catalog holds without a rubric (written before rubrics existed) may stay
  // without one; every other aspect needs one, as the service requires on saving.
  const withoutRubric = new Set(
    state?.saved.aspects.filter((a) => !a.rubric?.trim()).map((a) => aspectKey(a.name)) ?? [],
  );
  const rubricRequired = (index: number) => {
    const aspect = state?.draft.aspects[index];
    return aspect !== undefined && !withoutRubric.has(aspectKey(aspect.name));
  };

  const save = async () => {
    if (!state) return;
    // Refused here, in the service's words, before a request the service would refuse.
    const missing = state.draft.aspects.filter((a, i) => rubricRequired(i) && !a.rubric?.trim());
    if (missing.length > 0) {
      setSavedNotice(false);
      setSaveError(
        `${missing.map((a) => `"${a.name || 'the new aspect'}"`).join(', ')} ${missing.length === 1 ? 'has' : 'have'} no rubric — write the line the judge scores ${missing.length === 1 ? 'it' : 'each'} by (e.g. "A score of 5 indicates …, while a 1 suggests …")`,
      );
      return;
    }
    setSaving(true);
    setSaveError(null);
    setSavedNotice(false);
    try {
      const sent = structuredClone(state.draft);
      await studio.aspects.save(sent);
      // Edits made while saving stay unsaved.
      const latest = getCriteriaDraft() ?? state;
      setCriteriaDraft({ ...latest, saved: sent });
      setSavedNotice(true);
    } catch (e) {
      setSaveError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  const discard = () => {
    if (!state) return;
    setSaveError(null);
    setSavedNotice(false);
    setCriteriaDraft({
      saved: state.saved,
      draft: structuredClone(state.saved),
      keys: newKeys(state.saved.aspects.length),
    });
  };

  // Loose-name duplicates, flagged before the service refuses them.
  const looseNames = state?.draft.aspects.map((a) => aspectKey(a.name)) ?? [];
  const isDuplicate = (index: number) => looseNames[index] !== '' && looseNames.indexOf(looseNames[index]!) !== index;

  /** Keeps each aspect's name field, so a new aspect's can take the focus. */
  const nameInputRef = (index: number) => (el: HTMLInputElement | null) => {
    if (el) nameInputs.current.set(index, el);
    else nameInputs.current.delete(index);
  };

  return {
    state,
    dirty: isDirty(state),
    loadError,
    load,
    saveError,
    saving,
    savedNotice,
    updateAspect,
    removeAspect,
    addAspect,
    toggleStatic,
    save,
    discard,
    isDuplicate,
    rubricRequired,
    nameInputRef,
  };
}

export type CriteriaEditor = ReturnType<typeof useCriteriaEditor>;
