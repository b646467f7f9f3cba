// The items table's controls as state, and the service query they make (experiments.items).
import type { ExperimentItemQuery } from '../../../../shared/studioApi';

export type ItemOrder = NonNullable<ExperimentItemQuery['order']>;

export interface ItemFilters {
  split: 'all' | 'regular' | 'safety';
  /** A category as `JSON.stringify([dimension, value])`, or '' for all. */
  category: string;
  search: string;
  /** The setups compared: the difference is a − b. */
  a: string;
  b: string;
  order: ItemOrder;
}

export const ITEMS_PER_PAGE = 25;

/** The setups compared at first: the first one that is not the baseline, against the baseline. */
export function initialFilters(setups: readonly string[], baseline: string | undefined): ItemFilters {
  const b = baseline && setups.includes(baseline) ? baseline : (setups[0] ?? '');
  return { split: 'all', category: '', search: '', a: setups.find((s) => s !== b) ?? b, b, order: 'file' };
}

export function itemQuery(filters: ItemFilters, offset: number): ExperimentItemQuery {
  const [dimension, value] = filters.category ? (JSON.parse(filters.category) as [string, string]) : [];
  const compare = filters.a && filters.b ? { a: filters.a, b: filters.b } : undefined;
  return {
    split: filters.split,
    ...(dimension !== undefined && value !== undefined ? { category: { dimension, value } } : {}),
    ...(filters.search.trim() ? { search: filters.search } : {}),
    ...(compare ? { compare } : {}),
    order: compare ? filters.order : 'file',
    offset,
    limit: ITEMS_PER_PAGE,
  };
}
