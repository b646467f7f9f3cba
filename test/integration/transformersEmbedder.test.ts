import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { createEmbeddingRetriever } from '../../src/main/engine/retrieval/embeddingRetriever.js';
import type { Embedder } from '../../src/main/engine/retrieval/exampleRetriever.js';
import {
  createTransformersEmbedder,
  type EmbedderProgress,
} from '../../src/main/engine/retrieval/transformersEmbedder.js';

const modelDir = path.resolve(import.meta.dirname, '../../../shared/models/tiny-random-bert');

const norm = (v: Float32Array): number => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
const dot = (a: Float32Array, b: Float32Array): number => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);

/** Wraps an embedder and records every batch of texts it is asked to embed. */
function countingEmbedder(inner: Embedder): Embedder & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    id: inner.id,
    calls,
    embed(texts) {
      calls.push([...texts]);
      return inner.embed(texts);
    },
    dispose: () => inner.dispose(),
  };
}

describe('createTransformersEmbedder (tiny-random-bert)', () => {
  const progress: EmbedderProgress[] = [];
  const embedder = createTransformersEmbedder({ modelDir, onProgress: (p) => progress.push(p) });

  afterAll(async () => {
    await embedder.dispose();
  });

  it('gives unit-norm vectors of dimension 32, one per text, and reports load progress', async () => {
    const texts = ['The model gave a better answer.', 'hello', 'What is the capital of France?'];
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(texts.length);
    for (const vector of vectors) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector).toHaveLength(32);
      expect(norm(vector)).toBeCloseTo(1, 5);
    }
    expect(progress.some((p) => p.status === 'ready')).toBe(true);
    expect(await embedder.embed([])).toEqual([]);
  });

  it('gives the same vector for a text alone or inside a padded batch', async () => {
    const [alone] = await embedder.embed(['hello']);
    const [, inBatch] = await embedder.embed(['The model gave a much longer answer than needed.', 'hello']);
    expect(alone).toBeDefined();
    expect(inBatch).toBeDefined();
    expect(dot(alone!, inBatch!)).toBeCloseTo(1, 5);
  });

  it('puts similar sentences closer than unrelated ones', async () => {
    const [better, worse, unrelated] = await embedder.embed([
      'The model gave a better answer.',
      'The model gave a worse answer.',
      'It is raining in the city today.',
    ]);
    const similar = dot(better!, worse!);
    const different = dot(better!, unrelated!);
    expect(similar).toBeCloseTo(0.902, 2); // the value the model's README gives
    expect(similar).toBeGreaterThan(different + 0.3);
  });

  it('loads once when the first calls are concurrent', async () => {
    const events: EmbedderProgress[] = [];
    const fresh = createTransformersEmbedder({ modelDir, onProgress: (p) => events.push(p) });
    const results = await Promise.all([fresh.embed(['one']), fresh.embed(['two']), fresh.embed(['three'])]);
    expect(results.map((r) => r.length)).toEqual([1, 1, 1]);
    expect(events.filter((p) => p.status === 'ready')).toHaveLength(1);
    await fresh.dispose();
    await fresh.dispose(); // idempotent
  });

  it('accepts a model folder relative to the working directory', async () => {
    const relative = createTransformersEmbedder({ modelDir: path.relative(process.cwd(), modelDir) });
    expect(relative.id).toBe('transformers:tiny-random-bert');
    const [vector] = await relative.embed(['relative path']);
    expect(vector).toHaveLength(32);
    await relative.dispose();
  });

  it('loads from a folder whose name is not a hub id (e.g. a "models--org--name" cache folder)', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'drpo-embedder-'));
    try {
      const oddDir = path.join(tmp, 'models--org--tiny bert');
      await cp(modelDir, oddDir, { recursive: true });
      const odd = createTransformersEmbedder({ modelDir: oddDir });
      const [vector] = await odd.embed(['The model gave a better answer.']);
      const [reference] = await embedder.embed(['The model gave a better answer.']);
      expect(dot(vector!, reference!)).toBeCloseTo(1, 5);
      await odd.dispose();
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it('fails with an error naming the folder when it does not exist', async () => {
    const missingDir = path.join(path.dirname(modelDir), 'no-such-model');
    const missing = createTransformersEmbedder({ modelDir: missingDir });
    await expect(missing.embed(['x'])).rejects.toThrow(missingDir);
    await expect(missing.embed(['x'])).rejects.toThrow(/not found/);
    await missing.dispose();
  });
});

describe('createEmbeddingRetriever with tiny-random-bert', () => {
  const items = [
    { id: 'capital', query: 'What is the capital of France?' },
    { id: 'better', query: 'The model gave a better answer to the question.' },
    { id: 'poem', query: 'Write a short poem about the sea.' },
    { id: 'worse', query: 'The model gave a worse answer.' },
    { id: 'weather', query: 'It is raining in the city today.' },
  ];
  const inner = createTransformersEmbedder({ modelDir });

  afterAll(async () => {
    await inner.dispose();
  });

  it('returns the two most similar examples, best first', async () => {
    const retriever = createEmbeddingRetriever(items, inner);
    const top = await retriever.topK('The model gave a better answer.', 2);
    expect(top.map((item) => item.id)).toEqual(['better', 'worse']);
    expect(top[0]).toBe(items[1]);
  });

  it('bounds k and is deterministic', async () => {
    const retriever = createEmbeddingRetriever(items, inner);
    expect(await retriever.topK('The model gave a better answer.', 0)).toEqual([]);
    expect(await retriever.topK('The model gave a better answer.', -1)).toEqual([]);
    const all = await retriever.topK('Where is the capital city?', 99);
    expect(all).toHaveLength(items.length);
    expect(all[0]?.id).toBe('capital');
    expect(await retriever.topK('Where is the capital city?', 99)).toEqual(all);
    expect(await createEmbeddingRetriever(items, inner).topK('Where is the capital city?', 99)).toEqual(all);
  });

  it('embeds the examples once, even when the first topK calls are concurrent', async () => {
    const counting = countingEmbedder(inner);
    const retriever = createEmbeddingRetriever(items, counting);
    expect(counting.calls).toHaveLength(0); // lazy: nothing before the first topK

    const queries = ['better answer', 'poem about the sea', 'capital of France'];
    const results = await Promise.all(queries.map((q) => retriever.topK(q, 2)));
    await retriever.topK('raining today', 1);

    const itemQueries = items.map((item) => item.query);
    expect(counting.calls.filter((texts) => texts.length === itemQueries.length)).toEqual([itemQueries]);
    // Besides that one call, one call per topK for its own query.
    expect(counting.calls).toHaveLength(1 + queries.length + 1);
    expect(results.map((r) => r.length)).toEqual([2, 2, 2]);
    expect(results[1]?.[0]?.id).toBe('poem');
    expect(results[2]?.[0]?.id).toBe('capital');
  });

  it('does not embed anything when there is nothing to return', async () => {
    const counting = countingEmbedder(inner);
    await createEmbeddingRetriever(items, counting).topK('anything', 0);
    await createEmbeddingRetriever([], counting).topK('anything', 3);
    expect(counting.calls).toEqual([]);
  });
});
