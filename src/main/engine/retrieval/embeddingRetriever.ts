import type { Embedder, ExampleRetriever } from './exampleRetriever.js';

/**
 * Ranks `items` by the cosine similarity between the query's embedding and each item's query
 * embedding. The items' queries are embedded once, lazily on the first `topK` (concurrent first
 * calls share that one embedding; if it fails, the next call tries again). Every `topK` embeds its
 * own query, except when there is nothing to return (`k <= 0` or no items).
 *
 * The item list is copied, so changing the array afterwards does not affect the retriever.
 */
export function createEmbeddingRetriever<T extends { query: string }>(
  items: readonly T[],
  embedder: Embedder,
): ExampleRetriever<T> {
  const pool: readonly T[] = [...items];
  let itemVectors: Promise<Float32Array[]> | undefined;

  function getItemVectors(): Promise<Float32Array[]> {
    if (!itemVectors) {
      const pending = embedder.embed(pool.map((item) => item.query)).then((vectors) => {
        if (vectors.length !== pool.length) {
          throw new Error(`Embedder "${embedder.id}" returned ${vectors.length} vectors for ${pool.length} texts`);
        }
        return vectors;
      });
      itemVectors = pending;
      // Don't cache a failure: a later call may succeed (e.g. after a transient load error).
      pending.catch(() => {
        if (itemVectors === pending) itemVectors = undefined;
      });
    }
    return itemVectors;
  }

  return {
    async topK(query: string, k: number): Promise<T[]> {
      const limit = normalizeK(k, pool.length);
      if (limit === 0) return [];

      const [vectors, queryVectors] = await Promise.all([getItemVectors(), embedder.embed([query])]);
      const queryVector = queryVectors[0];
      if (!queryVector || queryVectors.length !== 1) {
        throw new Error(`Embedder "${embedder.id}" returned ${queryVectors.length} vectors for 1 text`);
      }

      const scored = vectors.map((vector, index) => ({
        index,
        score: cosineSimilarity(queryVector, vector, embedder.id),
      }));
      scored.sort((a, b) => b.score - a.score || a.index - b.index);
      return scored.slice(0, limit).map(({ index }) => pool[index] as T);
    },
  };
}

/** How many items to return: `k` floored and clamped to `[0, available]`; NaN counts as 0. */
export function normalizeK(k: number, available: number): number {
  if (!(k >= 1)) return 0;
  return Math.min(Math.floor(k), available);
}

/**
 * Cosine similarity of two vectors of equal length. A zero vector (or one containing NaN) has no
 * direction and scores -1, so it ranks last without breaking the sort.
 */
export function cosineSimilarity(a: Float32Array, b: Float32Array, embedderId = 'embedder'): number {
  if (a.length !== b.length) {
    throw new Error(`Embedder "${embedderId}" returned vectors of different dimensions (${a.length} and ${b.length})`);
  }
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  const similarity = dot / Math.sqrt(normA * normB);
  return Number.isFinite(similarity) ? similarity : -1;
}
