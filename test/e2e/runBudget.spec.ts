// Money and time in the studio: the New run form's estimate gives each role's tokens and dollars
// (the connection's model is gpt-4o-mini, priced in resources/prices.json at $0.15 / $0.60 per
// million tokens); a run started with a budget of $0.0002 shows what it has spent while it runs,
// pauses with the budget's reason, and goes on to the end once resumed with a higher budget. The
// server is local, its answers the scripted test model's, each taking 700 ms (long enough to watch the spend grow).
import { mkdirSync } from 'node:fs';
import type { ModelClient } from '../../src/plugins/contract.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';
import scripted from '../support/plugins/scripted/index.js';
import { collectPageErrors, SCREENSHOTS, shootWholePage } from './support/pages.js';
import { expect, test } from './support/studioServer.js';

let model: FakeOpenAIServer;

test.beforeAll(async () => {
  const answers = (await scripted.create({ latencyMs: 0 }, { baseDir: '.', log: () => {} })) as ModelClient;
  model = await FakeOpenAIServer.start(answers, { latencyMs: 700, modelId: 'gpt-4o-mini' });
});

test.afterAll(async () => {
  await model?.close();
});

test('a run with a budget: the estimate in tokens and dollars, the spend while it runs, a pause at the budget, a resume with a higher one', async ({
  page,
  studioServer,
}) => {
  const errors = collectPageErrors(page);
  const { studio } = studioServer;
  await studio.connections.save('priced', {
    plugin: 'openai',
    settings: { baseURL: model.baseURL, model: 'gpt-4o-mini' },
  });
  await page.goto(studioServer.url);
  await page.getByTestId('nav-runs').click();
  const form = page.getByTestId('new-run-form');
  await expect(form.getByLabel('Connection (all roles)')).toContainText('priced (openai)');
  await form.getByLabel('W (width)').fill('2');
  await form.getByLabel('M (samples)').fill('2');
  await form.getByLabel('D (depth)').fill('3');
  await form.getByTestId('run-budget-dollars').fill('0.0002');

  // The estimate: each role's tokens, and its dollars at gpt-4o-mini's price, as a range.
  await form.getByTestId('estimate-run').click();
  const estimate = form.getByTestId('run-estimate');
  await expect(estimate.getByTestId('estimate-dollars-judge')).toHaveText(/^\$[\d.]+–\$[\d.]+$/);
  await expect(estimate.getByTestId('estimate-dollars-total')).toHaveText(/^\$[\d.]+–\$[\d.]+$/);
  await expect(estimate.getByTestId('estimate-tokens-total')).toHaveText(/^[\d.]+[KM]$/);
  const estimated = await studio.runs.estimate({
    stage: 'system-prompt',
    config: { backends: { main: { connection: 'priced' } }, search: { width: 2, samples: 2, depth: 3 } },
  });
  // The judge's upper figure is its worst-case tokens at $0.15 / $0.60 per million.
  const judge = estimated.tokens.judge!;
  expect(estimated.cost.judge!.dollars!.upTo).toBeCloseTo((judge.prompt * 0.15 + judge.completion * 0.6) / 1e6, 12);

  await form.getByTestId('start-run').click();
  const view = page.getByTestId('run-view');
  // While it runs: what it has spent against its budget.
  await expect(view.getByTestId('spent')).toHaveText(/^spent \$[\d.]+ of \$0\.0002, [\d,]+ tokens$/, {
    timeout: 30_000,
  });
  await expect(view.getByTestId('run-view-status')).toHaveText(/^paused/, { timeout: 60_000 });
  await expect(view.getByTestId('run-pause-reason')).toHaveText(
    /^Paused: budget of \$0\.0002 reached \(\$0\.\d+ spent\) — resume with a higher budget, or cancel\./,
  );
  const [run] = await studio.runs.list();
  expect(run).toMatchObject({ status: 'paused' });
  const paused = await studio.runs.get(run!.id);
  expect(paused.config).toMatchObject({ budget: { dollars: 0.0002 } });
  mkdirSync(SCREENSHOTS, { recursive: true });
  await shootWholePage(page, 'run-budget.png');

  await view.getByTestId('resume-budget-dollars').fill('1');
  await view.getByTestId('resume-with-budget-run').click();
  await expect(view.getByTestId('run-view-status')).toHaveText(/^finished/, { timeout: 60_000 });
  await expect(view.getByTestId('resume-with-budget')).toHaveCount(0);
  const finished = await studio.runs.get(run!.id);
  expect(finished.status).toBe('finished');
  expect(errors).toEqual([]);
});
