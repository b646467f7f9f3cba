// Runs side by side: a small run on the scripted test model (behind an OpenAI-compatible server in
// this process) and the paper's published search for mistral-7b-v0.1, ticked in the run list and
// compared — reward by depth overlaid (a line each), the best prompts diffed word by word, calls,
// tokens, cost and wall time in a table — then "Run again with changes" fills the New run form
// with the run's connection and search size, from the comparison and from the run's own view,
// and lists what it cannot hold (here an initial prompt, a temperature, a history size).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ModelClient } from '../../src/plugins/contract.js';
import type { StudioApi } from '../../src/shared/studioApi.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';
import scripted from '../support/plugins/scripted/index.js';
import { collectPageErrors, isCall, shootWholePage } from './support/pages.js';
import { expect, repoRoot, test } from './support/studioServer.js';

const TRACE = path.resolve(repoRoot, '../shared/reference/drpo/optimized-prompts/mistral-7b-v0.1/trace.json');

let model: FakeOpenAIServer;

test.beforeAll(async () => {
  const answers = (await scripted.create({ latencyMs: 0 }, { baseDir: '.', log: () => {} })) as ModelClient;
  model = await FakeOpenAIServer.start(answers);
});

test.afterAll(async () => {
  await model?.close();
});

/** W 2 × M 2 × D 3 on three seed queries (a level asks one), every role on `local`. */
const SEARCH = { algorithm: 'beam', width: 2, samples: 2, depth: 3 } as const;

async function finishedRun(studio: StudioApi, more: Record<string, unknown> = {}): Promise<string> {
  const { id } = await studio.runs.start({
    stage: 'system-prompt',
    config: {
      backends: { main: { connection: 'local' } },
      search: SEARCH,
      retrieval: { k: 1 },
      data: { limit: 3 },
      ...more,
    },
  });
  await expect
    .poll(async () => (await studio.runs.list()).find((r) => r.id === id)?.status, { timeout: 60_000 })
    .toBe('finished');
  return id;
}

test('two runs side by side: overlaid chart, prompt diff, figures; run again with changes', async ({
  page,
  studioServer,
}) => {
  const errors = collectPageErrors(page);
  const { studio } = studioServer;
  const connection = { plugin: 'openai', settings: { baseURL: model.baseURL, model: 'stories260K' } };
  // The form offers the first saved connection by default: the run's own comes second.
  await studio.connections.save('a-first', connection);
  await studio.connections.save('local', connection);
  const runId = await finishedRun(studio);
  const { id: traceId } = await studio.runs.importTrace({
    model: 'mistral-7b-v0.1',
    content: readFileSync(TRACE, 'utf8'),
  });
  const run = (await studio.runs.get(runId)) as unknown as {
    calls: number;
    result: {
      bestPrompt: string;
      calls: Record<string, { promptTokens: number; completionTokens: number }>;
    };
  };
  const tracePrompt = ((await studio.runs.get(traceId)).result as { bestPrompt: string }).bestPrompt;

  await page.goto(studioServer.url);
  const rowOf = (id: string) => page.getByTestId('run-row').filter({ hasText: id.split('-').at(-1)! });
  // The run first: its prompt is the baseline the trace's is diffed against.
  await rowOf(runId).getByTestId('run-compare').check();
  await expect(page.getByTestId('compare-runs-button')).toBeDisabled();
  await rowOf(traceId).getByTestId('run-compare').check();
  await page.getByTestId('compare-runs-button').click();

  const compare = page.getByTestId('compare-runs');
  await expect(compare.getByRole('heading', { name: 'Comparing 2 runs' })).toBeVisible();

  // The table, a column per run: the run's figures from its result; the trace published none.
  const table = compare.getByTestId('compare-table');
  await expect(table.locator('thead th')).toHaveText(['', runId, 'mistral-7b-v0.1 (published)']);
  const cell = (testId: string, id: string) => table.locator(`[data-testid="${testId}"][data-run="${id}"]`);
  const tokens = Object.values(run.result.calls).reduce((s, t) => s + t.promptTokens + t.completionTokens, 0);
  expect(tokens).toBeGreaterThan(0);
  await expect(cell('compare-search', runId)).toHaveText('W 2 × M 2 × D 3');
  await expect(cell('compare-calls', runId)).toHaveText(String(run.calls));
  await expect(cell('compare-tokens', runId)).toHaveText(tokens.toLocaleString('en-US'));
  // A local server has no price.
  await expect(cell('compare-cost', runId)).toHaveText('$0.0000');
  await expect(cell('compare-wall', runId)).toHaveText(/^\d+ s$/);
  await expect(cell('compare-best', traceId)).toHaveText('4.80');
  for (const testId of ['compare-search', 'compare-calls', 'compare-tokens', 'compare-cost', 'compare-wall'])
    await expect(cell(testId, traceId)).toHaveText('—');
  await expect(table.getByTestId('compare-run-again')).toHaveCount(1);

  // The chart: one line per run, named in the legend.
  const chart = compare.getByTestId('compare-chart');
  await expect(chart.locator('.recharts-line')).toHaveCount(2);
  await expect(chart.locator('.recharts-legend-item')).toHaveText([runId, 'mistral-7b-v0.1 (published)']);

  // The prompts: the run's in full, the trace's as changes from it, word by word.
  await expect(compare.getByTestId('compare-prompt')).toHaveCount(2);
  await expect(compare.locator(`[data-testid="compare-prompt"][data-run="${runId}"] .node-diff`)).toHaveText(
    run.result.bestPrompt,
  );
  const traceDiff = compare.locator(`[data-testid="compare-prompt"][data-run="${traceId}"] .node-diff`);
  const inserted = await traceDiff.locator('ins').allTextContents();
  const deleted = await traceDiff.locator('del').allTextContents();
  expect(inserted.length).toBeGreaterThan(0);
  expect(deleted.length).toBeGreaterThan(0);
  for (const words of inserted) expect(tracePrompt).toContain(words);
  for (const words of deleted) expect(run.result.bestPrompt).toContain(words);
  // What is neither inserted nor deleted reads the same in both.
  const kept = await traceDiff.locator(':scope > span').allTextContents();
  for (const words of kept) expect(tracePrompt).toContain(words);
  await shootWholePage(page, 'compare-runs.png');

  // Run again with changes: the run's config in the New run form.
  await table.getByTestId('compare-run-again').click();
  const form = page.getByTestId('new-run-form');
  await expect(form.getByTestId('run-again-notice')).toContainText(`Filled from run ${runId}`);
  await expect(form.getByTestId('run-again-not-carried')).toHaveCount(0);
  await expect(form.getByLabel('Connection (all roles)')).toHaveValue('local');
  await expect(form.getByLabel('Stage')).toHaveValue('system-prompt');
  await expect(form.getByLabel('W (width)')).toHaveValue('2');
  await expect(form.getByLabel('M (samples)')).toHaveValue('2');
  await expect(form.getByLabel('D (depth)')).toHaveValue('3');
  await expect(form.getByLabel('K (examples)')).toHaveValue('1');
  await expect(form.getByLabel('Seed queries (first N)')).toHaveValue('3');
  // The config the form would start is the run's own.
  await form.getByLabel('D (depth)').fill('4');
  const estimated = page.waitForRequest((request) => isCall(request.url(), 'runs/estimate'));
  await form.getByTestId('estimate-run').click();
  const [request] = ((await estimated).postDataJSON() as { args: [{ config: Record<string, unknown> }] }).args;
  expect(request.config).toMatchObject({
    backends: { main: { connection: 'local', concurrency: 'auto' } },
    search: { ...SEARCH, depth: 4 },
    retrieval: { k: 1 },
    data: { limit: 3 },
  });

  // From the run's own view too; a published trace has no config to run again.
  await form.getByRole('button', { name: 'Start from the defaults' }).click();
  await expect(form.getByTestId('run-again-notice')).toHaveCount(0);
  await expect(form.getByLabel('Connection (all roles)')).toHaveValue('a-first');
  await rowOf(runId)
    .getByRole('button', { name: `Open run ${runId}` })
    .click();
  const view = page.getByTestId('run-view');
  await expect(compare).toHaveCount(0);
  await view.getByTestId('run-again').click();
  await expect(form.getByTestId('run-again-notice')).toContainText(`Filled from run ${runId}`);
  await expect(form.getByLabel('Connection (all roles)')).toHaveValue('local');
  await expect(form.getByLabel('D (depth)')).toHaveValue('3');
  // A run whose config the form cannot hold whole says what it leaves behind.
  const otherId = await finishedRun(studio, {
    initialPrompt: 'Be brief.',
    roles: { optimizer: { temperature: 0.7 } },
    search: { ...SEARCH, depth: 1, historySize: 3 },
  });
  await rowOf(otherId)
    .getByRole('button', { name: `Open run ${otherId}` })
    .click();
  await view.getByTestId('run-again').click();
  await expect(form.getByTestId('run-again-notice')).toContainText(`Filled from run ${otherId}`);
  await expect(form.getByTestId('run-again-not-carried').locator('li')).toHaveText([
    'roles.optimizer.temperature = 0.7',
    'initialPrompt = "Be brief."',
    'search.historySize = 3',
  ]);
  await expect(form.getByLabel('Connection (all roles)')).toHaveValue('local');
  await expect(form.getByLabel('D (depth)')).toHaveValue('1');

  await rowOf(traceId)
    .getByRole('button', { name: `Open run ${traceId}` })
    .click();
  await expect(view.getByTestId('run-read-only')).toBeVisible();
  await expect(view.getByTestId('run-again')).toHaveCount(0);
  expect(errors).toEqual([]);
});
