// A query from a seed dataset: pick the dataset, then one of its queries, which fills the query
// field (where it can still be edited).
import { useEffect, useId, useState } from 'react';
import type { DatasetItem, DatasetSummary, StudioApi } from '../../../../../shared/studioApi';
import { errorMessage } from '../../../shell/format';

/** Queries offered from one dataset: enough to pick from, never a whole large file in a select. */
const SHOWN = 200;

export function QueryPicker({
  studio,
  seedSets,
  onPick,
}: {
  studio: StudioApi;
  seedSets: DatasetSummary[];
  onPick: (query: string) => void;
}) {
  const id = useId();
  const [dataset, setDataset] = useState('');
  const [items, setItems] = useState<DatasetItem[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setItems([]);
    setError(null);
    if (!dataset) return;
    let current = true;
    studio.datasets
      .get(dataset)
      .then((d) => current && setItems(d.items.slice(0, SHOWN)))
      .catch((e: unknown) => current && setError(errorMessage(e)));
    return () => {
      current = false;
    };
  }, [studio, dataset]);

  if (seedSets.length === 0) return null;
  return (
    <span className="row try-query-picker">
      <label htmlFor={`${id}-set`} className="small">
        From a seed dataset
      </label>
      <select id={`${id}-set`} value={dataset} onChange={(e) => setDataset(e.target.value)} data-testid="try-seed-set">
        <option value="">—</option>
        {seedSets.map((d) => (
          <option key={d.name} value={d.name}>
            {d.name} ({d.items})
          </option>
        ))}
      </select>
      {items.length > 0 && (
        <select
          aria-label="Query from the dataset"
          value=""
          onChange={(e) => e.target.value !== '' && onPick(items[Number(e.target.value)]!.query)}
          data-testid="try-seed-query"
        >
          <option value="">Pick a query…</option>
          {items.map((item, index) => (
            // Items have no id of their own; their place in the file is stable while it is shown.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <option key={index} value={index}>
              {item.query.length > 90 ? `${item.query.slice(0, 89)}…` : item.query}
            </option>
          ))}
        </select>
      )}
      {error && (
        <span className="small" role="alert" style={{ color: 'var(--danger)' }}>
          Cannot read {dataset}: {error}
        </span>
      )}
    </span>
  );
}
