// The open dataset's rows, a page at a time, each editable in place.
import { DatasetItemRow } from './DatasetItemRow';
import type { DatasetEditor } from './useDatasetEditor';

export function DatasetItemsTable({ editor }: { editor: DatasetEditor }) {
  const { saved, rows, shown, editing, setEditing, updateItem, removeItem, showMore } = editor;
  const isIcl = saved?.kind === 'icl-examples';
  const isEval = saved?.kind === 'eval-set';
  return (
    <>
      <div className="datasets-table-wrap">
        <table data-testid="dataset-preview">
          <thead>
            <tr>
              <th className="num">#</th>
              <th>Query</th>
              <th>{isEval ? 'Split / tags' : 'Category / kind'}</th>
              {isIcl && <th>Answer</th>}
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, shown).map((row, index) => (
              <DatasetItemRow
                key={row.key}
                index={index}
                item={row.item}
                isIcl={isIcl}
                isEditing={editing === row.key}
                onToggleEdit={() => setEditing(editing === row.key ? null : row.key)}
                onChange={(patch) => updateItem(row.key, patch)}
                onDelete={() => removeItem(row.key)}
              />
            ))}
          </tbody>
        </table>
      </div>
      {rows.length > shown && (
        <div className="row" style={{ marginTop: '0.75rem' }}>
          <span className="muted small">
            Showing {shown} of {rows.length}.
          </span>
          <button type="button" className="small" onClick={showMore} data-testid="dataset-show-more">
            Show more
          </button>
        </div>
      )}
    </>
  );
}
