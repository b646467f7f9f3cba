// The saved datasets as a table; a name opens the dataset below.
import type { DatasetSummary } from '../../../../shared/studioApi';
import { formatTime } from '../../shell/format';

interface Props {
  list: DatasetSummary[];
  selected: string | null;
  onOpen: (name: string) => void;
}

export function DatasetList({ list, selected, onOpen }: Props) {
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
              <button
                type="button"
                className="ghost small linkish"
                onClick={() => onOpen(d.name)}
                data-testid={`open-dataset-${d.name}`}
              >
                {d.name}
              </button>
            </td>
            <td>
              <span className="badge">{d.kind}</span>
            </td>
            <td className="num">{d.items}</td>
            <td className="muted small">{formatTime(d.updatedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
