// The studio's quick retrievals (the ICL workbench's preview, the playground): the paper's
// embedding model when it is downloaded already, else BM25. A preview never starts a download;
// the first run with the default retriever does. The model is loaded once per studio and kept.
import { DEFAULT_EMBEDDING_MODEL } from '../../shared/runOptions.js';
import { createEmbeddingRetriever } from '../engine/retrieval/embeddingRetriever.js';
import type { Embedder } from '../engine/retrieval/exampleRetriever.js';
import { createLexicalRetriever } from '../engine/retrieval/lexicalRetriever.js';
import { createTransformersEmbedder } from '../engine/retrieval/transformersEmbedder.js';
import { readyHubModel } from '../store/modelStore.js';

export interface PreviewRetrieval {
  /** The ranking the studio shows for these items: embeddings when the model is at hand, else BM25. */
  topK<T extends { query: string }>(items: readonly T[], query: string, k: number): Promise<T[]>;
  dispose(): Promise<void>;
}

export function previewRetrieval(userDataDir: string): PreviewRetrieval {
  let embedder: Embedder | undefined;
  /** The model would not load: BM25 for the rest of this studio's life rather than a failed load per preview. */
  let broken = false;
  const current = (): Embedder | undefined => {
    if (broken) return undefined;
    const dir = readyHubModel(userDataDir, DEFAULT_EMBEDDING_MODEL);
    if (!dir) return undefined;
    embedder ??= createTransformersEmbedder({ modelDir: dir });
    return embedder;
  };
  return {
    async topK(items, query, k) {
      const model = current();
      if (model) {
        try {
          return await createEmbeddingRetriever(items, model).topK(query, k);
        } catch {
          broken = true;
        }
      }
      return createLexicalRetriever(items).topK(query, k);
    },
    dispose: async () => {
      await embedder?.dispose();
      embedder = undefined;
    },
  };
}
