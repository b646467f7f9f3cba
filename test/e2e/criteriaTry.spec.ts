// Trying reward criteria on a query (README "Trying criteria on a query"), in browser mode: a
// custom aspect added in the Reward criteria screen (unsaved) and tried on a query from a seed
// dataset — selected by the selector and judged; its rubric edited and judged again, the two
// judgements side by side with the score change; a probe saved and re-judged after another edit;
// then a run started on the saved catalog keeps showing it after the catalog is edited again.
// The judge behind a local OpenAI-compatible server scores an aspect 2 where the line the judge
// prompt gives it says "strict", 4 otherwise (test/support/rubricJudge.ts); the reward is the
// mean. Unusable replies, a generated answer, Cancel, and catalog files; then the same flow on
// the embedded model, whose gibberish is a judgement or a plain "no score", never a made-up one.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import type { ModelClient } from '../../src/plugins/contract.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';
import scripted from '../support/plugins/scripted/index.js';
import { GENERATED_ANSWER, rubricJudgeModel, startRubricJudge } from '../support/rubricJudge.js';
import { connectionTo } from '../support/varyingJudge.js';
import { collectPageErrors, SCREENSHOTS, TINY_MODEL } from './support/pages.js';
import { expect, startStudioServer, test } from './support/studioServer.js';

const QUERY = 'What is the capital of France? Keep it short.';
const ANSWER = 'Paris.';
const PLAIN = 'A 5 means the answer is short.';
const STRICT = 'Be strict: only a one-word answer earns a 5.';
const PLAIN_AGAIN = 'A 5 means the answer is short and plain.';

/** The Reward criteria screen with a new aspect Brevity (14 aspects ship, so it is row 14), unsaved. */
async function addBrevity(page: Page, url: string, rubric: string) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(url);
  await page.getByTestId('nav-criteria').click();
  const screen = page.getByTestId('screen-criteria');
  await screen.getByTestId('add-aspect').click();
  await screen.getByTestId('aspect-name-14').fill('Brevity');
  await screen.getByTestId('aspect-description-Brevity').fill('Prefers short answers.');
  await screen.getByTestId('aspect-rubric-Brevity').fill(rubric);
  return screen;
}

test('tried, judged again after an edit, probed; a run keeps the catalog it started with', async ({ page }) => {
  const errors = collectPageErrors(page);
  const judge = await startRubricJudge({ picks: ['Brevity', 'Helpfulness'] });
  const runner = await FakeOpenAIServer.start(
    (await scripted.create({ latencyMs: 0 }, { baseDir: '.', log: () => {} })) as ModelClient,
  );
  const server = await startStudioServer();
  try {
    const { studio } = server;
    await studio.connections.save('judge', connectionTo(judge.server));
    await studio.datasets.save({ name: 'questions', kind: 'seed-queries', items: [{ query: QUERY }] });
    const screen = await addBrevity(page, server.url, PLAIN);
    const panel = screen.getByTestId('try-panel');

    await panel.getByTestId('try-seed-set').selectOption('questions');
    await panel.getByTestId('try-seed-query').selectOption({ label: QUERY });
    await expect(panel.getByTestId('try-query')).toHaveValue(QUERY);
    await panel.getByTestId('try-answer').fill(ANSWER);
    // No run yet: the only saved connection plays both roles.
    await expect(panel.getByTestId('try-selector')).toHaveValue('judge');
    await expect(panel.getByTestId('try-judge')).toHaveValue('judge');
    // Before anything is asked: a selector call and a judge call, each possibly re-asked once.
    await expect(panel.getByTestId('try-estimate')).toContainText(
      'Estimate: 2 calls (select, judge), at most 4 with repair re-asks',
    );
    expect(judge.model.count('selection') + judge.model.count('judgement')).toBe(0);

    await panel.getByTestId('try-run').click();
    const result = panel.getByTestId('try-result');
    await expect(result.getByTestId('try-result-aspects')).toHaveText('Brevity, Helpfulness');
    await expect(result.getByTestId('try-result-source')).toHaveAttribute('data-source', 'selector');
    await expect(result.getByTestId('try-result-reasoning')).toHaveText(
      "Selector's reasoning: because Brevity, Helpfulness",
    );
    // Neither judge line says "strict": 4 and 4, reward 4.
    await expect(result.getByTestId('try-result-score-Brevity').locator('td').first()).toHaveText('4');
    await expect(result.getByTestId('try-result-score-Helpfulness').locator('td').first()).toHaveText('4');
    await expect(result.getByTestId('try-result-reward')).toHaveText('4.00');
    await expect(result.getByTestId('try-result-spent')).toContainText('Spent: 2 calls');
    // The selector and the judge read the unsaved aspect (the server's other requests probe what it does).
    const asked = judge.model.requests.filter((r) => r.purpose === 'selection' || r.purpose === 'judgement');
    expect(asked.map((r) => r.purpose)).toEqual(['selection', 'judgement']);
    expect(asked[0]!.text).toContain('- Brevity: Prefers short answers.');
    expect(asked[1]!.text).toContain(`- Brevity: ${PLAIN}`);

    // A stricter rubric, judged again on the same query and answer.
    await screen.getByTestId('aspect-rubric-Brevity').fill(STRICT);
    await panel.getByTestId('try-judge-again').click();
    const compare = panel.getByTestId('try-compare');
    await expect(compare.getByTestId('try-before-heading')).toContainText('Before edit');
    await expect(compare.getByTestId('try-after-heading')).toContainText('After edit');
    await expect(compare.getByTestId('try-after-edit')).toHaveText('Changed since: Brevity: rubric');
    // Brevity 4 → 2; Helpfulness stays 4; the reward (4+4)/2 = 4.00 → (2+4)/2 = 3.00.
    await expect(compare.getByTestId('try-change-Brevity')).toHaveText('Brevity42−2');
    await expect(compare.getByTestId('try-change-Helpfulness')).toHaveText('Helpfulness44±0');
    await expect(compare.getByTestId('try-change-reward')).toHaveText('Reward4.003.00−1.00');
    await expect(compare.getByTestId('try-after-score-Brevity').locator('td').last()).toContainText(STRICT);

    // A probe expecting 3, re-judged now (got 3) and after softening the rubric again (got 4).
    const probes = panel.getByTestId('probes');
    await probes.getByTestId('probe-expected').fill('3');
    await probes.getByTestId('probe-save').click();
    const row = probes.locator('.probe-row');
    await expect(row).toHaveCount(1);
    expect(await studio.aspects.probes()).toMatchObject([{ query: QUERY, answer: ANSWER, expected: 3 }]);
    await probes.getByTestId('probes-rejudge').click();
    await expect(row.getByTestId('probe-got')).toHaveText('3.00');
    await expect(row.getByTestId('probe-off')).toHaveText('±0');
    await expect(row.getByTestId('probe-change')).toHaveText('–');
    await screen.getByTestId('aspect-rubric-Brevity').fill(PLAIN_AGAIN);
    await probes.getByTestId('probes-rejudge').click();
    await expect(row.getByTestId('probe-got')).toHaveText('4.00');
    await expect(row.getByTestId('probe-off')).toHaveText('+1.00');
    await expect(row.getByTestId('probe-change')).toHaveText('+1.00');
    // The panel whole: the screen scrolls inside its pane, so the window grows to hold it.
    await page.setViewportSize({ width: 1280, height: 3000 });
    mkdirSync(SCREENSHOTS, { recursive: true });
    await panel.screenshot({ path: path.join(SCREENSHOTS, 'criteria-try.png') });
    await page.setViewportSize({ width: 1280, height: 900 });

    // Saved, the catalog is what a run starts with; edited and saved again afterwards, the run's view keeps the first.
    await screen.getByTestId('save-aspects').click();
    await expect(screen.getByTestId('aspects-saved')).toBeVisible();
    await studio.connections.save('runner', connectionTo(runner));
    const { id } = await studio.runs.start({
      stage: 'system-prompt',
      config: {
        backends: { main: { connection: 'runner' } },
        search: { width: 1, samples: 1, depth: 1 },
        retrieval: { k: 1 },
        data: { limit: 1 },
        cacheDir: null,
      },
    });
    await expect.poll(async () => (await studio.runs.get(id)).status, { timeout: 60_000 }).toBe('finished');
    await screen.getByTestId('aspect-rubric-Brevity').fill(STRICT);
    await screen.getByTestId('save-aspects').click();
    await expect(screen.getByTestId('aspects-saved')).toBeVisible();

    await page.getByTestId('nav-runs').click();
    await page.getByTestId('run-row').filter({ hasText: id }).click();
    const criteria = page.getByTestId('run-view').getByTestId('run-criteria');
    await criteria.locator('summary').click();
    await expect(criteria.getByTestId('run-criteria-Brevity')).toContainText(`Rubric: ${PLAIN_AGAIN}`);
    expect((await studio.runs.get(id)).catalog?.aspects.find((a) => a.name === 'Brevity')?.rubric).toBe(PLAIN_AGAIN);
    expect((await studio.aspects.get()).aspects.find((a) => a.name === 'Brevity')?.rubric).toBe(STRICT);

    // A run whose folder holds no catalog (as runs made before catalogs were recorded) says so.
    rmSync(path.join(server.userDataDir, 'runs', id, 'aspects.json'));
    await page.getByTestId('nav-criteria').click();
    await page.getByTestId('nav-runs').click();
    await page.getByTestId('run-row').filter({ hasText: id }).click();
    await expect(page.getByTestId('run-view').getByTestId('run-criteria')).toHaveText(
      'No reward criteria recorded for this run: runs started before runs recorded their aspect catalog (and bundles that carry none) have none to show.',
    );
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
    await Promise.all([judge.server.close(), runner.close()]);
  }
});

test("unusable replies: the selector's fallback is marked, the judge's is no score; a slow try is cancelled", async ({
  page,
  studioServer,
}) => {
  const errors = collectPageErrors(page);
  const prose = await startRubricJudge({ picks: 'unreadable', judge: 'unreadable' });
  const slow = await FakeOpenAIServer.start(rubricJudgeModel({ picks: ['Brevity'] }), {
    quirks: { ignoreResponseFormat: true },
    latencyMs: 60_000,
  });
  try {
    await studioServer.studio.connections.save('prose', connectionTo(prose.server));
    await studioServer.studio.connections.save('slow', connectionTo(slow));
    const screen = await addBrevity(page, studioServer.url, PLAIN);
    const panel = screen.getByTestId('try-panel');
    await panel.getByTestId('try-query').fill(QUERY);
    await panel.getByTestId('try-answer-generated').check();
    await panel.getByTestId('try-base').selectOption('prose');
    await panel.getByTestId('try-selector').selectOption('prose');
    await panel.getByTestId('try-judge').selectOption('prose');
    await expect(panel.getByTestId('try-estimate')).toContainText(
      'Estimate: 3 calls (generate, select, judge), at most 6 with repair re-asks',
    );
    await panel.getByTestId('try-run').click();
    const result = panel.getByTestId('try-result');
    await expect(panel.getByTestId('try-result-answer')).toHaveText(`Answer judged: ${GENERATED_ANSWER}`);
    // The selector answered prose twice (its repair too): the static set stood in, and says so.
    await expect(result.getByTestId('try-result-source')).toHaveText(
      "the static set — the selector's reply was unusable",
    );
    await expect(result.getByTestId('try-result-aspects')).toHaveText(
      'Helpfulness, Clarity, Factuality, Depth, Engagement, Safety',
    );
    await expect(result.getByTestId('try-result-reasoning')).toContainText(
      "The aspect selector's reply could not be used",
    );
    // So did the judge: no score, no reward, but what was spent: generate, select + repair, judge + repair.
    await expect(result.getByTestId('try-result-judge-error')).toContainText(
      "The judge's reply is unusable — no score.",
    );
    await expect(result.getByTestId('try-result-scores')).toHaveCount(0);
    await expect(result.getByTestId('try-result-reward')).toHaveCount(0);
    await expect(result.getByTestId('try-result-spent')).toContainText('Spent: 5 calls');
    await expect(panel.getByTestId('try-judge-again')).toBeEnabled();

    // A try on a server that takes a minute a request, cancelled while it waits: the panel is free again at once.
    await panel.getByTestId('try-answer-typed').check();
    await panel.getByTestId('try-answer').fill(ANSWER);
    await panel.getByTestId('try-judge').selectOption('slow');
    await panel.getByTestId('try-tick-Brevity').check();
    await panel.getByTestId('try-run').click();
    await expect(panel.getByTestId('try-running')).toBeVisible();
    await panel.getByTestId('try-cancel').click();
    await expect(panel.getByTestId('try-running')).toHaveCount(0);
    await expect(panel.getByTestId('try-run')).toBeEnabled();
    // The earlier result stays the one shown; the cancelled try left none.
    await expect(result.getByTestId('try-result-source')).toHaveAttribute('data-source', 'fallback');
    expect(errors).toEqual([]);
  } finally {
    await Promise.all([prose.server.close(), slow.close()]);
  }
});

/**
 * A judgement on the embedded model: whole scores of 1–5 (or N/A) with a reward, or "no score" and
 * no reward — never anything between. Says which it met.
 */
async function judgedOrNoScore(card: Locator, prefix: string): Promise<'scored' | 'unusable'> {
  const unusable = card.getByTestId(`${prefix}-judge-error`);
  const scores = card.getByTestId(`${prefix}-scores`);
  await expect(unusable.or(scores)).toBeVisible();
  if (await unusable.isVisible()) {
    await expect(unusable).toContainText("The judge's reply is unusable — no score.");
    await expect(card.getByTestId(`${prefix}-reward`)).toHaveCount(0);
    return 'unusable';
  }
  for (const score of await scores.locator('tbody tr td:first-of-type').allTextContents())
    expect(score).toMatch(/^([1-5]|N\/A)$/);
  await expect(card.getByTestId(`${prefix}-reward`)).toHaveText(/^[1-5]\.\d\d$/);
  return 'scored';
}

test('the same flow on the embedded model: ticked, judged, judged again; a judgement or a plain "no score"', async ({
  page,
}) => {
  expect(existsSync(TINY_MODEL), `the tiny test model is missing: ${TINY_MODEL}`).toBe(true);
  const errors = collectPageErrors(page);
  const server = await startStudioServer();
  try {
    await server.studio.connections.save('tiny', {
      plugin: 'llama-cpp',
      settings: { modelPath: TINY_MODEL, threads: 1, contextSize: 6144, parallel: 1 },
    });
    const screen = await addBrevity(page, server.url, PLAIN);
    const panel = screen.getByTestId('try-panel');
    await panel.getByTestId('try-query').fill(QUERY);
    await panel.getByTestId('try-answer').fill(ANSWER);
    await expect(panel.getByTestId('try-judge')).toHaveValue('tiny');
    const outcomes: string[] = [];

    // Ticked: the judge scores Brevity alone and the selector is not asked (a selector's pick is
    // the scripted test's: stories260K writes to its output limit first, a minute on one core).
    await panel.getByTestId('try-tick-Brevity').check();
    await expect(panel.getByTestId('try-estimate')).toContainText(
      'Estimate: 1 call (judge), at most 2 with repair re-asks',
    );
    await expect(panel.getByTestId('try-estimate')).toContainText('no price');
    await panel.getByTestId('try-run').click();
    const result = panel.getByTestId('try-result');
    await expect(result.getByTestId('try-result-source')).toHaveAttribute('data-source', 'ticked', {
      timeout: 150_000,
    });
    await expect(result.getByTestId('try-result-aspects')).toHaveText('Brevity');
    outcomes.push(`ticked judge: ${await judgedOrNoScore(result, 'try-result')}`);
    await expect(result.getByTestId('try-result-spent')).toContainText(/^Spent: [12] calls? · .* · no price$/);

    // The rubric edited, judged again: both judgements side by side, whatever the tiny model said.
    await screen.getByTestId('aspect-rubric-Brevity').fill(STRICT);
    await panel.getByTestId('try-judge-again').click();
    const compare = panel.getByTestId('try-compare');
    await expect(compare.getByTestId('try-after-edit')).toHaveText('Changed since: Brevity: rubric', {
      timeout: 150_000,
    });
    outcomes.push(`judged again: ${await judgedOrNoScore(compare.getByTestId('try-after'), 'try-after')}`);
    await expect(compare.getByTestId('try-change-Brevity').locator('td').last()).toHaveText(/^([+−][1-4]|±0|–)$/);
    test.info().annotations.push({ type: 'embedded model', description: outcomes.join('; ') });
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
  }
});

test('a catalog file imported into the draft (a bad one changes nothing), undone, and exported as edited', async ({
  page,
  studioServer,
}) => {
  const errors = collectPageErrors(page);
  const screen = await addBrevity(page, studioServer.url, PLAIN);
  const files = screen.getByTestId('catalog-files');
  const input = files.getByTestId('catalog-import');
  const file = (name: string, text: string) => ({ name, mimeType: 'application/json', buffer: Buffer.from(text) });

  await input.setInputFiles(file('cut.json', '{"aspects": ['));
  await expect(files.getByTestId('catalog-import-error')).toContainText(
    'Cannot import cut.json: the catalog file is not valid JSON',
  );
  await expect(files.getByTestId('catalog-import-error')).toContainText('The catalog being edited is unchanged.');
  await expect(screen.getByTestId('aspect-rubric-Brevity')).toHaveValue(PLAIN);

  const imported = {
    aspects: [{ name: 'Tone', description: 'Kind words.', rubric: 'A 5 is warm throughout.', enabled: true }],
    staticAspects: ['Tone'],
  };
  await input.setInputFiles(file('tone.json', JSON.stringify(imported)));
  await expect(files.getByTestId('catalog-import-notice')).toHaveText('Imported tone.json: 1 aspect, not saved yet.');
  await expect(screen.locator('.aspect')).toHaveCount(1);
  await expect(screen.getByTestId('aspect-rubric-Tone')).toHaveValue('A 5 is warm throughout.');
  await expect(screen.getByTestId('unsaved-changes')).toBeVisible();
  // Nothing is saved by an import.
  expect((await studioServer.studio.aspects.get()).aspects).toHaveLength(14);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    files.getByTestId('catalog-export-save').click(),
  ]);
  expect(download.suggestedFilename()).toBe('aspects.json');
  expect(JSON.parse(readFileSync(await download.path(), 'utf8'))).toEqual(imported);

  // Undo brings back the draft the import replaced, Brevity and all.
  await files.getByTestId('catalog-import-undo').click();
  await expect(screen.locator('.aspect')).toHaveCount(15);
  await expect(screen.getByTestId('aspect-rubric-Brevity')).toHaveValue(PLAIN);
  // The browser logs the refused file's call (the service's 400 for an invalid argument), and nothing else.
  expect(errors).toEqual([
    expect.stringMatching(/status of 400 \(Bad Request\) \(http:\/\/127\.0\.0\.1:\d+\/api\/call\/aspects\/parse\)$/),
  ]);
});
