import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/main/config/runConfig.js';
import { createRetriever } from '../../src/main/runs/createRetriever.js';

const modelDir = path.resolve(import.meta.dirname, '../../../shared/models/tiny-random-bert');
const examples = [
  { query: 'the model gave a worse answer', answer: 'a' },
  { query: 'it is raining in the city', answer: 'b' },
  { query: 'how do I bake bread', answer: 'c' },
];

describe('the retriever a run config asks for', () => {
  it('embeds with a local transformers.js model and ranks by cosine', async () => {
    const config = normalizeConfig(
      { backends: { x: { plugin: 'llama-cpp' } }, retrieval: { k: 1, embedder: { kind: 'transformers', modelDir } } },
      '/',
    );
    const { retriever, dispose } = createRetriever(config, examples);
    expect(await retriever.topK('the model gave a better answer', 1)).toEqual([examples[0]]);
    await dispose();
  });

  it('falls back to BM25 over the example queries without any model', async () => {
    const config = normalizeConfig({ backends: { x: { plugin: 'llama-cpp' } } }, '/');
    const { retriever } = createRetriever(config, examples);
    expect((await retriever.topK('bake some bread', 2)).map((e) => e.answer)).toEqual(['c', 'a']);
  });
});
