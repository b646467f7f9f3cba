// The studio as a user drives it, in browser mode, on the embedded backend (stories260K): a
// connection added and tested through its form (and a literal API key refused), a reward
// criterion edited and kept across a reload, and a run started from the New run form, watched
// growing live, inspected, paused, resumed, exported, forked, the fork cancelled and removed (and a
// damaged run folder shown as such and removed). Everything
// is done through the page; the API is only read, to check what the page shows.
//
// One server for the whole file: the run uses the connection the first test creates.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import type { StartRunRequest } from '../../src/shared/studioApi.js';
import { collectPageErrors, isCall, SCREENSHOTS, shootWholePage, TINY_MODEL } from './support/pages.js';
import { expect, type StudioServer, startStudioServer, test } from './support/studioServer.js';

/** The search of the run, as the New run form sets it: small enough for stories260K on one core. */
const SEARCH = { width: 2, samples: 2, depth: 2, k: 1 };
const MAX_TOKENS = { base: 48, selector: 1200, judge: 1400, optimizer: 1400 } as const;

/** A model call of stories260K takes seconds to tens of seconds on these machines. */
const MODEL_STEP_MS = 150_000;

test.describe
  .serial('the studio driven through its UI, on the embedded model', () => {
    let server: StudioServer;

    test.beforeAll(async () => {
      expect(existsSync(TINY_MODEL), `the tiny test model is missing: ${TINY_MODEL}`).toBe(true);
      mkdirSync(SCREENSHOTS, { recursive: true });
      server = await startStudioServer();
    });

    test.afterAll(async () => {
      await server?.stop();
    });

    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures a hook needs from an object pattern, and this one needs none
    test.afterEach(async ({}, testInfo) => {
      if (testInfo.status !== testInfo.expectedStatus)
        await testInfo.attach('drpo-studio-serve.log', { body: server.log(), contentType: 'text/plain' });
    });

    /** Opens the studio at its address and goes to one screen, once that screen's data has loaded. */
    async function openScreen(page: Page, screen: 'runs' | 'connections' | 'criteria'): Promise<Locator> {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(server.url);
      await expect(page.getByRole('heading', { level: 1, name: 'DRPO Studio' })).toBeVisible();
      if (screen !== 'runs') await page.getByTestId(`nav-${screen}`).click();
      const view = page.getByTestId(`screen-${screen}`);
      await expect(view).toBeVisible();
      return view;
    }

    test('connections: a GGUF model added through the form, tested; a literal API key refused', async ({ page }) => {
      const errors = collectPageErrors(page);
      const screen = await openScreen(page, 'connections');

      // The empty state offers the embedded backend first.
      await screen.getByTestId('add-llama-cpp').click();
      const form = screen.getByTestId('connection-form');
      await expect(form.getByTestId('connection-plugin')).toHaveValue('llama-cpp');
      await form.getByTestId('connection-name').fill('tiny');
      await form.getByTestId('setting-modelPath').fill(TINY_MODEL);
      await form.getByTestId('setting-threads').fill('1');
      await form.getByTestId('setting-contextSize').fill('6144');
      await form.getByTestId('setting-parallel').fill('2');
      await form.getByTestId('save-connection').click();

      await expect(form).toHaveCount(0);
      await expect(screen.getByTestId('connections-notice')).toContainText('Saved connection “tiny”');
      const tiny = screen.getByTestId('connection-tiny');
      await expect(tiny.getByTestId('connection-setting-modelPath')).toHaveText(TINY_MODEL);
      await expect(tiny.getByTestId('connection-setting-contextSize')).toHaveText('6144');
      await expect(tiny.getByTestId('connection-setting-parallel')).toHaveText('2');
      expect((await server.studio.connections.list()).tiny).toMatchObject({
        plugin: 'llama-cpp',
        settings: { modelPath: TINY_MODEL, threads: 1, contextSize: 6144, parallel: 2, gpu: false },
      });

      // Test: the model loads (llama-cpp lists no models: "Connected" alone is the success).
      await tiny.getByTestId('test-connection').click();
      const result = tiny.getByTestId('test-result');
      await expect(result).toContainText('Connected', { timeout: 60_000 });
      await expect(result).toHaveAttribute('role', 'status');
      await expect(tiny.getByRole('alert')).toHaveCount(0);

      // An OpenAI connection with a literal key: the form refuses it, visibly, and nothing is saved.
      await screen.getByTestId('add-connection').click();
      await form.getByTestId('connection-plugin').selectOption('openai');
      await form.getByTestId('connection-name').fill('cloud');
      await form.getByTestId('setting-model').fill('gpt-4o-mini');
      await form.getByTestId('setting-apiKey').fill('sk-proj-literal-key-0123456789');
      await form.getByTestId('save-connection').click();
      const refusal = form.getByTestId('connection-error');
      await expect(refusal).toBeVisible();
      await expect(refusal).toHaveAttribute('role', 'alert');
      await expect(refusal).toContainText('env:NAME');
      await expect(form.getByTestId('setting-apiKey')).toHaveAttribute('aria-invalid', 'true');
      expect(Object.keys(await server.studio.connections.list())).toEqual(['tiny']);
      await shootWholePage(page, 'connections.png');

      await form.getByRole('button', { name: 'Cancel' }).click();
      await expect(form).toHaveCount(0);
      await expect(screen.getByTestId('connection-cloud')).toHaveCount(0);
      expect(errors).toEqual([]);
    });

    test('reward criteria: an edited aspect description is saved and survives a reload', async ({ page }) => {
      const errors = collectPageErrors(page);
      const edited =
        'Does the answer actually help: it solves the problem asked, completely, and says what it could not do.';
      let screen = await openScreen(page, 'criteria');
      const description = screen.getByTestId('aspect-description-Helpfulness');
      await expect(description).not.toHaveValue(edited);

      await description.fill(edited);
      await expect(screen.getByTestId('unsaved-changes')).toBeVisible();
      await expect(page.getByTestId('nav-criteria').getByLabel('(unsaved changes)')).toBeVisible();
      await screen.getByTestId('save-aspects').click();
      await expect(screen.getByTestId('aspects-saved')).toBeVisible();
      await expect(page.getByTestId('nav-criteria').getByLabel('(unsaved changes)')).toHaveCount(0);
      expect((await server.studio.aspects.get()).aspects.find((a) => a.name === 'Helpfulness')?.description).toBe(
        edited,
      );

      await page.reload();
      await expect(page.getByRole('heading', { level: 1, name: 'DRPO Studio' })).toBeVisible();
      await page.getByTestId('nav-criteria').click();
      screen = page.getByTestId('screen-criteria');
      await expect(screen.getByTestId('aspect-description-Helpfulness')).toHaveValue(edited);
      await expect(screen.getByTestId('unsaved-changes')).toHaveCount(0);
      await shootWholePage(page, 'criteria.png');
      expect(errors).toEqual([]);
    });

    test("reward criteria: each aspect's judge rubric is shown and edited; a custom aspect is refused without one", async ({
      page,
    }) => {
      const errors = collectPageErrors(page);
      const screen = await openScreen(page, 'criteria');
      // The judge's rubric beside the selector's line (the reference's, ../shared/reference/drpo/judge-rubric.json).
      const rubric = screen.getByTestId('aspect-rubric-Depth');
      await expect(rubric).toHaveValue(
        'Determine the level of detail and thoroughness in the response. A score of 5 means the answer delves deeply into the topic, while a 1 indicates it barely scratches the surface.',
      );
      await expect(screen.getByLabel('Judge rubric of Depth')).toBeVisible();
      await expect(screen.getByTestId('aspect-description-Depth')).toHaveValue(
        'The response should offer an appropriate level of detail and thoroughness, providing a comprehensive understanding of the topic.',
      );
      const deeper = 'A score of 5 means an expert learns something, while a 1 means it only repeats the question.';
      await rubric.fill(deeper);

      // A custom aspect with a selector line but no rubric: marked, and refused on saving, in words.
      await screen.getByTestId('add-aspect').click();
      const name = screen.getByTestId('aspect-name-14');
      await expect(name).toBeFocused();
      await name.fill('Brevity');
      await screen.getByTestId('aspect-description-Brevity').fill('Says it in as few words as it takes.');
      await expect(screen.getByTestId('aspect-rubric-Brevity')).toHaveAttribute('aria-invalid', 'true');
      await expect(screen.getByTestId('aspect-rubric-hint-Brevity')).toHaveText(
        'Required: the judge needs a rubric for this aspect.',
      );
      await screen.getByTestId('save-aspects').click();
      await expect(screen.getByTestId('aspects-error')).toContainText(
        '"Brevity" has no rubric — write the line the judge scores it by',
      );
      expect((await server.studio.aspects.get()).aspects.some((a) => a.name === 'Brevity')).toBe(false);

      const brevity = 'A score of 5 means not a word too many, while a 1 means padding throughout.';
      await screen.getByTestId('aspect-rubric-Brevity').fill(brevity);
      await expect(screen.getByTestId('aspect-rubric-Brevity')).not.toHaveAttribute('aria-invalid');
      await screen.getByTestId('save-aspects').click();
      await expect(screen.getByTestId('aspects-saved')).toBeVisible();
      const saved = (await server.studio.aspects.get()).aspects;
      expect(saved.find((a) => a.name === 'Depth')?.rubric).toBe(deeper);
      expect(saved.at(-1)).toEqual({
        name: 'Brevity',
        description: 'Says it in as few words as it takes.',
        rubric: brevity,
        enabled: true,
      });
      expect(errors).toEqual([]);
    });

    test('runs: estimate, start, the tree growing live, inspect, pause, resume, export, fork, cancel', async ({
      page,
    }) => {
      test.setTimeout(300_000);
      const errors = collectPageErrors(page);
      await openScreen(page, 'runs');

      // The New run form: the connection made above, the search, per-role output limits.
      const form = page.getByTestId('new-run-form');
      await expect(form.getByLabel('Connection (all roles)')).toContainText('tiny (llama-cpp)');
      await form.getByLabel('Connection (all roles)').selectOption('tiny');
      await form.getByLabel('W (width)').fill(String(SEARCH.width));
      await form.getByLabel('M (samples)').fill(String(SEARCH.samples));
      await form.getByLabel('D (depth)').fill(String(SEARCH.depth));
      await form.getByLabel('K (examples)').fill(String(SEARCH.k));
      await form.getByText('Per-role connections and limits').click();
      for (const [role, tokens] of Object.entries(MAX_TOKENS))
        await form.getByLabel(`${role} max tokens`).fill(String(tokens));
      // The toy model under a JSON grammar never ends a string by itself: a cap lets it close the object.
      await form.getByLabel('JSON text cap (characters)').fill('100');

      // Estimate: the table shows the service's figures for exactly this config.
      const estimated = page.waitForResponse((response) => isCall(response.url(), 'runs/estimate'));
      await form.getByTestId('estimate-run').click();
      const estimateRequest = (await estimated).request().postDataJSON() as {
        args: [StartRunRequest];
      };
      const [request] = estimateRequest.args;
      expect(request.config).toMatchObject({
        backends: { main: { connection: 'tiny' } },
        search: { width: 2, samples: 2, depth: 2 },
        retrieval: { k: 1 },
        jsonTextMaxChars: 100,
        roles: {
          base: { maxTokens: 48 },
          selector: { maxTokens: 1200 },
          judge: { maxTokens: 1400 },
          optimizer: { maxTokens: 1400 },
        },
      });
      const expected = await server.studio.runs.estimate(request);
      // The calls table (the first); the tokens and dollars follow in a table of their own.
      const estimate = form.getByTestId('run-estimate').locator('table').first();
      const sum = (counts: Record<string, number>) => Object.values(counts).reduce((s, n) => s + n, 0);
      // The embedded model has no price: said, never shown as $0.
      await expect(form.getByTestId('estimate-dollars-total')).toContainText('no price');
      await expect(estimate.locator('tfoot td')).toHaveText([
        String(sum(expected.a5)),
        String(sum(expected.planned)),
        String(sum(expected.worstCase)),
      ]);
      expect(sum(expected.planned)).toBeGreaterThan(0);
      for (const role of Object.keys(MAX_TOKENS)) {
        await expect(
          estimate
            .locator('tbody tr')
            .filter({ has: page.getByRole('rowheader', { name: role, exact: true }) })
            .locator('td'),
        ).toHaveText([
          String(expected.a5[role] ?? 0),
          String(expected.planned[role] ?? 0),
          String(expected.worstCase[role] ?? 0),
        ]);
      }

      // Start: the run's own view opens, running.
      const started = page.waitForResponse((response) => isCall(response.url(), 'runs/start'));
      await form.getByTestId('start-run').click();
      const {
        result: { id: runId },
      } = (await (await started).json()) as { result: { id: string } };
      const view = page.getByTestId('run-view');
      await expect(view.getByRole('heading', { name: `Run ${runId}` })).toBeVisible();
      const status = view.getByTestId('run-view-status');
      await expect(status).toHaveText('running');
      await expect(page.getByTestId('run-row').filter({ hasText: runId }).getByTestId('run-status')).toHaveText(
        'running',
      );

      // The root appears while the run is still evaluating it: the tree is live.
      const tree = view.getByTestId('beam-tree');
      const nodes = tree.locator('[data-testid^="tree-node-"]');
      await expect(nodes.first()).toBeVisible({ timeout: 60_000 });
      const rootCount = await nodes.count();
      expect(rootCount).toBeGreaterThanOrEqual(1);

      // Pause at once (the first model calls are in flight), then resume: it continues from its log.
      await view.getByTestId('pause-run').click();
      await expect(status).toHaveText('paused', { timeout: 30_000 });
      // The pause call returns once the run has let go of its backends (an embedded model's context
      // is freed first), which on a loaded 2-core machine can outlast the stream's "paused".
      await expect(view.getByTestId('resume-run')).toBeEnabled({ timeout: 30_000 });
      await expect(view.getByTestId('pause-run')).toBeDisabled();
      await view.getByTestId('resume-run').click();
      await expect(status).toHaveText('running', { timeout: 30_000 });

      // Nodes are added while the status still says running (not only once it has finished).
      const grewWhileRunning = await waitForGrowth(page, rootCount, MODEL_STEP_MS);
      expect(
        grewWhileRunning.count,
        `the tree stayed at ${rootCount} node(s); status ${grewWhileRunning.status}\n${server.log()}`,
      ).toBeGreaterThan(rootCount);
      expect(grewWhileRunning.status).toBe('running');

      // A level-1 node opens in the inspector, with the diff of its prompt against the root's.
      const levelOne = tree.locator('[data-testid^="tree-node-"][aria-label*=", level 1,"]').first();
      await levelOne.click();
      const nodeId = ((await levelOne.getAttribute('data-testid')) ?? '').replace(/^tree-node-/, '');
      const inspector = view.getByTestId('node-inspector');
      await expect(inspector).toBeVisible();
      await expect(inspector.getByRole('heading', { name: `Node ${nodeId}` })).toBeVisible();
      await expect(inspector.getByTestId('node-diff')).toBeVisible();
      await expect(levelOne).toHaveAttribute('aria-pressed', 'true');
      const shotWhile = await status.textContent();
      await shootWholePage(page, 'run-live.png');
      test.info().annotations.push({ type: 'run-live.png', description: `taken while the run was ${shotWhile}` });

      // Finished: its figures, then the export.
      await expect(status).toHaveText(/^(finished|failed|cancelled)$/, { timeout: MODEL_STEP_MS });
      const detail = await server.studio.runs.get(runId);
      expect(await status.textContent(), `the run ended ${detail.status}: ${detail.error ?? ''}\n${server.log()}`).toBe(
        'finished',
      );
      await expect(page.getByTestId('run-row').filter({ hasText: runId }).getByTestId('run-status')).toHaveText(
        'finished',
      );
      expect(await nodes.count()).toBe(detail.nodeCount);
      const bestPrompt = (detail.result as { bestPrompt: string }).bestPrompt;
      expect(bestPrompt.length).toBeGreaterThan(0);

      await view.getByTestId('export-format').selectOption('text');
      await view.getByTestId('export-run').click();
      const exported = view.getByTestId('export-output');
      await expect(exported).toBeVisible();
      expect(await exported.inputValue()).toContain(bestPrompt);

      // Fork from the selected node: a new run of the same config starts from that node's prompt …
      const forkButton = view.getByTestId('fork-run');
      await expect(forkButton).toHaveText(`Fork from ${nodeId}`);
      const forked = page.waitForResponse((response) => isCall(response.url(), 'runs/fork'));
      await forkButton.click();
      const {
        result: { id: forkId },
      } = (await (await forked).json()) as { result: { id: string } };
      expect(forkId).not.toBe(runId);
      await expect(view.getByRole('heading', { name: `Run ${forkId}` })).toBeVisible();
      await expect(status).toHaveText('running');
      const sourceNode = detail.tree.find((n) => n.id === nodeId);
      expect((await server.studio.runs.get(forkId)).config).toMatchObject({ initialPrompt: sourceNode?.state });

      // … and Cancel ends it for good.
      await expect(view.getByTestId('cancel-run')).toBeEnabled();
      await view.getByTestId('cancel-run').click();
      await expect(status).toHaveText('cancelled', { timeout: 60_000 });
      await expect(page.getByTestId('run-row').filter({ hasText: forkId }).getByTestId('run-status')).toHaveText(
        'cancelled',
      );
      expect((await server.studio.runs.get(forkId)).status).toBe('cancelled');
      await expect(view.getByTestId('resume-run')).toBeDisabled();
      await expect(view.getByTestId('cancel-run')).toBeDisabled();

      // Remove asks first: Keep leaves the run; Remove deletes its folder and its row.
      await view.getByTestId('remove-run').click();
      await expect(view.getByText(`Remove run ${forkId}?`)).toBeVisible();
      await view.getByTestId('remove-run-keep').click();
      await expect(view.getByTestId('remove-run')).toBeVisible();
      expect(existsSync(path.join(server.userDataDir, 'runs', forkId))).toBe(true);
      await view.getByTestId('remove-run').click();
      await view.getByTestId('remove-run-confirm').click();
      await expect(page.getByTestId('run-row').filter({ hasText: forkId })).toHaveCount(0);
      expect(existsSync(path.join(server.userDataDir, 'runs', forkId))).toBe(false);

      // A damaged run folder is listed as such, says why, and can be removed.
      mkdirSync(path.join(server.userDataDir, 'runs', 'damaged-run'));
      writeFileSync(path.join(server.userDataDir, 'runs', 'damaged-run', 'config.json'), '{ "stage": ');
      const damagedRow = page.getByTestId('run-row').filter({ hasText: 'damaged-run' });
      await expect(damagedRow.getByTestId('run-status')).toHaveText('damaged');
      await damagedRow.click();
      const damaged = page.getByTestId('damaged-item');
      await expect(damaged.getByTestId('damaged-reason')).toContainText('config.json is not valid JSON');
      await damaged.getByTestId('remove-run').click();
      await damaged.getByTestId('remove-run-confirm').click();
      await expect(damagedRow).toHaveCount(0);
      expect(errors).toEqual([]);
    });

    test('run bundles: an imported run can be viewed at once, and resumed only once its backend is bound', async ({
      page,
    }) => {
      const errors = collectPageErrors(page);
      await openScreen(page, 'runs');
      // Somebody else's paused run, naming their server and key.
      const ts = Date.now();
      const bundle = {
        format: 'drpo-studio-run-bundle',
        version: 1,
        stage: 'system-prompt',
        config: {
          backends: {
            main: { plugin: 'openai', settings: { baseURL: 'http://127.0.0.1:9/v1', apiKey: 'env:THEIR_KEY' } },
          },
        },
        events: [
          { seq: 0, ts, type: 'run-started', stage: 'system-prompt', version: '1' },
          {
            seq: 1,
            ts,
            type: 'node',
            id: '0',
            parentId: null,
            level: 0,
            state: 'You are a helpful assistant.',
            action: 'initial',
            query: 'What is a prime number?',
          },
          { seq: 2, ts, type: 'run-cancelled', reason: 'paused' },
        ],
      };
      const imported = page.waitForResponse((response) => isCall(response.url(), 'runs/importBundle'));
      await page.getByTestId('import-bundle').setInputFiles({
        name: 'shared.drpo-run.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(bundle)),
      });
      const {
        result: { id },
      } = (await (await imported).json()) as { result: { id: string } };
      const view = page.getByTestId('run-view');
      await expect(view.getByRole('heading', { name: `Run ${id}` })).toBeVisible();
      await expect(view.getByTestId('tree-node-0')).toBeVisible();
      const binding = view.getByTestId('bind-backends');
      await expect(binding.getByLabel('main (was openai)')).toHaveValue('');
      await expect(view.getByTestId('resume-run')).toBeDisabled();
      await expect(view.getByTestId('bind-run')).toBeDisabled();

      await binding.getByLabel('main (was openai)').selectOption('tiny');
      await view.getByTestId('bind-run').click();
      await expect(binding).toHaveCount(0);
      await expect(view.getByTestId('resume-run')).toBeEnabled();
      expect((await server.studio.runs.get(id)).config).toMatchObject({ backends: { main: { connection: 'tiny' } } });
      expect(errors).toEqual([]);
    });
  });

/**
 * Waits until the beam tree shows more than `from` nodes or the run stops running; returns the
 * node count and the status read together, in one go in the page.
 */
async function waitForGrowth(page: Page, from: number, timeoutMs: number): Promise<{ count: number; status: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = await page.evaluate(() => ({
      count: document.querySelectorAll('[data-testid="beam-tree"] [data-testid^="tree-node-"]').length,
      status: document.querySelector('[data-testid="run-view-status"]')?.textContent ?? '',
    }));
    if (seen.count > from || seen.status !== 'running' || Date.now() > deadline) return seen;
    await page.waitForTimeout(200);
  }
}
