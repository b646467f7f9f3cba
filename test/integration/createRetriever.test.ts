import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/main/config/runConfig.js';
import { createRetriever } from '../../src/main/runs/createRetriever.js';
import { FakeHubServer } from '../support/fakeHubServer.js';

const modelDir = path.resolve(import.meta.dirname, '../../../shared/models/tiny-random-bert');
const examples = [
  { query: 'the model gave a worse answer', answer: 'a' },
  { query: 'it is raining in the city', answer: 'b' },
  { query: 'how do I bake bread', answer: 'c' },
];
const embedderOf = (retrieval?: unknown) =>
  normalizeConfig({ backends: { x: { plugin: 'llama-cpp' } }, ...(retrieval ? { retrieval } : {}) }, '/').retrieval
    .embedder;

describe('the retriever a run config asks for', () => {
  const userData = mkdtempSync(path.join(tmpdir(), 'drpo-retriever-'));
  afterAll(() => rmSync(userData, { recursive: true, force: true }));

  it('embeds with a local transformers.js model and ranks by cosine', async () => {
    const { retriever, dispose, retrieval } = await createRetriever(
      embedderOf({ k: 1, embedder: { kind: 'transformers', modelDir } }),
      examples,
    );
    expect(retrieval).toEqual({
      requested: `transformers:${modelDir}`,
      used: `embeddings:transformers:${modelDir}`,
    });
    expect(await retriever.topK('the model gave a better answer', 1)).toEqual([examples[0]]);
    await dispose();
  });

  it('ranks by BM25 over the example queries when the config says "lexical"', async () => {
    const { retriever, retrieval, warning } = await createRetriever(embedderOf({ embedder: 'lexical' }), examples);
    expect(retrieval).toEqual({ requested: 'bm25', used: 'bm25' });
    expect(warning).toBeUndefined();
    expect((await retriever.topK('bake some bread', 2)).map((e) => e.answer)).toEqual(['c', 'a']);
  });

  it("by default asks for the paper's model; with no hub to reach it falls back to BM25, with the reason", async () => {
    const { retriever, retrieval, warning } = await createRetriever(embedderOf(), examples, new Map(), {
      userDataDir: userData,
    });
    expect(retrieval).toMatchObject({ requested: 'hub:sentence-transformers/all-mpnet-base-v2', used: 'bm25' });
    expect(retrieval.reason).toMatch(/: connection refused$/);
    expect(warning).toBe(
      `retrieval: all-mpnet-base-v2 unavailable (${retrieval.reason}) — BM25 ranks the examples instead`,
    );
    expect((await retriever.topK('bake some bread', 2)).map((e) => e.answer)).toEqual(['c', 'a']);
  });

  it('a resumed run that fell back to BM25 keeps BM25, though the hub now serves the model; nothing is fetched', async () => {
    const hub = await FakeHubServer.start(modelDir);
    const closed = process.env.DRPO_STUDIO_HUB_URL;
    process.env.DRPO_STUDIO_HUB_URL = hub.baseURL;
    try {
      const requested = 'hub:sentence-transformers/all-mpnet-base-v2';
      const earlier = { requested, used: 'bm25', reason: 'config.json: connection refused' };
      const resumed = await createRetriever(embedderOf(), examples, new Map(), {
        userDataDir: userData,
        // As the log holds it: the record with its line's seq and time, which must not come back.
        previous: { seq: 4, ts: 1, type: 'retrieval', ...earlier } as typeof earlier,
      });
      expect(resumed.retrieval).toEqual(earlier);
      expect(resumed.warning).toBeUndefined(); // said when it happened
      expect(hub.requests).toEqual([]);
      expect((await resumed.retriever.topK('bake some bread', 2)).map((e) => e.answer)).toEqual(['c', 'a']);
      // A record of another choice (the config changed) binds nothing: the model is fetched and ranks.
      const other = { requested: 'transformers:/elsewhere', used: 'bm25' };
      const fresh = await createRetriever(embedderOf(), examples, new Map(), {
        userDataDir: userData,
        previous: other,
      });
      expect(fresh.retrieval).toEqual({ requested, used: `embeddings:${requested}` });
      expect(hub.requests.length).toBeGreaterThan(0);
      await fresh.dispose();
    } finally {
      process.env.DRPO_STUDIO_HUB_URL = closed;
      await hub.close();
    }
  });

  it('a local folder that does not hold a model gives way to BM25 too', async () => {
    const { retrieval, warning } = await createRetriever(
      embedderOf({ embedder: { kind: 'transformers', modelDir: userData } }),
      examples,
    );
    expect(retrieval.used).toBe('bm25');
    expect(retrieval.reason).toMatch(/^Could not load the embedding model in /);
    expect(warning).toMatch(new RegExp(`^retrieval: ${userData} unavailable \\(Could not load`));
  });

  it('fetches and loads nothing when there are no examples to rank', async () => {
    const { retrieval, warning } = await createRetriever(embedderOf(), [], new Map(), { userDataDir: userData });
    expect(retrieval).toEqual({ requested: 'hub:sentence-transformers/all-mpnet-base-v2', used: 'none' });
    expect(warning).toBeUndefined();
  });
});
