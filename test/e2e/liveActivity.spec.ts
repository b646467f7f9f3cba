// The studio shows what a running run or experiment is doing: its calls in flight and its time
// left in its view, and each connection in use on the Connections screen (limit, why, calls), all
// live. The model is the scripted test model behind an OpenAI-compatible server in this process
// whose every answer takes 700 ms, so a small run lasts long enough to be watched; both forms send
// concurrency 'auto', their default. Runs and experiments are started through the page.

import type { ModelClient } from '../../src/plugins/contract.js';
import type { StudioApi } from '../../src/shared/studioApi.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';
import scripted from '../support/plugins/scripted/index.js';
import { collectPageErrors, isCall } from './support/pages.js';
import { expect, test } from './support/studioServer.js';

let model: FakeOpenAIServer;

test.beforeAll(async () => {
  const answers = (await scripted.create({ latencyMs: 0 }, { baseDir: '.', log: () => {} })) as ModelClient;
  model = await FakeOpenAIServer.start(answers, { latencyMs: 700 });
});

test.afterAll(async () => {
  await model?.close();
});

/** The connection both tests run on: the slow local server. */
const saveSlowConnection = (studio: StudioApi) =>
  studio.connections.save('slow', { plugin: 'openai', settings: { baseURL: model.baseURL, model: 'stories260K' } });

/** A whole number of seconds or minutes, as formatDuration writes them. */
const TIME_LEFT = /^about (\d+ s|\d+ min( \d+ s)?) left$/;

test('a run shows its calls in flight and its time left; the Connections screen, what its connection is doing', async ({
  page,
  studioServer,
}) => {
  const errors = collectPageErrors(page);
  await saveSlowConnection(studioServer.studio);
  await page.goto(studioServer.url);
  await page.getByTestId('nav-connections').click();
  await expect(page.getByTestId('connection-slow').getByTestId('connection-profile')).toHaveText(/^Not probed yet/);
  await page.getByTestId('nav-runs').click();
  const form = page.getByTestId('new-run-form');
  await expect(form.getByLabel('Connection (all roles)')).toContainText('slow (openai)');
  // W=2, M=2, D=5: about 15 s of 700 ms answers.
  await form.getByLabel('W (width)').fill('2');
  await form.getByLabel('M (samples)').fill('2');
  await form.getByLabel('D (depth)').fill('5');
  await expect(form.getByTestId('run-concurrency-mode')).toHaveValue('auto');
  await expect(form.getByTestId('run-concurrency')).toHaveCount(0);
  const started = page.waitForResponse((response) => isCall(response.url(), 'runs/start'));
  await form.getByTestId('start-run').click();
  const [request] = ((await started).request().postDataJSON() as { args: [{ config: { backends: unknown } }] }).args;
  expect(request.config.backends).toEqual({ main: { connection: 'slow', concurrency: 'auto' } });

  // The run's view: its calls in flight at once, its time left once the optimizer has answered.
  const live = page.getByTestId('run-view').getByTestId('live-activity');
  await expect(live.getByTestId('live-in-flight')).toHaveText(/^[1-9]\d* in flight$/);
  await expect(live.getByTestId('time-left')).toHaveText(TIME_LEFT, { timeout: 30_000 });

  // The Connections screen while the run goes on: the connection in use, its limit found by 'auto', why.
  await page.getByTestId('nav-connections').click();
  const panel = page.getByTestId('connection-activity');
  const row = panel.getByTestId('connection-activity-slow');
  await expect(row.getByTestId('activity-in-flight')).toHaveText(/^[1-9]\d*$/);
  await expect(row.getByTestId('activity-limit')).toContainText(/^\d+ \(auto\)/);
  await expect(row.getByTestId('activity-limit')).toContainText(/probing from 1|latency|refused/);
  // What the run's first use of the connection found the server really does (the probe, kept).
  await expect(page.getByTestId('connection-slow').getByTestId('connection-profile')).toHaveText(
    /JSON on chat: .+; n>1: yes; usage in streams: yes/,
  );
  // Once the run is over nothing uses the connection.
  await expect(panel).toContainText('No run or experiment is using a connection.', { timeout: 60_000 });
  expect(errors).toEqual([]);
});

test('an experiment shows its calls in flight and its time left while it runs, and nothing once finished', async ({
  page,
  studioServer,
}) => {
  const errors = collectPageErrors(page);
  await saveSlowConnection(studioServer.studio);
  await studioServer.studio.datasets.save({
    name: 'questions',
    kind: 'eval-set',
    items: Array.from({ length: 8 }, (_, i) => ({ query: `Question number ${i}?`, id: String(i) })),
  });
  await page.goto(studioServer.url);
  await page.getByTestId('nav-experiments').click();
  const screen = page.getByTestId('screen-experiments');
  const form = screen.getByTestId('new-experiment-form');
  await expect(form.getByTestId('eval-dataset')).toHaveValue('questions');
  await expect(form.getByTestId('concurrency-mode')).toHaveValue('auto');
  const started = page.waitForResponse((response) => isCall(response.url(), 'experiments/start'));
  await form.getByTestId('start-experiment').click();
  const [request] = ((await started).request().postDataJSON() as { args: [{ config: { backends: unknown } }] }).args;
  expect(request.config.backends).toEqual({ 'conn-slow': { connection: 'slow', concurrency: 'auto' } });

  // 8 answers and 8 judgments of 700 ms: seconds of calls in flight, a time left once one is judged.
  const view = screen.getByTestId('experiment-view');
  const live = view.getByTestId('live-activity');
  await expect(live.getByTestId('live-in-flight')).toHaveText(/^[1-9]\d* in flight$/);
  await expect(live.getByTestId('time-left')).toHaveText(TIME_LEFT, { timeout: 30_000 });
  await expect(view.getByTestId('experiment-status')).toHaveText('finished', { timeout: 60_000 });
  await expect(live).toHaveCount(0);
  expect(errors).toEqual([]);
});
