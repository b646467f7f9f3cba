// Browser mode end to end: `drpo-studio serve` (built CLI and UI) driven in Chromium. Data is
// arranged through the StudioApi over HTTP, as the browser itself reaches it; what is checked is
// what the page shows.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { collectPageErrors, isCall, SCREENSHOTS, shootWholePage, TINY_MODEL } from './support/pages.js';
import { expect, type StudioServer, startStudioServer, test } from './support/studioServer.js';

const isRunsList = (url: string) => isCall(url, 'runs/list');

test('the studio loads at its tokenised address; without the token it shows an error, not data', async ({
  page,
  context,
  studioServer,
}) => {
  // Data to (not) show: a run that fails at once (its model file is missing).
  const { id } = await studioServer.studio.runs.start({
    stage: 'system-prompt',
    config: {
      backends: {
        main: { plugin: 'llama-cpp', settings: { modelPath: path.join(studioServer.userDataDir, 'missing.gguf') } },
      },
      cacheDir: null,
    },
  });

  const errors = collectPageErrors(page);
  const listed = page.waitForResponse((response) => isRunsList(response.url()));
  await page.goto(studioServer.url);
  await expect(page.getByRole('heading', { level: 1, name: 'DRPO Studio' })).toBeVisible();
  expect((await listed).status()).toBe(200);
  await expect(page.getByTestId('run-row').filter({ hasText: id })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  // The token leaves the address bar once read; a reload of the tab still connects.
  expect(page.url()).toBe(`${studioServer.origin}/`);
  await page.reload();
  await expect(page.getByTestId('run-row').filter({ hasText: id })).toBeVisible();
  expect(errors).toEqual([]);

  const stranger = await context.newPage();
  const denied = stranger.waitForResponse((response) => isRunsList(response.url()));
  await stranger.goto(`${studioServer.origin}/`);
  expect((await denied).status()).toBe(401);
  await expect(stranger.getByRole('heading', { level: 1, name: 'DRPO Studio' })).toBeVisible();
  await expect(stranger.getByRole('alert').first()).toBeVisible();
  await expect(stranger.getByTestId('run-row')).toHaveCount(0);
  await expect(stranger.getByText(id)).toHaveCount(0);
});

test('a run paused for a backend shows why; one finished with failures says how many', async ({
  page,
  studioServer,
}) => {
  const ts = Date.now();
  const backends = { main: { plugin: 'openai' } };
  const reason =
    'backend "main" unreachable since 12:03 (connect ECONNREFUSED 127.0.0.1:8000) — resume when it is back';
  const { id: pausedId } = await studioServer.studio.runs.importBundle({
    format: 'drpo-studio-run-bundle',
    version: 1,
    stage: 'system-prompt',
    config: { backends },
    events: [
      { seq: 0, ts, type: 'run-started', stage: 'system-prompt', version: '1' },
      {
        seq: 1,
        ts,
        type: 'run-paused',
        reason,
        outages: [{ backend: 'main', kind: 'connection', since: ts, message: 'connect ECONNREFUSED 127.0.0.1:8000' }],
      },
    ],
  });
  const { id: failedId } = await studioServer.studio.runs.importBundle({
    format: 'drpo-studio-run-bundle',
    version: 1,
    stage: 'system-prompt',
    config: { backends },
    events: [
      { seq: 0, ts, type: 'run-started', stage: 'system-prompt', version: '1' },
      { seq: 1, ts, type: 'run-finished', failed: 2 },
    ],
    result: { stage: 'system-prompt', status: 'finished-with-failures', bestPrompt: 'Be brief.' },
  });

  const errors = collectPageErrors(page);
  await page.goto(studioServer.url);
  const pausedRow = page.getByTestId('run-row').filter({ hasText: pausedId });
  const failedRow = page.getByTestId('run-row').filter({ hasText: failedId });
  await expect(pausedRow.getByTestId('run-status')).toHaveText('paused');
  await expect(failedRow.getByTestId('run-status')).toHaveText('finished, 2 failed');

  await pausedRow.click();
  const view = page.getByTestId('run-view');
  await expect(view.getByTestId('run-pause-reason')).toHaveText(`Paused: ${reason}.`);
  await failedRow.click();
  await expect(view.getByTestId('run-view-status')).toHaveText('finished, 2 failed');
  await expect(view.getByTestId('run-failures')).toContainText('Finished with failures: 2 nodes were left without');
  await expect(view.getByTestId('run-pause-reason')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test.describe
  .serial('a run on the embedded model', () => {
    let server: StudioServer;
    let runId: string;

    test.beforeAll(async () => {
      expect(existsSync(TINY_MODEL), `the tiny test model is missing: ${TINY_MODEL}`).toBe(true);
      server = await startStudioServer();
    });

    test.afterAll(async () => {
      await server?.stop();
    });

    test('started through the API, it appears in the runs list and finishes', async ({ page }) => {
      const errors = collectPageErrors(page);
      await page.goto(server.url);
      await expect(page.getByRole('heading', { level: 1, name: 'DRPO Studio' })).toBeVisible();

      await server.studio.connections.save('tiny', {
        plugin: 'llama-cpp',
        settings: { modelPath: TINY_MODEL, threads: 1, contextSize: 6144, parallel: 2 },
      });
      ({ id: runId } = await server.studio.runs.start({
        stage: 'system-prompt',
        config: {
          // Asks for more than the connection serves: the run is held to 2, with a warning the page shows.
          backends: { main: { connection: 'tiny', concurrency: 4 } },
          roles: {
            base: { maxTokens: 48 },
            selector: { maxTokens: 1200 },
            judge: { maxTokens: 1400 },
            optimizer: { maxTokens: 1400 },
          },
          search: { width: 2, samples: 2, depth: 2 },
          retrieval: { k: 1 },
          cacheDir: null,
        },
      }));

      // The page polls the list: the new run shows up without a reload.
      const row = page.getByTestId('run-row').filter({ hasText: runId });
      await expect(row).toBeVisible({ timeout: 15_000 });
      const status = row.getByTestId('run-status');
      await expect(status).toHaveText(/^(finished|failed|cancelled)$/, { timeout: 160_000 });
      const detail = await server.studio.runs.get(runId);
      expect(await status.textContent(), `the run ended ${detail.status}: ${detail.error ?? ''}\n${server.log()}`).toBe(
        'finished',
      );
      expect(detail.nodeCount).toBeGreaterThan(0);
      await row.click();
      // Among the backend's warnings (llama.cpp's own too), the one about the lowered limit.
      await expect(
        page.getByTestId('run-warnings').getByRole('listitem').filter({ hasText: 'requests at once' }),
      ).toHaveText(
        "⚠ main: the run asks for 4 requests at once, but the server serves 2 at a time; using 2 (raise the server's own limit, e.g. OLLAMA_NUM_PARALLEL, and the plugin's setting to go faster)",
      );
      expect(errors).toEqual([]);
    });

    test('screenshots of the studio for the docs', async ({ page }) => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(server.url);
      const row = page.getByTestId('run-row').filter({ hasText: runId });
      await expect(row.getByTestId('run-status')).toHaveText('finished');
      await shootWholePage(page, 'runs.png');

      // What may not exist yet is shot when it is there: the run's own view (its beam tree) …
      await row.click();
      const runView = page.getByTestId('run-view');
      if (
        await runView.waitFor({ timeout: 5_000 }).then(
          () => true,
          () => false,
        )
      ) {
        const tree = page.getByTestId('beam-tree');
        if (await tree.count()) await expect(tree.locator('[data-testid^="tree-node-"]').first()).toBeVisible();
        await shootWholePage(page, 'run.png');
      }
      // … and the screens behind the shell's navigation.
      // (Each is shot once the API call that fills it has answered.)
      for (const [name, call] of [
        ['connections', 'connections/list'],
        ['criteria', 'aspects/get'],
      ] as const) {
        const nav = page.getByTestId(`nav-${name}`);
        if (!(await nav.count())) continue;
        const loaded = page.waitForResponse((response) => new URL(response.url()).pathname === `/api/call/${call}`, {
          timeout: 10_000,
        });
        await nav.first().click();
        await expect(page.getByTestId(`screen-${name}`)).toBeVisible();
        expect((await loaded).status()).toBe(200);
        await shootWholePage(page, `${name}.png`);
      }
    });
  });

test('the key store without a keychain says so and stores a key only with "store anyway"', async ({
  page,
  studioServer,
}) => {
  // Browser mode has no key store: the desktop app's answers (Linux's plain-text backend) are played here.
  const stored: unknown[] = [];
  let names: string[] = [];
  await page.route(
    (url) => isCall(url.href, 'secrets/list'),
    (route) => route.fulfill({ json: { result: { available: true, names, backend: 'basic_text', weak: true } } }),
  );
  await page.route(
    (url) => isCall(url.href, 'secrets/set'),
    (route) => {
      const { args } = route.request().postDataJSON() as { args: [string, string, unknown] };
      stored.push(args);
      names = [args[0]];
      return route.fulfill({ json: { result: null } });
    },
  );
  const errors = collectPageErrors(page);
  await page.goto(studioServer.url);
  await page.getByTestId('nav-connections').click();
  const panel = page.getByTestId('key-store');
  await expect(panel.getByTestId('weak-key-store')).toContainText('basic_text');
  await panel.getByTestId('key-name').fill('OPENAI_KEY');
  await panel.getByTestId('key-value').fill('sk-weak-0123');
  await expect(panel.getByTestId('save-key')).toBeDisabled();
  await panel.getByTestId('accept-weak-key-store').check();
  await panel.getByTestId('save-key').click();
  await expect(panel.getByText('OPENAI_KEY')).toBeVisible();
  expect(stored).toEqual([['OPENAI_KEY', 'sk-weak-0123', { acceptWeakStorage: true }]]);
  // Asked again for the next key.
  await expect(panel.getByTestId('accept-weak-key-store')).not.toBeChecked();
  expect(errors).toEqual([]);
});
