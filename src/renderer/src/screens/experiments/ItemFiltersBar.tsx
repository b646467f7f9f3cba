// The items table's controls: split, category, a text search, the two setups compared and the order.
import type { ItemFilters, ItemOrder } from './itemFilters';

interface Props {
  filters: ItemFilters;
  setups: readonly string[];
  /** Dimension → values (experiments.items' `categories`). */
  categories: Record<string, string[]>;
  onChange: (next: ItemFilters) => void;
}

const ORDERS: [ItemOrder, string][] = [
  ['file', 'evaluation set order'],
  ['difference-desc', 'difference, A ahead first'],
  ['difference-asc', 'difference, B ahead first'],
];

export function ItemFiltersBar({ filters, setups, categories, onChange }: Props) {
  const set = <K extends keyof ItemFilters>(field: K, value: ItemFilters[K]) =>
    onChange({ ...filters, [field]: value });
  const setupOptions = setups.map((s) => (
    <option key={s} value={s}>
      {s}
    </option>
  ));
  return (
    <fieldset className="experiments-item-filters plain-group" aria-label="Which items">
      <label className="field">
        <span>Split</span>
        <select
          data-testid="items-split"
          value={filters.split}
          onChange={(e) => set('split', e.target.value as ItemFilters['split'])}
        >
          <option value="all">all</option>
          <option value="regular">regular</option>
          <option value="safety">safety</option>
        </select>
      </label>
      <label className="field">
        <span>Category</span>
        <select data-testid="items-category" value={filters.category} onChange={(e) => set('category', e.target.value)}>
          <option value="">all</option>
          {Object.entries(categories).map(([dimension, values]) => (
            <optgroup key={dimension} label={dimension}>
              {values.map((value) => (
                <option key={value} value={JSON.stringify([dimension, value])}>
                  {value}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      <label className="field experiments-item-search">
        <span>Search</span>
        <input
          type="search"
          data-testid="items-search"
          placeholder="in the instruction and the answers"
          value={filters.search}
          onChange={(e) => set('search', e.target.value)}
        />
      </label>
      {setups.length > 1 && (
        <>
          <label className="field">
            <span>Setup A</span>
            <select data-testid="items-setup-a" value={filters.a} onChange={(e) => set('a', e.target.value)}>
              {setupOptions}
            </select>
          </label>
          <label className="field">
            <span>Setup B</span>
            <select data-testid="items-setup-b" value={filters.b} onChange={(e) => set('b', e.target.value)}>
              {setupOptions}
            </select>
          </label>
          <label className="field">
            <span>Order by</span>
            <select
              data-testid="items-order"
              value={filters.order}
              onChange={(e) => set('order', e.target.value as ItemOrder)}
            >
              {ORDERS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
    </fieldset>
  );
}
