// The retriever a run's config asks for: BM25 over the example queries, or embeddings from a
// local sentence-embedding model (released with `dispose` when the run ends).
import type { RunConfig } from '../config/runConfig.js';
import type { IclExample } from '../engine/types.js';
import type { ExampleRetriever } from '../engine/retrieval/exampleRetriever.js';
import { createLexicalRetriever } from '../engine/retrieval/lexicalRetriever.js';
import { createEmbeddingRetriever } from '../engine/retrieval/embeddingRetriever.js';
import { createTransformersEmbedder } from '../engine/retrieval/transformersEmbedder.js';

export function createRetriever(config: RunConfig, examples: IclExample[]): { retriever: ExampleRetriever<IclExample>; dispose(): Promise<void> } {
  const choice = config.retrieval.embedder;
  if (choice === 'lexical') return { retriever: createLexicalRetriever(examples), dispose: async () => {} };
  const embedder = createTransformersEmbedder({ modelDir: choice.modelDir });
  return { retriever: createEmbeddingRetriever(examples, embedder), dispose: () => embedder.dispose() };
}
