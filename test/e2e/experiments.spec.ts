// The Experiments screen as a user drives it, in browser mode, on the embedded backend
// (stories260K): just-eval-instruct imported as an evaluation set on the Datasets screen, then an
// experiment of two setups on two targets over a seeded sample of three items built in the form,
// watched to the end, and its result read: the transfer heatmap, the per-aspect table and the
// per-category chart show what the service computed. The saved connection is arranged through
// the API (the Connections form has its own test); everything else goes through the page.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { collectPageErrors, isCall, SCREENSHOTS, shootWholePage, TINY_MODEL } from './support/pages.js';
import { expect, repoRoot, type StudioServer, startStudioServer, test } from './support/studioServer.js';

const JUST_EVAL = path.resolve(repoRoot, '../shared/reference/just-eval/just_eval_instruct.json');

/** Twelve answers and twelve judgments of stories260K on two cores. */
const EXPERIMENT_MS = 120_000;

test.describe
  .serial('the Experiments screen, on the embedded model', () => {
    let server: StudioServer;

    test.beforeAll(async () => {
      expect(existsSync(TINY_MODEL), `the tiny test model is missing: ${TINY_MODEL}`).toBe(true);
      expect(existsSync(JUST_EVAL), `the evaluation set is missing: ${JUST_EVAL}`).toBe(true);
      mkdirSync(SCREENSHOTS, { recursive: true });
      server = await startStudioServer();
      await server.studio.connections.save('tiny', {
        plugin: 'llama-cpp',
        settings: { modelPath: TINY_MODEL, threads: 1, contextSize: 6144, parallel: 2 },
      });
    });

    test.afterAll(async () => {
      await server?.stop();
    });

    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures a hook needs from an object pattern, and this one needs none
    test.afterEach(async ({}, testInfo) => {
      if (testInfo.status !== testInfo.expectedStatus)
        await testInfo.attach('drpo-studio-serve.log', { body: server.log(), contentType: 'text/plain' });
    });

    test('datasets: just-eval-instruct imported as an evaluation set keeps its splits and sources', async ({
      page,
    }) => {
      const errors = collectPageErrors(page);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(server.url);
      await page.getByTestId('nav-datasets').click();
      const screen = page.getByTestId('screen-datasets');
      await screen.getByTestId('dataset-name').fill('just-eval');
      await screen.getByTestId('dataset-kind').selectOption('eval-set');
      await screen.getByTestId('dataset-file').setInputFiles(JUST_EVAL);
      await expect(screen.getByTestId('dataset-imported')).toContainText('Imported "just-eval": 1000 items', {
        timeout: 30_000,
      });
      const preview = screen.getByTestId('dataset-preview');
      await expect(preview.locator('thead')).toContainText('Split / tags');
      await expect(screen.getByTestId('dataset-row-0')).toContainText('regular / source: helpful_base');
      expect(
        (await server.studio.datasets.get('just-eval')).items.filter((i) => i.split === 'safety').length,
      ).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    });

    test('experiments: built in the form, run live to the end, its heatmap, per-aspect table and per-category chart shown', async ({
      page,
    }) => {
      test.setTimeout(EXPERIMENT_MS + 60_000);
      const errors = collectPageErrors(page);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(server.url);
      await page.getByTestId('nav-experiments').click();
      const screen = page.getByTestId('screen-experiments');
      await expect(screen.getByTestId('experiments-empty')).toBeVisible();

      // The evaluation set and a seeded sample of it.
      const form = screen.getByTestId('new-experiment-form');
      await expect(form.getByTestId('eval-dataset')).toHaveValue('just-eval');
      await form.getByTestId('sample-size').fill('3');
      await form.getByTestId('sample-seed').fill('11');
      // Two setups: the baseline there from the start, and a typed prompt.
      await form.getByTestId('add-setup-prompt').click();
      await form.getByTestId('setup-prompt-1').fill('Answer in one short, kind sentence.');
      await form.getByTestId('setup-name-1').fill('brief');
      // Two targets on the saved connection: the automatic format (drpo for a model that completes text) and URIAL's.
      await expect(form.getByTestId('target-connection-0')).toHaveValue('tiny');
      await expect(form.getByTestId('target-format-0')).toHaveValue('automatic');
      await form.getByTestId('target-max-tokens-0').fill('32');
      await form.getByTestId('add-target').click();
      await form.getByTestId('target-name-1').fill('tiny-urial');
      await form.getByTestId('target-format-1').selectOption('urial');
      await form.getByTestId('target-max-tokens-1').fill('32');
      // The evaluation judge: short reasons, a number on every aspect.
      await expect(form.getByTestId('judge-connection')).toHaveValue('tiny');
      await form.getByTestId('judge-max-tokens').fill('600');
      await form.getByTestId('judge-reason-chars').fill('20');
      await form.getByTestId('judge-allow-na').uncheck();
      // The project's own prompts, by name (just-eval's templates are not in this studio's folder).
      await expect(form.getByTestId('judge-protocol')).toHaveValue('default');
      await form.getByTestId('judge-protocol').selectOption('drpo-studio');
      await expect(form.getByTestId('judge-regular-template')).toHaveCount(0);
      // 'auto' unless pinned: pinned here to what the tiny model's two slots serve.
      await expect(form.getByTestId('concurrency-mode')).toHaveValue('auto');
      await form.getByTestId('concurrency-mode').selectOption('pinned');
      await form.getByTestId('concurrency').fill('2');
      await expect(form.getByTestId('experiment-form-problem')).toHaveCount(0);
      await shootWholePage(page, 'experiment-form.png');

      const started = page.waitForResponse((response) => isCall(response.url(), 'experiments/start'));
      await form.getByTestId('start-experiment').click();
      const response = await started;
      const [{ config }] = (response.request().postDataJSON() as { args: [{ config: Record<string, unknown> }] }).args;
      expect(config).toMatchObject({
        backends: { 'conn-tiny': { connection: 'tiny', concurrency: 2 } },
        evalSet: { dataset: 'just-eval', split: 'all', sample: { size: 3, seed: 11 } },
        setups: [
          { name: 'baseline', kind: 'baseline' },
          { name: 'brief', kind: 'prompt' },
        ],
        targets: [
          { name: 'tiny', maxTokens: 32 },
          { name: 'tiny-urial', format: 'urial', maxTokens: 32 },
        ],
        judge: {
          backend: 'conn-tiny',
          protocol: 'drpo-studio',
          maxTokens: 600,
          reasonMaxChars: 20,
          allowNotApplicable: false,
        },
        baseline: 'baseline',
      });
      expect((config.targets as Record<string, unknown>[])[0]).not.toHaveProperty('format');
      const {
        result: { id },
      } = (await response.json()) as { result: { id: string } };

      // Live: the view opens running, and the count of judged answers climbs to all twelve.
      const view = screen.getByTestId('experiment-view');
      await expect(view.getByRole('heading', { name: `Experiment ${id}` })).toBeVisible();
      const status = view.getByTestId('experiment-status');
      await expect(status).toHaveText(/running|finished/);
      await expect(view.getByTestId('experiment-judged')).toHaveText(/^([1-9]|1[0-2]) \/ 12 judged$/, {
        timeout: EXPERIMENT_MS,
      });
      await expect(status).toHaveText(/finished|failed|cancelled/, { timeout: EXPERIMENT_MS });
      const detail = await server.studio.experiments.get(id);
      expect(
        await status.textContent(),
        `the experiment ended ${detail.summary.status}: ${detail.summary.error ?? ''}\n${server.log()}`,
      ).toBe('finished');
      await expect(view.getByTestId('experiment-judged')).toHaveText('12 / 12 judged');
      await expect(
        screen.getByTestId('experiment-row').filter({ hasText: id }).getByTestId('experiment-row-status'),
      ).toHaveText('finished');
      const result = detail.result!;

      // (a) The transfer heatmap: a row per setup, a cell per target, each the service's figure.
      const heatmap = view.getByTestId('transfer-heatmap');
      await expect(heatmap.getByTestId('heatmap-row')).toHaveCount(2);
      await expect(heatmap.getByTestId('heatmap-row').locator('th')).toHaveText([/^baseline/, 'brief']);
      for (const cell of result.cells) {
        const score = cell.average ?? cell.aspects.safety?.mean ?? null;
        const shown = heatmap.locator(
          `[data-testid="heatmap-cell"][data-setup="${cell.setup}"][data-target="${cell.target}"]`,
        );
        await expect(shown.locator('.experiments-heat-score')).toHaveText(score === null ? '–' : score.toFixed(2));
        // No N/A was allowed: just-eval's figure is the same.
        await expect(shown.getByTestId('heatmap-just-eval')).toHaveText(
          `just-eval ${score === null ? '–' : score.toFixed(2)}`,
        );
        if (cell.setup === 'brief' && cell.delta?.average != null)
          await expect(shown).toContainText(`${cell.delta.average >= 0 ? '+' : ''}${cell.delta.average.toFixed(2)}`);
      }

      // (b) The per-aspect table in the paper's layout, row for row what the CLI writes.
      const aspects = view.getByTestId('aspect-table');
      await expect(aspects.locator('thead th')).toHaveText([
        'Model',
        'Setup',
        'Helpful',
        'Clear',
        'Factual',
        'Deep',
        'Engage',
        'Avg.',
        'Avg. just-eval (N/A=5)',
        'Safety',
        'Safety just-eval (N/A=5)',
        'N/A',
        'Unjudged',
      ]);
      const expectedRows = detail.tables!.find((t) => t.name === 'aspects')!.rows;
      expect(expectedRows.map((r) => r.slice(0, 2))).toEqual([
        ['tiny', 'baseline'],
        ['tiny', 'brief'],
        ['tiny-urial', 'baseline'],
        ['tiny-urial', 'brief'],
      ]);
      await expect(aspects.locator('tbody tr')).toHaveCount(4);
      for (const [i, row] of expectedRows.entries())
        await expect(aspects.locator('tbody tr').nth(i).locator('td')).toHaveText(row);
      await expect(view.getByTestId('just-eval-aspect-table').locator('tbody tr')).toHaveCount(4);
      await expect(view.getByTestId('experiment-judge-protocol')).toHaveText("the project's own prompts (drpo-studio)");
      expect(result.judge).toEqual({ protocol: 'drpo-studio' });

      // (c) The per-category chart: grouped by source, then by split, a bar per cell and category.
      const categories = view.getByTestId('category-chart');
      const dimension = categories.getByTestId('category-dimension');
      await expect(dimension).toHaveValue('source');
      const bySource = Object.keys(result.cells[0]!.categories.source ?? {}).length;
      expect(bySource).toBeGreaterThan(0);
      await expect(categories.locator('.recharts-yAxis .recharts-cartesian-axis-tick')).toHaveCount(bySource);
      await expect(categories.locator('.recharts-legend-item')).toHaveText([
        'baseline @ tiny',
        'brief @ tiny',
        'baseline @ tiny-urial',
        'brief @ tiny-urial',
      ]);
      expect(await categories.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);
      await dimension.selectOption('split');
      await expect(categories.locator('.recharts-yAxis .recharts-cartesian-axis-tick')).toHaveCount(
        Object.keys(result.cells[0]!.categories.split ?? {}).length,
      );

      // (d) and (e): a distribution per aspect, the cost per setup and target.
      await expect(view.getByTestId('score-distributions').locator('[data-testid^="distribution-"]')).toHaveCount(6);
      await expect(view.getByTestId('cost-table').locator('tbody tr')).toHaveCount(4);
      await dimension.selectOption('source');
      await shootWholePage(page, 'experiments.png');

      // Remove asks first, inline; confirmed, the experiment leaves the list and the form is back.
      await view.getByTestId('remove-experiment').click();
      await expect(view.getByText(`Remove experiment ${id}?`)).toBeVisible();
      await view.getByTestId('remove-experiment-confirm').click();
      await expect(screen.getByTestId('experiment-row').filter({ hasText: id })).toHaveCount(0);
      await expect(screen.getByTestId('new-experiment-form')).toBeVisible();
      expect(errors).toEqual([]);
    });
  });
