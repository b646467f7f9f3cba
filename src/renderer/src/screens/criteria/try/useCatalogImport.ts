// Importing a catalog file into the editor: the service reads it as a run would (aspects.parse),
// and it becomes the draft, unsaved; the draft it replaced is kept for "Undo import". A bad file
// changes nothing and says why.
import { type ChangeEvent, useRef, useState } from 'react';
import { LIMITS } from '../../../../../shared/requestLimits';
import type { AspectCatalogDto, StudioApi } from '../../../../../shared/studioApi';
import { errorMessage, plural } from '../../../shell/format';
import { getCriteriaDraft, newKeys, setCriteriaDraft } from '../criteriaDraft';

export function useCatalogImport(studio: StudioApi) {
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [replaced, setReplaced] = useState<AspectCatalogDto | null>(null);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.currentTarget.files?.[0];
    if (!file) return;
    setError(null);
    setNotice(null);
    setBusy(true);
    try {
      if (file.size > LIMITS.catalogBytes)
        throw new Error(
          `the file is ${file.size.toLocaleString('en-US')} bytes; a catalog is at most ${LIMITS.catalogBytes.toLocaleString('en-US')}`,
        );
      const catalog = await studio.aspects.parse(await file.text());
      const state = getCriteriaDraft();
      if (!state) throw new Error('the catalog editor has not loaded yet');
      setReplaced(state.draft);
      setCriteriaDraft({ saved: state.saved, draft: catalog, keys: newKeys(catalog.aspects.length) });
      setNotice(`Imported ${file.name}: ${plural(catalog.aspects.length, 'aspect')}, not saved yet.`);
    } catch (e) {
      setError(
        `Cannot import ${file.name}: ${errorMessage(e).replace(/\.$/, '')}. The catalog being edited is unchanged.`,
      );
    } finally {
      setBusy(false);
      // The same file can be chosen again after a fix.
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  const undo = () => {
    const state = getCriteriaDraft();
    if (!state || !replaced) return;
    setCriteriaDraft({ saved: state.saved, draft: replaced, keys: newKeys(replaced.aspects.length) });
    setReplaced(null);
    setNotice('Import undone: the catalog being edited is back as it was.');
  };

  return { error, notice, busy, canUndo: replaced !== null, fileInput, onFile, undo };
}
