// The search box and filters above the Runs and Experiments lists, and how many items they show.
import { isFiltering, type ListFilter, NO_FILTER, STATUS_FILTERS, type StatusFilter } from '../../../shared/listFilter';

interface Props {
  filter: ListFilter;
  onChange: (filter: ListFilter) => void;
  /** "runs", "experiments". */
  what: string;
  shown: number;
  total: number;
  /** The Runs list filters by stage too. */
  stages?: boolean;
}

export function ListFilterBar({ filter, onChange, what, shown, total, stages = false }: Props) {
  const set = (patch: Partial<ListFilter>) => onChange({ ...filter, ...patch });
  return (
    <search className="list-filter" aria-label={`Search and filter ${what}`} data-testid="list-filter">
      <input
        aria-label={`Search ${what}`}
        type="search"
        placeholder={`Search ${what}: name, notes, id${stages ? ', best prompt' : ''}`}
        value={filter.query}
        onChange={(e) => set({ query: e.target.value })}
        data-testid="list-search"
      />
      <select
        aria-label="Status"
        value={filter.status}
        onChange={(e) => set({ status: e.target.value as StatusFilter })}
        data-testid="list-status-filter"
      >
        {STATUS_FILTERS.map((s) => (
          <option key={s} value={s}>
            {s === 'all' ? 'Any status' : s}
          </option>
        ))}
      </select>
      {stages && (
        <select
          aria-label="Stage"
          value={filter.stage}
          onChange={(e) => set({ stage: e.target.value as ListFilter['stage'] })}
          data-testid="list-stage-filter"
        >
          <option value="all">Any stage</option>
          <option value="system-prompt">system-prompt</option>
          <option value="icl">icl</option>
        </select>
      )}
      {isFiltering(filter) && (
        <span className="small muted" data-testid="list-filter-count">
          {shown} of {total}{' '}
          <button type="button" className="small" onClick={() => onChange(NO_FILTER)} data-testid="list-filter-clear">
            Clear
          </button>
        </span>
      )}
    </search>
  );
}
