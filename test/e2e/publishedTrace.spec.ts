// The paper's published search for mistral-7b-v0.1 (../shared/reference/…/trace.json) opened from
// the Runs screen as a user would: labelled in the run list as the model's published trace, its
// levels in the beam view, a level's prompt and scores in the inspector (its query and answer "not
// published"), and no Resume, Fork or Export. A trace whose prompt carries markup shows it as text
// and runs none of it; a bad score and a file without a model name are refused with the reason.
import path from 'node:path';
import { collectPageErrors, isCall } from './support/pages.js';
import { expect, repoRoot, test } from './support/studioServer.js';

const TRACE = path.resolve(repoRoot, '../shared/reference/drpo/optimized-prompts/mistral-7b-v0.1/trace.json');

/** A one-level trace of the published shape. */
function traceFile(name: string, prompt: string, score = '5') {
  const level = { Prompt: prompt, 'Evaluation of the prompt': { Safety: { rationale: 'Refuses plainly.', score } } };
  return { name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ 'level 1': level })) };
}

test('a published trace opens as a read-only run: its levels in the beam view, a prompt in the inspector', async ({
  page,
  studioServer,
}) => {
  const errors = collectPageErrors(page);
  await page.goto(studioServer.url);
  const screen = page.getByTestId('screen-runs');
  await expect(screen).toBeVisible();
  const traces = screen.getByTestId('published-traces');

  await traces.getByTestId('trace-model').fill('mistral-7b-v0.1');
  const opened = page.waitForResponse((response) => isCall(response.url(), 'runs/importTrace'));
  await traces.getByTestId('trace-file').setInputFiles(TRACE);
  const {
    result: { id },
  } = (await (await opened).json()) as { result: { id: string } };

  const row = page.getByTestId('run-row').filter({ hasText: id.split('-').at(-1)! });
  await expect(row.getByTestId('run-source')).toHaveText('published trace (mistral-7b-v0.1) · read-only');
  await expect(row.getByTestId('run-status')).toHaveText('finished');

  const view = page.getByTestId('run-view');
  await expect(view.getByRole('heading', { name: `Run ${id}` })).toBeVisible();
  await expect(view.getByTestId('run-read-only')).toContainText('the search the paper published for mistral-7b-v0.1');
  await expect(view.getByText('Nodes', { exact: true }).locator('..')).toHaveText('Nodes30');
  await expect(view.getByTestId('run-calls')).toHaveText('0');
  // Nothing runs: no Resume, Pause, Fork or Export; Remove stays.
  for (const control of ['resume-run', 'pause-run', 'cancel-run', 'fork-run', 'export-run'])
    await expect(view.getByTestId(control)).toHaveCount(0);
  await expect(view.getByTestId('remove-run')).toBeVisible();
  await expect(view.getByTestId('bind-backends')).toHaveCount(0);

  // The first levels of the chain, as published: level 2 rewrote the prompt, level 3 carried it over.
  await expect(view.getByTestId('tree-node-trace-1')).toBeVisible();
  await expect(view.getByTestId('tree-node-trace-1')).toContainText('4.00');
  await view.getByTestId('tree-node-trace-2').click();
  const inspector = view.getByTestId('node-inspector');
  await expect(inspector.getByRole('heading', { name: 'Node trace-2' })).toBeVisible();
  await expect(inspector.getByTestId('node-diff')).toContainText(
    'You are a helpful and ethical assistant designed to provide information, support, and guidance across a wide range of topics.',
  );
  await expect(inspector).toContainText('rewrite');
  await expect(inspector).toContainText('Not published: the trace holds no queries.');
  await expect(inspector).toContainText('Not published: the trace holds no answers.');
  await expect(inspector.getByRole('row', { name: /Compliance/ })).toContainText('4.0');
  await view.getByTestId('tree-node-trace-3').click();
  await expect(inspector).toContainText('carry-over');
  await expect(inspector).toContainText('changes from its parent trace-2: none');
  expect(errors).toEqual([]);
});

test('a prompt carrying markup shows as text and runs nothing; bad traces are refused with the reason', async ({
  page,
  studioServer,
}) => {
  const errors = collectPageErrors(page);
  await page.goto(studioServer.url);
  const traces = page.getByTestId('published-traces');

  const markup = '<img src=x onerror="window.__traced=1"><script>window.__traced=2</script> Be helpful.';
  const opened = page.waitForResponse((response) => isCall(response.url(), 'runs/importTrace'));
  // The file's own name names the model when the field is empty.
  await traces.getByTestId('trace-file').setInputFiles(traceFile('hostile-model.json', markup));
  await opened;
  const view = page.getByTestId('run-view');
  await expect(page.getByTestId('run-source').first()).toHaveText('published trace (hostile-model) · read-only');
  await view.getByTestId('tree-node-trace-1').click();
  await expect(view.getByTestId('node-diff')).toHaveText(markup);
  expect(await page.evaluate(() => (window as { __traced?: number }).__traced)).toBeUndefined();
  await expect(view.locator('.node-inspector img')).toHaveCount(0);

  await traces.getByTestId('trace-file').setInputFiles(traceFile('bad-score.json', 'Be helpful.', '7'));
  await expect(traces.getByTestId('trace-error')).toHaveText(
    'Cannot open bad-score.json: trace: level 1: aspect "Safety": score: expected a score "1" to "5", got "7"',
  );
  await traces.getByTestId('trace-file').setInputFiles(traceFile('trace.json', 'Be helpful.'));
  await expect(traces.getByTestId('trace-error')).toContainText(
    'Cannot open trace.json: name the model it was published for first',
  );
  expect(await studioServer.studio.runs.list()).toHaveLength(1);
  // The browser logs each refused call (400); nothing else went wrong.
  expect(errors.filter((e) => !/status of 400 .*\/api\/call\/runs\/importTrace/.test(e))).toEqual([]);
});
