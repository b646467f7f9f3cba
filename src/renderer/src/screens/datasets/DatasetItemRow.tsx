// One row of the dataset preview: its query (and an ICL example's answer), editable in place.
import { useEffect, useRef } from 'react';
import type { DatasetItem } from '../../../../shared/studioApi';
import { itemLabels } from './datasetItems';

interface Props {
  index: number;
  item: DatasetItem;
  isIcl: boolean;
  isEditing: boolean;
  onToggleEdit: () => void;
  onChange: (patch: Partial<DatasetItem>) => void;
  onDelete: () => void;
}

export function DatasetItemRow({ index, item, isIcl, isEditing, onToggleEdit, onChange, onDelete }: Props) {
  const queryInput = useRef<HTMLTextAreaElement>(null);

  // The query takes the focus when the row opens for editing (a new row included).
  useEffect(() => {
    if (isEditing) queryInput.current?.focus();
  }, [isEditing]);

  return (
    <tr data-testid={`dataset-row-${index}`}>
      <td className="num muted">{index + 1}</td>
      <td className="datasets-cell">
        {isEditing ? (
          <textarea
            ref={queryInput}
            value={item.query}
            onChange={(e) => onChange({ query: e.target.value })}
            aria-label={`Query of row ${index + 1}`}
            aria-invalid={item.query.trim() === '' ? true : undefined}
            data-testid={`row-query-${index}`}
          />
        ) : (
          <div className="datasets-text">{item.query}</div>
        )}
      </td>
      <td className="small">{itemLabels(item) || <span className="muted">–</span>}</td>
      {isIcl && (
        <td className="datasets-cell">
          {isEditing ? (
            <textarea
              value={item.answer ?? ''}
              onChange={(e) => onChange({ answer: e.target.value })}
              aria-label={`Answer of row ${index + 1}`}
              aria-invalid={(item.answer ?? '').trim() === '' ? true : undefined}
              data-testid={`row-answer-${index}`}
              rows={5}
            />
          ) : (
            <div className="datasets-text">{item.answer}</div>
          )}
        </td>
      )}
      <td className="datasets-actions">
        <button type="button" className="small" onClick={onToggleEdit} data-testid={`edit-row-${index}`}>
          {isEditing ? 'Done' : 'Edit'}
        </button>
        <button
          type="button"
          className="small ghost danger"
          onClick={onDelete}
          aria-label={`Delete row ${index + 1}`}
          data-testid={`delete-row-${index}`}
        >
          Delete
        </button>
      </td>
    </tr>
  );
}
