// The retriever of each setup of an experiment: a run setup's is its run's, the others' the
// experiment's `retrieval.embedder`. Each model is loaded once for all the setups that use it; one
// that cannot be had gives way to BM25, announced once per model and recorded per setup.

import { createEmbeddingRetriever } from '../engine/retrieval/embeddingRetriever.js';
import type { Embedder, ExampleRetriever } from '../engine/retrieval/exampleRetriever.js';
import { createLexicalRetriever } from '../engine/retrieval/lexicalRetriever.js';
import type { IclExample } from '../engine/types.js';
import {
  type EmbedderChoice,
  fallbackWarning,
  openEmbedder,
  type RetrievalRecord,
  type RetrieverHost,
  requestedName,
} from '../runs/createRetriever.js';
import type { ResolvedSetup } from './setups.js';

export interface SetupRetrievers {
  retrievers: Map<string, { retriever: ExampleRetriever<IclExample>; retrieval: RetrievalRecord }>;
  /** One per model that gave way to BM25. */
  warnings: string[];
  dispose(): Promise<void>;
}

export async function openSetupRetrievers(
  setups: readonly ResolvedSetup[],
  experimentEmbedder: EmbedderChoice,
  host: RetrieverHost,
): Promise<SetupRetrievers> {
  const opened = new Map<string, { embedder: Embedder } | { reason: string }>();
  const retrievers: SetupRetrievers['retrievers'] = new Map();
  const warnings: string[] = [];
  for (const setup of setups) {
    const choice = setup.embedder ?? experimentEmbedder;
    const requested = requestedName(choice);
    const lexical = (used: string, reason?: string) =>
      retrievers.set(setup.name, {
        retriever: createLexicalRetriever(setup.examples),
        retrieval: { requested, used, ...(reason ? { reason } : {}) },
      });
    if (choice === 'lexical') lexical('bm25');
    // URIAL keeps its file's order: nothing is ranked, so no model is fetched for it.
    else if (setup.examples.length === 0 || setup.keepFileOrder) lexical('none');
    else {
      let model = opened.get(requested);
      if (!model) {
        model =
          choice.kind === 'backend'
            ? { reason: "a backend's embeddings serve its runs only; experiments do not open that backend" }
            : await openEmbedder(choice, new Map(), host);
        opened.set(requested, model);
        if ('reason' in model) warnings.push(fallbackWarning(choice, model.reason));
      }
      if ('reason' in model) lexical('bm25', model.reason);
      else
        retrievers.set(setup.name, {
          retriever: createEmbeddingRetriever(setup.examples, model.embedder),
          retrieval: { requested, used: `embeddings:${requested}` },
        });
    }
  }
  return {
    retrievers,
    warnings,
    dispose: async () => {
      for (const model of opened.values()) if ('embedder' in model) await model.embedder.dispose();
    },
  };
}
