// The Import panel: name, kind and file; a file is imported as soon as it is chosen.
import type { DatasetKind } from '../../../../shared/studioApi';
import { KINDS } from './datasetItems';
import type { DatasetImport } from './useDatasetImport';

export function DatasetImportPanel({ form }: { form: DatasetImport }) {
  const { name, setName, kind, setKind, importing, error, notice, fileInput, onFile } = form;
  return (
    <div className="panel">
      <h3>Import</h3>
      <div className="datasets-import">
        <label className="field">
          Name
          <input
            type="text"
            value={name}
            placeholder="(the file's name)"
            onChange={(e) => setName(e.target.value)}
            data-testid="dataset-name"
            aria-describedby="dataset-name-help"
          />
          <span className="help" id="dataset-name-help">
            Letters, digits, '.', '_' and '-'. An existing dataset of that name is replaced.
          </span>
        </label>
        <label className="field">
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value as DatasetKind)} data-testid="dataset-kind">
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.value}
              </option>
            ))}
          </select>
          <span className="help">{KINDS.find((k) => k.value === kind)?.label}</span>
        </label>
        <label className="field">
          File
          <input
            ref={fileInput}
            type="file"
            accept=".json,.jsonl,.txt"
            onChange={(e) => void onFile(e)}
            disabled={importing}
            data-testid="dataset-file"
          />
          <span className="help">
            {importing ? 'Importing…' : '.json, .jsonl or .txt — imported as soon as it is chosen.'}
          </span>
        </label>
      </div>
      {error && (
        <div className="alert" role="alert" data-testid="dataset-import-error" style={{ marginTop: '0.75rem' }}>
          <strong>Not imported.</strong> {error}
        </div>
      )}
      {notice && !error && (
        <div className="notice-ok" role="status" data-testid="dataset-imported" style={{ marginTop: '0.75rem' }}>
          {notice}
        </div>
      )}
    </div>
  );
}
