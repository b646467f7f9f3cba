// The first-run guide, as a new user meets it: a studio with no connection opens on the guide;
// "Find a local server" detects an OpenAI-compatible server at an address the user adds (the
// usual local addresses answer nothing here; the fake speaks vLLM's API); nothing is saved until the user saves it; the
// ready-made small run then starts on that connection and runs to its end. The server's model is
// scripted, so the run's replies are well-formed and it finishes in seconds.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ModelClient } from '../../src/plugins/contract.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';
import scripted from '../support/plugins/scripted/index.js';
import { collectPageErrors, SCREENSHOTS } from './support/pages.js';
import { expect, startStudioServer, test } from './support/studioServer.js';

test('first run: the guide detects a local server, saves it when asked, and starts the small run', async ({ page }) => {
  const errors = collectPageErrors(page);
  const answers = (await scripted.create({ latencyMs: 0 }, { baseDir: '.', log: () => {} })) as ModelClient;
  const server = await FakeOpenAIServer.start(answers);
  const studioServer = await startStudioServer();
  const { studio } = studioServer;
  try {
    await page.goto(studioServer.url);
    const guide = page.getByTestId('getting-started');
    await expect(guide.getByRole('heading', { name: 'Get started' })).toBeVisible();
    await expect(guide).toContainText('sends nothing anywhere except to the model servers you configure');

    await guide.getByTestId('guide-detect').click();
    const panel = guide.getByTestId('detect-servers');
    // The guide detects at once: the usual local addresses are probed before any address is added.
    await expect(panel.getByTestId('detect-none').or(panel.getByTestId('detected-server')).first()).toBeVisible();
    await panel.getByLabel('Also try an address').fill(server.origin);
    await panel.getByTestId('detect-add-address').click();
    const found = panel.locator(`[data-testid="detected-server"][data-address="${server.origin}"]`);
    await expect(found.getByTestId('detected-model').first()).toHaveText(/^stories260K/);
    // The fake answers /v1/models as vLLM does (owned_by "vllm"), so it is offered for the vLLM plugin.
    await expect(found.getByTestId('detected-kind')).toHaveText('vLLM');
    mkdirSync(SCREENSHOTS, { recursive: true });
    await guide.screenshot({ path: path.join(SCREENSHOTS, 'first-run.png') });
    // Detect saves nothing by itself.
    expect(await studio.connections.list()).toEqual({});

    await found.getByTestId('detected-name').fill('my-server');
    await found.getByTestId('detected-save').click();
    await expect(guide.getByTestId('guide-connected')).toHaveText('Connected: my-server.');
    const saved = await studio.connections.list();
    expect(Object.keys(saved)).toEqual(['my-server']);
    expect(saved).toMatchObject({
      'my-server': { plugin: 'vllm', settings: { endpoints: [server.baseURL], model: 'stories260K' } },
    });

    // The ready-made run as the guide states it (starterRun.ts), with its calls counted before it starts.
    const starter = guide.getByTestId('starter-run');
    await expect(starter).toContainText('the first 2 seed queries, beam width 2, 2 rewrites per prompt, depth 2');
    await expect(starter).toContainText(/: \d+ model calls \(up to \d+\)\./);
    await starter.getByTestId('start-starter-run').click();

    const view = page.getByTestId('run-view');
    await expect(view).toBeVisible();
    await expect(guide).toHaveCount(0);
    await expect(view.getByTestId('run-view-status')).toHaveText(/^finished/, { timeout: 60_000 });
    const [run] = await studio.runs.list();
    expect(run).toMatchObject({ stage: 'system-prompt', status: 'finished' });
    const detail = await studio.runs.get(run!.id);
    expect(detail.config).toMatchObject({
      search: { width: 2, samples: 2, depth: 2 },
      retrieval: { k: 1 },
      data: { limit: 2 },
    });
    expect(errors).toEqual([]);
  } finally {
    await studioServer.stop();
    await server.close();
  }
});
