// The run view while the paper's embedding model downloads on a run's first use: a progress bar
// with the model and its bytes so far of the whole (47 066 bytes, the four files of
// ../shared/models/tiny-random-bert served in the hub's layout), gone once the download gives way
// to BM25. The hub sends half of onnx/model.onnx, then nothing, so the bar stays until the test
// closes the hub (a cut connection: the run falls back and says why).
import path from 'node:path';
import type { ModelClient } from '../../src/plugins/contract.js';
import { FakeHubServer } from '../support/fakeHubServer.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';
import scripted from '../support/plugins/scripted/index.js';
import { collectPageErrors } from './support/pages.js';
import { expect, repoRoot, startStudioServer, test } from './support/studioServer.js';

const TINY_BERT = path.resolve(repoRoot, '../shared/models/tiny-random-bert');

test('a run shows the embedding model download as a progress bar, and hides it once the download gave way to BM25', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  const answers = (await scripted.create({ latencyMs: 0 }, { baseDir: '.', log: () => {} })) as ModelClient;
  const model = await FakeOpenAIServer.start(answers);
  const hub = await FakeHubServer.start(TINY_BERT);
  hub.fault = { file: 'onnx/model.onnx', kind: 'stall' };
  const studioServer = await startStudioServer({ hubUrl: hub.baseURL });
  try {
    await studioServer.studio.connections.save('fake', {
      plugin: 'openai',
      settings: { baseURL: model.baseURL, model: 'stories260K' },
    });
    await page.goto(studioServer.url);
    await page.getByTestId('nav-runs').click();
    const form = page.getByTestId('new-run-form');
    await expect(form.getByLabel('Connection (all roles)')).toContainText('fake (openai)');
    await form.getByTestId('start-run').click();

    // The default retriever is the paper's model; the hub serves tiny-random-bert under its name.
    const view = page.getByTestId('run-view');
    const bar = view.getByRole('progressbar', { name: 'Downloading sentence-transformers/all-mpnet-base-v2' });
    await expect(bar).toHaveAttribute('max', '47066');
    const value = Number(await bar.getAttribute('value'));
    expect(value).toBeGreaterThan(0);
    expect(value).toBeLessThan(47066);
    await expect(view.getByTestId('run-download')).toHaveText(
      /^ ?Downloading sentence-transformers\/all-mpnet-base-v2: \d+\.\d of 47\.1 kB$/,
    );

    await hub.close();
    await expect(view.getByTestId('run-warnings')).toContainText('retrieval: all-mpnet-base-v2 unavailable', {
      timeout: 30_000,
    });
    await expect(view.getByTestId('run-download')).toHaveCount(0);
    expect(errors).toEqual([]);
  } finally {
    await studioServer.stop();
    await hub.close();
    await model.close();
  }
});
