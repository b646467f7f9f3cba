// The New run form's "Published aspect selections" field: an ICL run started through the page
// with the reference's ICL selections (../shared/reference/drpo/icl_metrics_cache.json) asks the
// selector only about the example the file lacks. The model is the scripted test model behind an
// OpenAI-compatible server in this process.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ModelClient } from '../../src/plugins/contract.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';
import scripted from '../support/plugins/scripted/index.js';
import { collectPageErrors, isCall } from './support/pages.js';
import { expect, test } from './support/studioServer.js';

const DRPO = path.resolve(import.meta.dirname, '../../../shared/reference/drpo');
const ICL_SELECTIONS = path.join(DRPO, 'icl_metrics_cache.json');

let model: FakeOpenAIServer;

test.beforeAll(async () => {
  const answers = (await scripted.create({ latencyMs: 0 }, { baseDir: '.', log: () => {} })) as ModelClient;
  model = await FakeOpenAIServer.start(answers);
});

test.afterAll(async () => {
  await model?.close();
});

test('an ICL run imports the selections named in the New run form; only the example the file lacks is asked', async ({
  page,
  studioServer,
}) => {
  const errors = collectPageErrors(page);
  const { studio } = studioServer;
  await studio.connections.save('local', {
    plugin: 'openai',
    settings: { baseURL: model.baseURL, model: 'stories260K' },
  });
  // Two of the reference's base examples (both in the file) and one of our own (not in it).
  const base = Object.keys(JSON.parse(readFileSync(path.join(DRPO, 'base_icl_examples.json'), 'utf8')) as object);
  await studio.datasets.save({
    name: 'mixed',
    kind: 'icl-examples',
    items: [
      { query: base[0]!, answer: 'A first draft.' },
      { query: base[1]!, answer: 'A first draft.' },
      { query: 'How do tides work?', answer: 'The moon pulls the sea.' },
    ],
  });

  await page.goto(studioServer.url);
  const form = page.getByTestId('new-run-form');
  await expect(form.getByLabel('Connection (all roles)')).toContainText('local (openai)');
  await form.getByLabel('Stage').selectOption('icl');
  await form.getByLabel('D (depth)').fill('2');
  await form.getByText('Per-role connections and limits').click();
  await form.getByTestId('icl-dataset').selectOption('mixed');
  const field = form.getByLabel('Published aspect selections (file)');
  await expect(field).toHaveValue('');
  await field.fill(ICL_SELECTIONS);

  const started = page.waitForResponse((response) => isCall(response.url(), 'runs/start'));
  await form.getByTestId('start-run').click();
  const response = await started;
  const [request] = (response.request().postDataJSON() as { args: [{ config: { reward?: unknown } }] }).args;
  expect(request.config.reward).toEqual({ selections: ICL_SELECTIONS });
  const { result } = (await response.json()) as { result: { id: string } };
  await expect(page.getByTestId('run-view-status')).toHaveText('finished', { timeout: 60_000 });

  const run = (await studio.runs.get(result.id)) as unknown as {
    result: { calls: { selector: { calls: number } }; importedSelections: unknown };
  };
  expect(run.result.calls.selector.calls).toBe(1);
  expect(run.result.importedSelections).toEqual({ file: ICL_SELECTIONS, used: 2, unusable: 0 });
  expect(errors).toEqual([]);
});
