// Run bundles: the selected run as one JSON file another installation can import (its config,
// with secrets only as references, its whole event log and its result), and the import back.
import { type ChangeEvent, useId, useState } from 'react';
import type { RunBundle, StudioApi } from '../../../../shared/studioApi';
import { errorMessage } from '../../shell/format';
import { saveAsFile } from '../../shell/saveText';

interface Props {
  studio: StudioApi;
  selectedId: string | null;
  /** Called with the imported run's id (the screen selects it). */
  onImported: (id: string) => void;
}

const BUNDLE_SUFFIX = '.drpo-run.json';

/** A parsed file that at least claims to be a run bundle (the service checks the rest). */
function asBundle(value: unknown): RunBundle {
  if (
    typeof value !== 'object' ||
    value === null ||
    (value as { format?: unknown }).format !== 'drpo-studio-run-bundle'
  ) {
    throw new Error('This file is not a DRPO Studio run bundle (no "format": "drpo-studio-run-bundle").');
  }
  return value as RunBundle;
}

export function RunBundles({ studio, selectedId, onImported }: Props) {
  const [busy, setBusy] = useState<'export' | 'import' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const inputId = useId();

  const exportBundle = async () => {
    if (!selectedId) return;
    setBusy('export');
    setError(null);
    setNotice(null);
    try {
      const bundle = await studio.runs.exportBundle(selectedId);
      const fileName = `${selectedId}${BUNDLE_SUFFIX}`;
      saveAsFile(fileName, JSON.stringify(bundle, null, 2), 'application/json');
      setNotice(`Saved ${fileName}.`);
    } catch (e) {
      setError(`Cannot export run ${selectedId}: ${errorMessage(e)}`);
    } finally {
      setBusy(null);
    }
  };

  const importBundle = async (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    setBusy('import');
    setError(null);
    setNotice(null);
    try {
      const text = await file.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (parseError) {
        throw new Error(`${file.name} is not JSON: ${errorMessage(parseError)}`);
      }
      const { id } = await studio.runs.importBundle(asBundle(parsed));
      setNotice(`Imported ${file.name} as run ${id}.`);
      onImported(id);
    } catch (err) {
      setError(`Cannot import ${file.name}: ${errorMessage(err)}`);
    } finally {
      // The same file can be picked again.
      input.value = '';
      setBusy(null);
    }
  };

  return (
    <section className="runs-panel run-bundles" aria-labelledby={`${inputId}-title`} data-testid="run-bundles">
      <h3 id={`${inputId}-title`}>Run bundles</h3>
      <p className="runs-muted">
        Share a run as one file: its config (secrets only as references), its event log and its result.
      </p>
      <div className="runs-actions">
        <button
          type="button"
          data-testid="export-bundle"
          disabled={!selectedId || busy !== null}
          onClick={() => void exportBundle()}
          title={selectedId ? `Save ${selectedId}${BUNDLE_SUFFIX}` : 'Select a run first'}
        >
          {busy === 'export' ? 'Exporting…' : 'Export bundle'}
        </button>
      </div>
      <div className="runs-field" style={{ marginTop: 8 }}>
        <label htmlFor={inputId}>Import bundle</label>
        <input
          id={inputId}
          type="file"
          accept={`${BUNDLE_SUFFIX},.json,application/json`}
          data-testid="import-bundle"
          disabled={busy !== null}
          onChange={(e) => void importBundle(e)}
        />
      </div>
      {busy === 'import' && <p className="runs-muted">Importing…</p>}
      {error && (
        <p className="runs-error" role="alert" data-testid="bundle-error">
          {error}
        </p>
      )}
      {notice && !error && (
        <p className="runs-muted" role="status" data-testid="bundle-notice">
          {notice}
        </p>
      )}
    </section>
  );
}
