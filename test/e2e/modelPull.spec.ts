// The Connections screen's "Download a model": the catalog with sizes and licences, a download's
// progress bar with its speed and time left, Cancel, a clear refusal, and on success the new
// llama-cpp connection in the list. The hub is a local server ($DRPO_STUDIO_HUB_URL) serving
// ../shared/models/stories260K/stories260K.gguf and a 12,000,128-byte GGUF whose first 5 MiB
// chunk it keeps cutting, so that download stays in progress until the test cancels it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FakeGgufServer } from '../support/fakeGgufServer.js';
import { ggufFile } from '../support/ggufFile.js';
import { collectPageErrors } from './support/pages.js';
import { expect, repoRoot, startStudioServer, test } from './support/studioServer.js';

const STORIES = readFileSync(path.resolve(repoRoot, '../shared/models/stories260K/stories260K.gguf'));
const hubPath = (file: string) => FakeGgufServer.hubPath('ggml-org', 'models', file);

test('download a model from the Connections screen: catalog, progress, cancel, refusal, the connection saved', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  const hub = await FakeGgufServer.start();
  hub.files.set(hubPath('stories260K.gguf'), STORIES);
  hub.files.set(hubPath('big.gguf'), ggufFile([{ name: 'w', dims: [3_000_000], type: 0, bytes: 12_000_000 }]));
  hub.cuts = [{ path: hubPath('big.gguf'), start: 0, after: 1_000_000, times: Number.POSITIVE_INFINITY }];
  const server = await startStudioServer({ hubUrl: hub.baseURL });
  try {
    await page.goto(server.url);
    await page.getByTestId('nav-connections').click();
    await page.getByTestId('connections-empty').getByTestId('open-model-download').click();
    const panel = page.getByTestId('model-download');
    // The catalog (resources/models.json): the smallest first, with its published size and licence.
    const qwen = panel.getByTestId('catalog-qwen2.5-0.5b-instruct');
    await expect(qwen).toContainText('Qwen2.5 0.5B Instruct (Q4_K_M) 398.0 MB');
    await expect(qwen.getByRole('link', { name: 'Apache-2.0' })).toHaveAttribute(
      'href',
      'https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct/blob/main/LICENSE',
    );

    // In progress: chunks 1 and 2 arrive (6,757,248 bytes), chunk 0 never does.
    await panel.getByTestId('model-source').fill('hf:ggml-org/models/big.gguf');
    await panel.getByTestId('download-source').click();
    const bar = panel.getByRole('progressbar', { name: 'Downloading hf:ggml-org/models/big.gguf' });
    await expect(bar).toHaveAttribute('max', '12000128');
    await expect(panel.getByTestId('pull-progress')).toContainText(/ of 12\.0 MB, [\d.]+ [kM]B\/s, /);
    await panel.getByTestId('cancel-pull').click();
    await expect(panel.getByTestId('pull-cancelled')).toContainText('Download it again to resume');

    await panel.getByTestId('model-source').fill('hf:ggml-org/models/none.gguf');
    await panel.getByTestId('download-source').click();
    await expect(panel.getByTestId('pull-error')).toHaveText(
      'Download failed. the hub has no ggml-org/models/none.gguf (404)',
    );

    await panel.getByTestId('model-source').fill('hf:ggml-org/models/stories260K.gguf');
    await panel.getByTestId('download-source').click();
    await expect(page.getByTestId('connections-notice')).toContainText('Saved connection “stories260k”');
    await expect(page.getByRole('list', { name: 'Saved connections' })).toContainText('stories260k');
    await expect(panel).toHaveCount(0);
    expect(await server.studio.models.list()).toEqual([
      {
        file: 'stories260K.gguf',
        path: path.join(server.userDataDir, 'models/gguf/stories260K.gguf'),
        sizeBytes: 1185376,
      },
    ]);
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
    await hub.close();
  }
});
