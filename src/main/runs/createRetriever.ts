// The retriever a config asks for: embeddings from a hub model (downloaded once into the user-data
// folder), from a local transformers.js folder or from a backend's embeddings endpoint; or BM25
// over the example queries. A model that cannot be had (no network, a refused or broken file, a
// folder that does not load) gives way to BM25: the caller announces it once and records it.

import { ModelCallError } from '../../plugins/contract.js';
import type { RunConfig } from '../config/runConfig.js';
import { createEmbeddingRetriever } from '../engine/retrieval/embeddingRetriever.js';
import type { Embedder, ExampleRetriever } from '../engine/retrieval/exampleRetriever.js';
import { createLexicalRetriever } from '../engine/retrieval/lexicalRetriever.js';
import { createTransformersEmbedder } from '../engine/retrieval/transformersEmbedder.js';
import type { IclExample } from '../engine/types.js';
import type { Backend } from '../llm/roleClient.js';
import { type DownloadProgress, ensureHubModel } from '../store/modelStore.js';
import type { DownloadEvent } from '../store/runLog.js';
import { defaultUserDataDir } from '../store/settingsStore.js';

export type EmbedderChoice = RunConfig['retrieval']['embedder'];

/** What ranked the examples, as result.json records it. */
export interface RetrievalRecord {
  /** 'bm25', 'hub:owner/name', 'transformers:<folder>' or 'backend:<name>'. */
  requested: string;
  /** 'embeddings:<requested>' when the model served, 'bm25', or 'none' when there was nothing to rank. */
  used: string;
  /** Why the requested model was not used. */
  reason?: string;
}

export interface RetrieverHost {
  /** Where hub models are kept (models/ inside it); default $DRPO_STUDIO_HOME or ~/.drpo-studio. */
  userDataDir?: string;
  /** A hub model's download, as it goes. */
  onDownload?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  /**
   * What ranked the examples in the run's earlier session. A run that fell back to BM25 keeps BM25
   * when resumed, even where the model can now be had: its cached calls were made with those examples.
   */
  previous?: RetrievalRecord;
}

export interface OpenedRetriever {
  retriever: ExampleRetriever<IclExample>;
  /** Releases the model. */
  dispose(): Promise<void>;
  retrieval: RetrievalRecord;
  /** The line to announce once when the requested model gave way to BM25. */
  warning?: string;
}

export function requestedName(choice: EmbedderChoice): string {
  if (choice === 'lexical') return 'bm25';
  if (choice.kind === 'hub') return `hub:${choice.model}`;
  if (choice.kind === 'transformers') return `transformers:${choice.modelDir}`;
  return `backend:${choice.backend}`;
}

export async function createRetriever(
  choice: EmbedderChoice,
  examples: IclExample[],
  backends: ReadonlyMap<string, Backend> = new Map(),
  host: RetrieverHost = {},
): Promise<OpenedRetriever> {
  const requested = requestedName(choice);
  const lexical = (used: string, reason?: string): OpenedRetriever => ({
    retriever: createLexicalRetriever(examples),
    dispose: async () => {},
    retrieval: { requested, used, ...(reason ? { reason } : {}) },
    ...(reason ? { warning: fallbackWarning(choice, reason) } : {}),
  });
  if (choice === 'lexical') return lexical('bm25');
  const kept = host.previous;
  // Announced when it happened, not again; the record alone, whatever else the caller's came with (a log line's seq).
  if (kept?.requested === requested && kept.used === 'bm25')
    return {
      ...lexical('bm25'),
      retrieval: { requested, used: 'bm25', ...(kept.reason ? { reason: kept.reason } : {}) },
    };
  // No model is fetched or loaded for nothing.
  if (examples.length === 0) return lexical('none');
  const opened = await openEmbedder(choice, backends, host);
  if ('reason' in opened) return lexical('bm25', opened.reason);
  return {
    retriever: createEmbeddingRetriever(examples, opened.embedder),
    dispose: () => opened.embedder.dispose(),
    retrieval: { requested, used: `embeddings:${requested}` },
  };
}

/**
 * The embedder of a model choice, loaded and checked on one text so that a model that cannot run
 * is found now, not mid-search; or the reason it cannot be had. A backend without embeddings is a
 * mistake of the config and throws.
 */
export async function openEmbedder(
  choice: Exclude<EmbedderChoice, 'lexical'>,
  backends: ReadonlyMap<string, Backend>,
  host: RetrieverHost,
): Promise<{ embedder: Embedder } | { reason: string }> {
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
    return { embedder };
  }
  let loaded: Embedder | undefined;
  const load = async (modelDir: string) => {
    const embedder = createTransformersEmbedder({ modelDir });
    try {
      await embedder.embed(['retrieval check']);
    } catch (error) {
      await embedder.dispose();
      throw error;
    }
    loaded = embedder;
  };
  try {
    if (choice.kind === 'hub') {
      const dir = await ensureHubModel({
        userDataDir: host.userDataDir ?? defaultUserDataDir(),
        model: choice.model,
        onProgress: host.onDownload,
        signal: host.signal,
        verify: load,
      });
      if (!loaded) await load(dir);
    } else await load(choice.modelDir);
  } catch (error) {
    if (host.signal?.aborted) throw new ModelCallError('aborted', 'cancelled while the embedding model loaded');
    return { reason: (error as Error).message };
  }
  return { embedder: loaded! };
}

/** The line that announces, once, that BM25 ranks the examples instead of the model asked for. */
export function fallbackWarning(choice: EmbedderChoice, reason: string): string {
  const name =
    choice === 'lexical'
      ? 'bm25'
      : choice.kind === 'hub'
        ? choice.model.split('/')[1]!
        : choice.kind === 'transformers'
          ? choice.modelDir
          : `backend "${choice.backend}"`;
  return `retrieval: ${name} unavailable (${reason}) — BM25 ranks the examples instead`;
}

/** Download progress as run events: each file's end, and a step of at least 1% of the whole between. */
export function downloadEvents(emit: (event: DownloadEvent) => void): (progress: DownloadProgress) => void {
  let last = 0;
  return (progress) => {
    const step = Math.max(1, (progress.total ?? 0) / 100);
    const fileDone = progress.fileTotal !== null && progress.fileBytes === progress.fileTotal;
    if (!fileDone && progress.bytes - last < step) return;
    last = progress.bytes;
    emit({ type: 'download', ...progress });
  };
}
