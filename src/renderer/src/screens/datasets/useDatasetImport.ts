// The import form's state: the name and kind to import under, and the import of a chosen file.
import { type ChangeEvent, useRef, useState } from 'react';
import type { DatasetKind, StudioApi } from '../../../../shared/studioApi';
import { errorMessage, plural } from '../../shell/format';
import { nameFromFile } from './datasetItems';

/** Called with the imported dataset's name once the service holds it. */
export function useDatasetImport(studio: StudioApi, onImported: (name: string) => Promise<void>) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<DatasetKind>('seed-queries');
  const [importing, setImporting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.currentTarget.files?.[0];
    if (!file) return;
    const datasetName = name.trim() || nameFromFile(file.name);
    setImporting(true);
    setError(null);
    setNotice(null);
    try {
      const text = await file.text();
      const summary = await studio.datasets.import(datasetName, kind, file.name, text);
      setNotice(`Imported "${summary.name}": ${plural(summary.items, 'item')}.`);
      setName('');
      await onImported(summary.name);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setImporting(false);
      // The same file can be chosen again after a fix.
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  return { name, setName, kind, setKind, importing, error, notice, fileInput, onFile };
}

export type DatasetImport = ReturnType<typeof useDatasetImport>;
