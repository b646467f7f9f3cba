import { stat } from 'node:fs/promises';
import path from 'node:path';

import type { FeatureExtractionPipeline, ProgressInfo } from '@huggingface/transformers';

import type { Embedder } from './exampleRetriever.js';

export type EmbedderProgress = ProgressInfo;

export interface TransformersEmbedderOptions {
  /**
   * Folder holding a transformers.js feature-extraction model (`config.json`, `tokenizer.json`,
   * `tokenizer_config.json`, `onnx/model.onnx`). Relative paths resolve against `process.cwd()`.
   */
  modelDir: string;
  /**
   * Forwarded from the pipeline's `progress_callback` while the model loads. With a local folder
   * the events are file reads (the library still labels them "download"/"progress").
   */
  onProgress?: (progress: EmbedderProgress) => void;
  /** Texts per forward pass (default 32): bounds memory when embedding many examples. */
  batchSize?: number;
}

/**
 * Sentence embeddings with `@huggingface/transformers` (ONNX on the CPU): mean pooling over the
 * tokens, then L2 normalization, so the cosine similarity of two vectors is their dot product.
 *
 * The model loads lazily on the first `embed` and only once (concurrent first calls share the
 * load). `dispose()` releases it; a later `embed` would load it again.
 */
export function createTransformersEmbedder(options: TransformersEmbedderOptions): Embedder {
  const modelDir = path.resolve(options.modelDir);
  const modelName = path.basename(modelDir);
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 32));
  let loading: Promise<FeatureExtractionPipeline> | undefined;

  function getPipeline(): Promise<FeatureExtractionPipeline> {
    if (!loading) {
      const pending = loadPipeline(modelDir, modelName, options.onProgress);
      loading = pending;
      // Don't cache a failed load: the folder may appear later.
      pending.catch(() => {
        if (loading === pending) loading = undefined;
      });
    }
    return loading;
  }

  return {
    id: `transformers:${modelName}`,

    async embed(texts: string[]): Promise<Float32Array[]> {
      if (texts.length === 0) return [];
      const extractor = await getPipeline();
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        const batch = texts.slice(start, start + batchSize);
        const output = await extractor(batch, { pooling: 'mean', normalize: true });
        try {
          const [rows, dim] = output.dims;
          if (output.dims.length !== 2 || rows !== batch.length || !dim) {
            throw new Error(
              `Model ${modelDir} returned features of shape [${output.dims.join(', ')}] for ${batch.length} texts`,
            );
          }
          const data = output.data;
          if (!(data instanceof Float32Array)) {
            throw new Error(`Model ${modelDir} returned ${output.type} features, expected float32`);
          }
          for (let row = 0; row < rows; row++) {
            // slice copies, so the vectors outlive the tensor.
            vectors.push(data.slice(row * dim, (row + 1) * dim));
          }
        } finally {
          output.dispose();
        }
      }
      return vectors;
    },

    async dispose(): Promise<void> {
      const pending = loading;
      loading = undefined;
      if (!pending) return;
      let extractor: FeatureExtractionPipeline;
      try {
        extractor = await pending;
      } catch {
        return; // Never loaded: nothing to release.
      }
      await extractor.dispose();
    },
  };
}

/**
 * `env` is global to the library and the loader reads `localModelPath` while it reads each file,
 * so loads are serialized: two embedders with models in different folders cannot interleave.
 */
let loadQueue: Promise<unknown> = Promise.resolve();

async function loadPipeline(
  modelDir: string,
  modelName: string,
  onProgress: ((progress: EmbedderProgress) => void) | undefined,
): Promise<FeatureExtractionPipeline> {
  const info = await stat(modelDir).catch(() => undefined);
  if (!info) {
    throw new Error(`Embedding model folder not found: ${modelDir}`);
  }
  if (!info.isDirectory()) {
    throw new Error(`Embedding model path is not a folder: ${modelDir}`);
  }

  const run = loadQueue.then(async () => {
    // Imported here so that the lexical fallback never pays for loading onnxruntime.
    const { env, pipeline } = await import('@huggingface/transformers');
    // Local files only: a hub model is downloaded beforehand, checked, into the user-data folder
    // (store/modelStore.ts), never by the library.
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = path.dirname(modelDir) + path.sep;
    env.useFSCache = false; // the model folder may be read-only
    // The library resolves a name against `localModelPath` only if it looks like a hub id;
    // other names (spaces, "models--org--name" cache folders) are read as paths from the cwd,
    // so those get the absolute folder instead.
    const name = looksLikeHubId(modelName) ? modelName : modelDir;
    try {
      return await pipeline('feature-extraction', name, {
        device: 'cpu',
        dtype: 'fp32',
        ...(onProgress ? { progress_callback: onProgress } : {}),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`Could not load the embedding model in ${modelDir}: ${reason}`, { cause: error });
    }
  });
  loadQueue = run.catch(() => undefined);
  return run;
}

/** Mirrors transformers.js' `isValidHfModelId` for a single path segment. */
function looksLikeHubId(name: string): boolean {
  return (
    /^\b[\w\-.]{1,96}\b$/.test(name) &&
    !name.includes('..') &&
    !name.includes('--') &&
    !name.endsWith('.git') &&
    !name.endsWith('.ipynb')
  );
}
