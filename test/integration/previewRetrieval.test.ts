// The studio's retrieval preview (the ICL workbench; the playground ranks the same way) ranks with
// the paper's embedding model once it is downloaded, and by BM25 before: a preview never asks the
// hub for anything. tiny-random-bert, served as all-mpnet-base-v2, splits words into pieces, so
// "rain" is near "raining"; BM25 matches whole words only, so it finds nothing and keeps file order.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudioService } from '../../src/main/api/studioService.js';
import { ensureHubModel } from '../../src/main/store/modelStore.js';
import { FakeHubServer } from '../support/fakeHubServer.js';

const modelDir = path.resolve(import.meta.dirname, '../../../shared/models/tiny-random-bert');

describe('the retrieval preview', () => {
  let hub: FakeHubServer;
  const closedHub = process.env.DRPO_STUDIO_HUB_URL;
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'drpo-preview-'));

  beforeAll(async () => {
    hub = await FakeHubServer.start(modelDir);
    process.env.DRPO_STUDIO_HUB_URL = hub.baseURL;
  });
  afterAll(async () => {
    process.env.DRPO_STUDIO_HUB_URL = closedHub;
    await hub.close();
    rmSync(userDataDir, { recursive: true, force: true });
  });

  it('ranks by BM25 until the model is downloaded, then by its embeddings; it downloads nothing itself', async () => {
    const service = createStudioService({ userDataDir });
    try {
      const { api } = service;
      await api.datasets.save({
        name: 'examples',
        kind: 'icl-examples',
        items: [
          { query: 'how do I bake bread', answer: 'a' },
          { query: 'the model gave a worse answer', answer: 'b' },
          { query: 'it is raining in the city', answer: 'c' },
        ],
      });
      const first = async () => (await api.retrieval.preview('examples', 'rain', 1)).map((i) => i.answer);
      expect(await first()).toEqual(['a']);
      expect(hub.requests).toEqual([]);

      await ensureHubModel({ userDataDir, model: 'sentence-transformers/all-mpnet-base-v2' });
      hub.requests.length = 0;
      expect(await first()).toEqual(['c']);
      expect(hub.requests).toEqual([]);
    } finally {
      await service.close();
    }
  });
});
