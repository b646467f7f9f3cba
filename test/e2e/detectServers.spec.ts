// Detect on the Connections screen: two servers added by address (a fake Ollama and a fake
// llama.cpp server) are listed with their models and context sizes, a closed address is listed
// muted with its reason, and nothing is saved until "Save as connection".
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ScriptedModel } from '../helpers/scriptedModel.js';
import { FakeOllamaServer } from '../support/fakeOllamaServer.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';
import { closedPort } from '../support/pluginTestKit.js';
import { collectPageErrors, SCREENSHOTS } from './support/pages.js';
import { expect, startStudioServer, test } from './support/studioServer.js';

test('detect lists the servers found with their models, the silent addresses with why, and saves the one chosen', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  const model = new ScriptedModel(() => 'Hi.');
  const ollama = await FakeOllamaServer.start(model, {
    models: [
      { name: 'llama3.2:3b', contextLength: 131072, family: 'llama' },
      { name: 'gemma3:1b', contextLength: 32768, family: 'gemma3' },
    ],
  });
  const llamaCpp = await FakeOpenAIServer.start(model, {
    modelId: 'tiny.gguf',
    maxModelLen: 2048,
    quirks: FakeOpenAIServer.llamaCppQuirks,
  });
  const closed = `http://127.0.0.1:${await closedPort()}`;
  const studioServer = await startStudioServer();
  try {
    await page.goto(studioServer.url);
    await page.getByTestId('nav-connections').click();
    const panel = page.getByTestId('detect-servers');
    for (const address of [ollama.url, llamaCpp.baseURL, closed]) {
      await panel.getByLabel('Also try an address').fill(address);
      await panel.getByTestId('detect-add-address').click();
      await expect(panel.getByTestId('detect-run')).toHaveText('Detect');
    }

    const ollamaItem = panel.locator(`[data-testid="detected-server"][data-address="${ollama.url}"]`);
    await expect(ollamaItem.getByTestId('detected-kind')).toHaveText('Ollama');
    await expect(ollamaItem.getByTestId('detected-model')).toHaveText([
      'llama3.2:3b — context 131,072 tokens',
      'gemma3:1b — context 32,768 tokens',
    ]);
    const llamaItem = panel.locator(`[data-testid="detected-server"][data-address="${llamaCpp.origin}"]`);
    await expect(llamaItem.getByTestId('detected-kind')).toHaveText('llama.cpp server');
    await expect(llamaItem.getByTestId('detected-model').first()).toHaveText('tiny.gguf — context 2,048 tokens');
    await expect(panel.locator(`[data-testid="detect-silent-address"][data-address="${closed}"]`)).toHaveText(
      `${closed}: nothing listens there (connection refused)`,
    );
    expect(await studioServer.studio.connections.list()).toEqual({});
    mkdirSync(SCREENSHOTS, { recursive: true });
    await panel.screenshot({ path: path.join(SCREENSHOTS, 'detect-servers.png') });

    await expect(ollamaItem.getByTestId('detected-name')).toHaveValue('ollama-llama3.2-3b');
    await ollamaItem.getByTestId('detected-name').fill('home-ollama');
    await ollamaItem.getByTestId('detected-model-choice').selectOption('gemma3:1b');
    await ollamaItem.getByTestId('detected-save').click();
    await expect(ollamaItem.getByTestId('detected-saved')).toHaveText('Saved as connection “home-ollama”.');
    await expect(page.getByTestId('connection-home-ollama')).toBeVisible();
    expect(await studioServer.studio.connections.list()).toMatchObject({
      'home-ollama': { plugin: 'ollama', settings: { host: ollama.url, model: 'gemma3:1b' } },
    });
    expect(errors).toEqual([]);
  } finally {
    await studioServer.stop();
    await ollama.close();
    await llamaCpp.close();
  }
});
