import MiniSearch from 'minisearch';

import { normalizeK } from './embeddingRetriever.js';
import type { ExampleRetriever } from './exampleRetriever.js';

/**
 * Ranks `items` by BM25 (MiniSearch's BM25+) between the query and each item's query: exact,
 * lower-cased terms, any term may match. Needs no model, so it is the fallback when no embedding
 * model is available.
 *
 * Always returns `min(k, items.length)` items: the ones sharing a term with the query first (best
 * score first, ties in original order), then the rest in original order. Deterministic.
 */
export function createLexicalRetriever<T extends { query: string }>(items: readonly T[]): ExampleRetriever<T> {
  const pool: readonly T[] = [...items];
  const index = new MiniSearch<{ id: number; query: string }>({
    idField: 'id',
    fields: ['query'],
    storeFields: [],
    searchOptions: { combineWith: 'OR', prefix: false, fuzzy: false },
  });
  index.addAll(pool.map((item, id) => ({ id, query: item.query })));

  return {
    async topK(query: string, k: number): Promise<T[]> {
      const limit = normalizeK(k, pool.length);
      if (limit === 0) return [];

      const scored = index
        .search(query)
        .map((result) => ({ id: result.id as number, score: result.score }))
        .sort((a, b) => b.score - a.score || a.id - b.id);

      const chosen: number[] = [];
      const taken = new Set<number>();
      for (const { id } of scored) {
        if (chosen.length >= limit) break;
        chosen.push(id);
        taken.add(id);
      }
      for (let id = 0; id < pool.length && chosen.length < limit; id++) {
        if (!taken.has(id)) chosen.push(id);
      }
      return chosen.map((id) => pool[id] as T);
    },
  };
}
