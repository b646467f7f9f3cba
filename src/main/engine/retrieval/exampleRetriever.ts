/**
 * Retrieval of in-context-learning (ICL) examples.
 *
 * In DRPO the base model answers a query with the K in-context examples most similar to that
 * query (the paper ranks them by sentence-embedding cosine similarity). A retriever hides how
 * "similar" is computed: by embeddings (`createEmbeddingRetriever`) or, with no model at all,
 * by BM25 over the example queries (`createLexicalRetriever`).
 */

/** Returns the items most similar to a query, best first. */
export interface ExampleRetriever<T extends { query: string }> {
  /**
   * At most `k` items, best first; `k <= 0` gives `[]`. The same query over the same items always
   * gives the same answer, ties keeping the items' original order.
   */
  topK(query: string, k: number): Promise<T[]>;
}

/** Turns texts into vectors whose cosine similarity measures how alike the texts are. */
export interface Embedder {
  /** Identifies the model (e.g. for caches and logs). */
  readonly id: string;
  /** One vector per text, in the same order; all vectors of one embedder have the same length. */
  embed(texts: string[]): Promise<Float32Array[]>;
  /** Releases the model. */
  dispose(): Promise<void>;
}
