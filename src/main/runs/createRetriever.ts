// The retriever a run's config asks for: BM25 over the example queries, or embeddings from a
// local sentence-embedding model (released with `dispose` when the run ends) or from a
// backend's embeddings endpoint.
import type { RunConfig } from '../config/runConfig.js';
import { createEmbeddingRetriever } from '../engine/retrieval/embeddingRetriever.js';
import type { ExampleRetriever } from '../engine/retrieval/exampleRetriever.js';
import { createLexicalRetriever } from '../engine/retrieval/lexicalRetriever.js';
import { createTransformersEmbedder } from '../engine/retrieval/transformersEmbedder.js';
import type { IclExample } from '../engine/types.js';
import type { Backend } from '../llm/roleClient.js';

export function createRetriever(
  config: RunConfig,
  examples: IclExample[],
  backends: ReadonlyMap<string, Backend> = new Map(),
): { retriever: ExampleRetriever<IclExample>; dispose(): Promise<void> } {
  const choice = config.retrieval.embedder;
  if (choice === 'lexical') return { retriever: createLexicalRetriever(examples), dispose: async () => {} };
  if (choice.kind === 'backend') {
    const backend = backends.get(choice.backend);
    const embed = backend?.client.embed;
    if (!backend || !embed)
      throw new Error(`retrieval: backend "${choice.backend}" cannot embed (its plugin has no embeddings)`);
    // Through the backend's scheduler, so embeddings share its limits and retries; the backend
    // itself is released with the run's other backends.
    const embedder = {
      id: `backend:${backend.identity}`,
      embed: async (texts: string[]) =>
        (await backend.scheduler.run((signal) => embed.call(backend.client, texts, signal))).value,
      dispose: async () => {},
    };
    return { retriever: createEmbeddingRetriever(examples, embedder), dispose: async () => {} };
  }
  if (choice.kind === 'hub') throw new Error('TODO(helper): hub');
  const embedder = createTransformersEmbedder({ modelDir: choice.modelDir });
  return { retriever: createEmbeddingRetriever(examples, embedder), dispose: () => embedder.dispose() };
}
