// Housekeeping in browser mode: runs on a scripted local server (an OpenAI-compatible fake whose
// model is scripted, so each run finishes in a second or two) are named and annotated (kept across
// a reload), searched, filtered by status, removed after the question, and duplicated; a finished
// run's export is saved as a file (the download's contents checked) and copied (the clipboard read
// back). A desktop notification fires when a long run the user started ends while the window is
// out of focus: Notification and document.hasFocus are stubbed, and the page's clock runs five
// minutes ahead of the server's, so a run of seconds counts as long.
import { readFileSync } from 'node:fs';
import type { ModelClient } from '../../src/plugins/contract.js';
import type { StartRunRequest, StudioApi } from '../../src/shared/studioApi.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';
import scripted from '../support/plugins/scripted/index.js';
import { collectPageErrors, shootWholePage } from './support/pages.js';
import { expect, test } from './support/studioServer.js';

const smallRun: StartRunRequest = {
  stage: 'system-prompt',
  config: {
    backends: { main: { connection: 'fake' } },
    search: { width: 1, samples: 1, depth: 2 },
    retrieval: { k: 1 },
    data: { limit: 1 },
    cacheDir: null,
  },
};

async function startFake(studio: StudioApi): Promise<FakeOpenAIServer> {
  const answers = (await scripted.create({ latencyMs: 0 }, { baseDir: '.', log: () => {} })) as ModelClient;
  const server = await FakeOpenAIServer.start(answers);
  await studio.connections.save('fake', {
    plugin: 'vllm',
    settings: { endpoints: [server.baseURL], model: 'stories260K' },
  });
  return server;
}

/** Waits until no run of the studio is running. */
async function settled(studio: StudioApi): Promise<void> {
  await expect
    .poll(async () => (await studio.runs.list()).filter((r) => r.status === 'running').length, { timeout: 60_000 })
    .toBe(0);
}

test('runs are named, searched, filtered, removed and duplicated; an export is saved and copied', async ({
  page,
  context,
  studioServer,
}) => {
  const { studio } = studioServer;
  const errors = collectPageErrors(page);
  const fake = await startFake(studio);
  try {
    const { id: first } = await studio.runs.start(smallRun);
    const { id: second } = await studio.runs.start(smallRun);
    // One that fails at once: its model file is not there.
    const { id: failed } = await studio.runs.start({
      ...smallRun,
      config: {
        ...smallRun.config,
        backends: {
          main: { plugin: 'llama-cpp', settings: { modelPath: `${studioServer.userDataDir}/missing.gguf` } },
        },
      },
    });
    await settled(studio);
    expect((await studio.runs.get(failed)).status).toBe('failed');

    await page.goto(studioServer.url);
    const rows = page.getByTestId('run-row');
    await expect(rows).toHaveCount(3);

    // Name and notes, on the run's view; the list shows the name.
    await rows.filter({ hasText: first }).click();
    const view = page.getByTestId('run-view');
    await view.getByTestId('item-description-edit').click();
    await view.getByTestId('item-name-input').fill('Polite answers');
    await view.getByTestId('item-notes-input').fill('width 1, scripted server');
    await view.getByTestId('item-description-save').click();
    await expect(view.getByTestId('item-name')).toHaveText('Polite answers');
    await expect(rows.filter({ hasText: first }).getByTestId('run-name')).toHaveText('Polite answers');
    expect(await studio.runs.list()).toContainEqual(
      expect.objectContaining({ id: first, name: 'Polite answers', notes: 'width 1, scripted server' }),
    );
    await page.reload();
    await expect(rows.filter({ hasText: first }).getByTestId('run-name')).toHaveText('Polite answers');
    await rows.filter({ hasText: first }).click();
    await expect(view.getByTestId('item-notes')).toHaveText('width 1, scripted server');

    // Search: by name, by a word of the notes, by id; then the status filter.
    const search = page.getByTestId('list-search');
    await search.fill('polite');
    await expect(rows).toHaveCount(1);
    await expect(page.getByTestId('list-filter-count')).toContainText('1 of 3');
    await search.fill('SCRIPTED width');
    await expect(rows).toHaveCount(1);
    await search.fill(second.slice(-6));
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(second.slice(-6));
    await search.fill('no such run');
    await expect(page.getByTestId('runs-none-match')).toBeVisible();
    await page.getByTestId('list-filter-clear').click();
    await expect(rows).toHaveCount(3);
    await page.getByTestId('list-status-filter').selectOption('failed');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(failed.slice(-6));

    // Remove asks first: Keep keeps it, Remove removes it.
    await rows.first().click();
    await view.getByTestId('remove-run').click();
    await view.getByTestId('remove-run-keep').click();
    await expect(rows).toHaveCount(1);
    await view.getByTestId('remove-run').click();
    await view.getByTestId('remove-run-confirm').click();
    await expect(rows).toHaveCount(0);
    await page.getByTestId('list-status-filter').selectOption('all');
    await expect(rows).toHaveCount(2);
    expect((await studio.runs.list()).map((r) => r.id).sort()).toEqual([first, second].sort());

    // Export the first run: saved as a file (the download's text is the export) and copied.
    await rows.filter({ hasText: first }).click();
    await view.getByTestId('export-run').click();
    const text = await studio.runs.export(first, 'text');
    await expect(view.getByTestId('export-output')).toHaveValue(text);
    const [download] = await Promise.all([page.waitForEvent('download'), view.getByTestId('export-save').click()]);
    expect(download.suggestedFilename()).toBe(`${first}.prompt.txt`);
    expect(readFileSync(await download.path(), 'utf8')).toBe(text);
    await expect(view.getByTestId('export-outcome')).toHaveText(`Saved ${first}.prompt.txt.`);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: studioServer.origin });
    await view.getByTestId('export-copy').click();
    await expect(view.getByTestId('export-outcome')).toHaveText('Copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text);

    // The run's bundle is saved the same way.
    const [bundleFile] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export bundle' }).click(),
    ]);
    expect(bundleFile.suggestedFilename()).toBe(`${first}.drpo-run.json`);
    expect(JSON.parse(readFileSync(await bundleFile.path(), 'utf8'))).toEqual(await studio.runs.exportBundle(first));

    // Duplicate: a new run of the same config, opened, named after the original.
    await view.getByTestId('duplicate-run').click();
    await expect(rows).toHaveCount(3);
    const copy = rows.filter({ hasText: 'Copy of Polite answers' });
    await expect(copy.getByTestId('run-status')).toHaveText('finished', { timeout: 60_000 });
    await expect(view.getByTestId('item-name')).toHaveText('Copy of Polite answers');

    await search.fill('polite');
    await expect(rows).toHaveCount(2);
    await rows.filter({ hasText: first }).click();
    await expect(view.getByTestId('item-notes')).toHaveText('width 1, scripted server');
    await shootWholePage(page, 'runs-housekeeping.png');
    expect(errors).toEqual([]);
  } finally {
    await fake.close();
  }
});

test('an experiment is named, searched and duplicated; its tables are saved as CSV and copied as Markdown', async ({
  page,
  context,
  studioServer,
}) => {
  const { studio } = studioServer;
  const errors = collectPageErrors(page);
  const fake = await startFake(studio);
  try {
    await studio.datasets.import(
      'trips',
      'eval-set',
      'trips.json',
      JSON.stringify([{ id: 1, instruction: 'Plan a trip.', category: 'regular', dataset: 'lima' }]),
    );
    const { id } = await studio.experiments.start({
      config: {
        backends: { main: { connection: 'fake' } },
        evalSet: { dataset: 'trips' },
        setups: [{ name: 'basic', kind: 'baseline' }],
        targets: [{ name: 'stories', backend: 'main' }],
        judge: { backend: 'main' },
        cacheDir: null,
      },
    });
    await expect
      .poll(async () => (await studio.experiments.get(id)).summary.status, { timeout: 60_000 })
      .toBe('finished');
    const tables = (await studio.experiments.get(id)).tables ?? [];
    const aspects = tables.find((t) => t.name === 'aspects')!;
    const transfer = tables.find((t) => t.name === 'transfer')!;

    await page.goto(studioServer.url);
    await page.getByRole('button', { name: 'Experiments' }).click();
    const rows = page.getByTestId('experiment-row');
    await rows.filter({ hasText: id }).click();
    const view = page.getByTestId('experiment-view');
    await view.getByTestId('item-description-edit').click();
    await view.getByTestId('item-name-input').fill('Trips on stories');
    await view.getByTestId('item-description-save').click();
    await expect(rows.filter({ hasText: id }).getByTestId('experiment-name')).toHaveText('Trips on stories');

    // The per-aspect table as CSV, saved: RFC 4180 lines of its header and rows.
    const aspectExport = view.getByTestId('table-export-aspects');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      aspectExport.getByTestId('table-export-save').click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${id}-aspects.csv`);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\n')[0]).toBe(aspects.header.map((h) => (h.includes(',') ? `"${h}"` : h)).join(','));
    expect(csv.split('\n')[1]).toBe(aspects.rows[0]!.join(','));
    // The transfer matrix as Markdown, copied.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: studioServer.origin });
    const transferExport = view.getByTestId('table-export-transfer');
    await transferExport.getByTestId('table-export-format').selectOption('markdown');
    await transferExport.getByTestId('table-export-copy').click();
    await expect(transferExport.getByTestId('table-export-outcome')).toHaveText('Copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      [
        `### ${transfer.title}`,
        '',
        `| ${transfer.header.join(' | ')} |`,
        `| ${transfer.header.map(() => '---').join(' | ')} |`,
        ...transfer.rows.map((row) => `| ${row.join(' | ')} |`),
        '',
      ].join('\n'),
    );

    // Duplicate, then search and filter.
    await view.getByTestId('duplicate-experiment').click();
    await expect(rows).toHaveCount(2);
    await expect(rows.filter({ hasText: 'Copy of Trips on stories' }).getByTestId('experiment-row-status')).toHaveText(
      'finished',
      { timeout: 60_000 },
    );
    const search = page.getByTestId('list-search');
    await search.fill('copy trips');
    await expect(rows).toHaveCount(1);
    await search.fill('stories');
    await expect(rows).toHaveCount(2);
    await page.getByTestId('list-status-filter').selectOption('running');
    await expect(page.getByTestId('experiments-none-match')).toBeVisible();
    expect(errors).toEqual([]);
  } finally {
    await fake.close();
  }
});

test('a long run the user started notifies when it ends while the window is out of focus', async ({
  page,
  studioServer,
}) => {
  const { studio } = studioServer;
  const fake = await startFake(studio);
  try {
    const { id } = await studio.runs.start(smallRun);
    await studio.runs.describe(id, { name: 'Overnight' });
    await settled(studio);

    await page.addInitScript(() => {
      const shown: { title: string; body?: string }[] = [];
      (window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown;
      class RecordingNotification {
        static permission = 'granted';
        static requestPermission = async () => 'granted';
        constructor(title: string, options?: { body?: string }) {
          shown.push({ title, body: options?.body });
        }
      }
      Object.defineProperty(window, 'Notification', { value: RecordingNotification });
      // The window is in the background.
      document.hasFocus = () => false;
    });
    // The page's clock is five minutes ahead of the server's: the duplicate's few seconds count as long.
    await page.clock.install({ time: Date.now() + 5 * 60_000 });
    await page.goto(studioServer.url);
    await page.getByTestId('run-row').filter({ hasText: id }).click();
    await page.getByTestId('duplicate-run').click();
    const shown = () =>
      page.evaluate(() => (window as unknown as { shownNotifications: unknown[] }).shownNotifications);
    await expect
      .poll(shown, { timeout: 60_000 })
      .toEqual([{ title: 'Run “Copy of Overnight” finished', body: expect.stringMatching(/^Run \d{8}-/) }]);
    // The run the user only looked at (not started here) never notifies.
    expect(await shown()).toHaveLength(1);
  } finally {
    await fake.close();
  }
});
