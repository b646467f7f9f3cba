// The saved datasets as a table; a name opens the dataset below. A damaged one says why and can
// only be removed.
import type { DatasetSummary } from '../../../../shared/studioApi';
import { ConfirmRemove } from '../../components/ConfirmRemove';
import { formatTime } from '../../shell/format';

interface Props {
  list: DatasetSummary[];
  selected: string | null;
  onOpen: (name: string) => void;
  onRemove: (name: string) => Promise<void>;
}

export function DatasetList({ list, selected, onOpen, onRemove }: Props) {
  return (
    <table className="datasets-list" data-testid="dataset-list">
      <thead>
        <tr>
          <th>Name</th>
          <th>Kind</th>
          <th className="num">Items</th>
          <th>Updated</th>
        </tr>
      </thead>
      <tbody>
        {list.map((d) => (
          <tr
            key={d.name}
            className={d.name === selected ? 'selected' : undefined}
            data-testid={`dataset-${d.name}`}
            aria-selected={d.name === selected}
          >
            <td>
              {d.damaged ? (
                d.name
              ) : (
                <button
                  type="button"
                  className="ghost small linkish"
                  onClick={() => onOpen(d.name)}
                  data-testid={`open-dataset-${d.name}`}
                >
                  {d.name}
                </button>
              )}
            </td>
            <td>
              <span className="badge">{d.kind}</span>
            </td>
            {d.damaged ? (
              <td colSpan={2} data-testid={`damaged-dataset-${d.name}`}>
                <span className="badge danger" title={d.damaged.file}>
                  damaged
                </span>{' '}
                <span className="small">{d.damaged.reason}</span>{' '}
                <ConfirmRemove
                  label={`dataset ${d.name}`}
                  onRemove={() => onRemove(d.name)}
                  testId={`remove-damaged-${d.name}`}
                />
              </td>
            ) : (
              <>
                <td className="num">{d.items}</td>
                <td className="muted small">{formatTime(d.updatedAt)}</td>
              </>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
