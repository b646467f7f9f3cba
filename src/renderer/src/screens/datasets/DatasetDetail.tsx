// The open dataset: its name and state, the row actions (add, discard, save, remove) and its rows.
import { DatasetItemsTable } from './DatasetItemsTable';
import type { DatasetEditor } from './useDatasetEditor';

export function DatasetDetail({ editor }: { editor: DatasetEditor }) {
  const { selected, saved, rows, dirty, savedNotice, busy, actionError, detailError } = editor;
  return (
    <div className="panel datasets-detail" style={{ marginTop: '1rem' }}>
      <div className="row" style={{ marginBottom: '0.75rem' }}>
        <h3 style={{ margin: 0 }}>{selected}</h3>
        {saved && <span className="badge">{saved.kind}</span>}
        {saved && (
          <span className="muted small">
            {rows.length} item{rows.length === 1 ? '' : 's'}
          </span>
        )}
        {dirty && (
          <span className="badge accent" role="status" data-testid="dataset-unsaved">
            Unsaved changes
          </span>
        )}
        {savedNotice && !dirty && (
          <span className="badge ok" role="status" data-testid="dataset-saved">
            Saved
          </span>
        )}
        <span style={{ flex: 1 }} />
        <button type="button" onClick={editor.addItem} disabled={!saved || busy} data-testid="add-dataset-row">
          + Add row
        </button>
        <button type="button" onClick={editor.discard} disabled={!dirty || busy} data-testid="discard-dataset">
          Discard
        </button>
        <button
          type="button"
          className="primary"
          onClick={() => void editor.save()}
          disabled={!dirty || busy}
          data-testid="save-dataset"
        >
          {busy ? 'Working…' : 'Save'}
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => void editor.remove()}
          disabled={!saved || busy}
          data-testid="remove-dataset"
        >
          Remove
        </button>
      </div>

      {actionError && (
        <div className="alert" role="alert" data-testid="dataset-error">
          <strong>Failed.</strong> {actionError}
        </div>
      )}
      {detailError && (
        <div className="alert" role="alert" data-testid="dataset-error">
          <strong>Cannot open the dataset.</strong> {detailError}
        </div>
      )}
      {!saved && !detailError && <p className="muted">Loading…</p>}
      {saved && <DatasetItemsTable editor={editor} />}
    </div>
  );
}
