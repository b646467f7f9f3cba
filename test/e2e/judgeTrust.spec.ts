// "Check the judge" on the Experiments screen (README "Can the judge be trusted?"), in browser
// mode, on local HTTP servers whose judges vary by script (test/support/varyingJudge.ts): a
// finished experiment arranged through the API, then on the page the estimate before Start, the
// score spread of one judge judging three times and the agreement of two judges, with the figures
// the scripts make (the same scripts as test/integration/judgeCheck.test.ts, worked out there).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CHECK_ITEMS, checkExperimentConfig, connectionTo, startJudgeServer } from '../support/varyingJudge.js';
import { collectPageErrors, SCREENSHOTS } from './support/pages.js';
import { expect, startStudioServer, test } from './support/studioServer.js';

test('re-judge variance and two-judge agreement: estimated, computed and shown', async ({ page }) => {
  const errors = collectPageErrors(page);
  const base = await startJudgeServer(Object.fromEntries(CHECK_ITEMS.map((i) => [String(i.id), [3]])));
  const judgeA = await startJudgeServer({
    '1': [
      { helpfulness: 5, clarity: 4, factuality: 'N/A', depth: 3, engagement: 2 },
      { helpfulness: 4, clarity: 4, factuality: 3, depth: 3, engagement: 2 },
      { helpfulness: 5, clarity: 4, factuality: 3, depth: 1, engagement: 2 },
    ],
    '2': [2, 3, 2],
    '3': [4],
    '4': [4],
    '5': [4],
    '6': [5, 'unreadable', 5],
  });
  const judgeB = await startJudgeServer({
    '1': [{ helpfulness: 4, clarity: 4, factuality: 4, depth: 3, engagement: 3 }],
    '2': [3],
    '3': [4],
    '4': [5],
    '5': [3],
    '6': [4],
  });
  const server = await startStudioServer();
  try {
    const { studio } = server;
    await studio.connections.save('server', connectionTo(base.server));
    await studio.connections.save('judgeA', connectionTo(judgeA.server));
    await studio.connections.save('judgeB', connectionTo(judgeB.server));
    const evalFile = path.join(server.userDataDir, 'check-items.json');
    writeFileSync(evalFile, JSON.stringify(CHECK_ITEMS));
    const { id } = await studio.experiments.start({ config: checkExperimentConfig(evalFile) });
    await expect.poll(async () => (await studio.experiments.get(id)).summary.status).toBe('finished');

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(server.url);
    await page.getByTestId('nav-experiments').click();
    await page.getByTestId('experiment-row').first().click();
    const panel = page.getByTestId('judge-check');
    // The experiment's own judge is offered first, with its estimate, before anything is asked.
    await expect(panel.getByTestId('judge-check-a')).toHaveValue('server');
    await expect(panel.getByTestId('judge-check-estimate')).toHaveText(
      'Estimate: 6 answers × 3 judgments by server = 18 judge calls (at most 36 with repair re-asks).',
    );
    await panel.getByTestId('judge-check-a').selectOption('judgeA');
    await panel.getByTestId('judge-check-sample').fill('6');
    await expect(panel.getByTestId('judge-check-estimate')).toHaveText(
      'Estimate: 6 answers × 3 judgments by judgeA = 18 judge calls (at most 36 with repair re-asks).',
    );
    expect(judgeA.model.count('judgement')).toBe(0);
    await panel.getByTestId('judge-check-start').click();
    const spread = panel.getByTestId('judge-check-table-variance');
    // helpfulness: [5,4,5] [2,3,2] and three answers at 4: mean 57/15, sd 2√2/15, 3 of 5 agree.
    await expect(spread.locator('tbody tr').first()).toHaveText(
      ['helpfulness', '5', '3.80', '0.19', '2–5', '1', '60%', '0', '0'].join(''),
    );
    // safety: one of item 6's replies could not be read: counted apart, nothing left to measure.
    await expect(spread.locator('tbody tr').last()).toHaveText(
      ['safety', '0', '–', '–', '–', '–', '–', '0', '1'].join(''),
    );
    expect(judgeA.model.count('judgement')).toBe(18);

    await panel.getByTestId('judge-check-agreement').check();
    await panel.getByTestId('judge-check-a').selectOption('judgeA');
    await panel.getByTestId('judge-check-b').selectOption('judgeB');
    await expect(panel.getByTestId('judge-check-estimate')).toHaveText(
      'Estimate: 6 answers × 2 judges (judgeA, judgeB) = 12 judge calls (at most 24 with repair re-asks).',
    );
    await panel.getByTestId('judge-check-start').click();
    const agreement = panel.getByTestId('judge-check-table-agreement');
    // A's counters are back at each script's first entry: helpfulness A [5,2,4,4,4], B [4,3,4,5,3].
    // Average ranks R [5,1,3,3,3], S [3.5,1.5,3.5,5,1.5]: ρ = 4/√(8·9) = 0.47; equal on item 3 only.
    await expect(agreement.locator('tbody tr').first()).toHaveText(
      ['helpfulness', '5', '0.47', '20%', '3.80', '3.80', '0/0', '0/0'].join(''),
    );
    await expect(agreement.locator('tbody tr').last()).toHaveText(
      ['safety', '1', '–', '0%', '5.00', '4.00', '0/0', '0/0'].join(''),
    );
    await panel.scrollIntoViewIfNeeded();
    mkdirSync(SCREENSHOTS, { recursive: true });
    await panel.screenshot({ path: path.join(SCREENSHOTS, 'judge-trust.png') });
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
    await Promise.all([base, judgeA, judgeB].map((j) => j.server.close()));
  }
});
