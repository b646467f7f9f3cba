// The run view gives the beam tree the room: a finished 40-node run (written through the run store,
// as the UI benchmark does: W = 3, M = 3, levels of 1, 3, 9, 9, 9 and 9 nodes) opens fitted, every
// card in view; hiding the side column and the inspector widens the tree, and the choice outlives a
// reload; a search by text highlights its matches and Enter selects and centres them in turn; the
// arrow keys walk the tree, Enter opens the inspector and Escape comes back. A live run (a
// scripted model on a local server) is followed until the user pans, and again after Follow.
import type { Locator, Page } from '@playwright/test';
import { writeSyntheticRun } from '../../bench/support/syntheticRun.js';
import type { ModelClient } from '../../src/plugins/contract.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';
import scripted from '../support/plugins/scripted/index.js';
import { collectPageErrors, SCREENSHOTS } from './support/pages.js';
import { expect, test } from './support/studioServer.js';

/** Whether `inner`'s box lies wholly inside `outer`'s. */
async function inside(inner: Locator, outer: Locator): Promise<boolean> {
  const [a, b] = [await inner.boundingBox(), await outer.boundingBox()];
  return (
    a !== null &&
    b !== null &&
    a.x >= b.x &&
    a.y >= b.y &&
    a.x + a.width <= b.x + b.width + 0.5 &&
    a.y + a.height <= b.y + b.height + 0.5
  );
}

async function treeWidth(page: Page): Promise<number> {
  return (await page.getByTestId('beam-tree').boundingBox())!.width;
}

test('the beam tree gets the room: panels hide, it fits, a node is found, the keys walk it', async ({
  page,
  studioServer,
}) => {
  const errors = collectPageErrors(page);
  const run = writeSyntheticRun({ userDataDir: studioServer.userDataDir, nodes: 40, width: 3, samples: 3 });
  const { tree } = await studioServer.studio.runs.get(run.id);
  expect(tree).toHaveLength(40);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(studioServer.url);
  await page.getByRole('button', { name: `Open run ${run.id}` }).click();

  const view = page.getByTestId('run-view');
  const box = view.getByTestId('beam-tree');
  const cards = box.locator('button.tree-node');
  // Fitted on open: only the cards in view are drawn, and all 40 are, each inside the pane.
  await expect(cards).toHaveCount(40);
  await expect
    .poll(async () => (await Promise.all((await cards.all()).map((c) => inside(c, box)))).every(Boolean))
    .toBe(true);

  // The layout's order of levels 1 and 2, read off the fitted tree.
  const leftToRight = async (level: number) => {
    const ids = tree.filter((n) => n.level === level).map((n) => n.id);
    const xs = new Map<string, number>();
    for (const id of ids) xs.set(id, (await box.getByTestId(`tree-node-${id}`).boundingBox())!.x);
    return ids.sort((a, b) => xs.get(a)! - xs.get(b)!);
  };
  const level1 = await leftToRight(1);
  const level2 = await leftToRight(2);
  const parentOf = new Map(tree.map((n) => [n.id, n.parentId]));

  // Hiding the side column, then the inspector, widens the tree each time; the chart hides too.
  const widths = [await treeWidth(page)];
  await page.getByTestId('toggle-runs-side').click();
  await expect(page.getByTestId('toggle-runs-side')).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByTestId('run-list')).toBeHidden();
  widths.push(await treeWidth(page));
  await view.getByTestId('toggle-run-inspector').click();
  await expect(view.getByTestId('node-inspector')).toHaveCount(0);
  widths.push(await treeWidth(page));
  // The side column's 400 px shared 3 : 2 with the inspector, then the inspector's two fifths.
  expect(widths[1]).toBeGreaterThan(widths[0]! + 200);
  expect(widths[2]).toBeGreaterThan(widths[1]! + 400);
  await view.getByTestId('toggle-run-chart').click();
  await expect(view.getByTestId('reward-chart')).toHaveCount(0);
  // Remembered: after a reload the side column and the inspector stay hidden (the chart shown again).
  await view.getByTestId('toggle-run-chart').click();
  await page.reload();
  await expect(page.getByTestId('run-list')).toBeHidden();
  await page.getByTestId('toggle-runs-side').click();
  await page.getByRole('button', { name: `Open run ${run.id}` }).click();
  await page.getByTestId('toggle-runs-side').click();
  await expect(view.getByTestId('toggle-run-inspector')).toHaveAttribute('aria-expanded', 'false');
  await expect(view.getByTestId('reward-chart')).toBeVisible();
  expect(await treeWidth(page)).toBeCloseTo(widths[2]!, 0);
  // The wider pane is fitted again: still every card in view.
  await expect(cards).toHaveCount(40);
  await expect
    .poll(async () => (await Promise.all((await cards.all()).map((c) => inside(c, box)))).every(Boolean))
    .toBe(true);
  await view.getByTestId('toggle-run-inspector').click();

  // Find by text: level 2's query ("Seed query 3: …", quoted in each answer) is in its 9 nodes
  // alone, the children of 0.0, 0.1 and 0.2; Enter visits them left to right.
  expect([...level2].sort()).toEqual(['0.0.0', '0.0.1', '0.0.2', '0.1.0', '0.1.1', '0.1.2', '0.2.0', '0.2.1', '0.2.2']);
  const find = view.getByTestId('tree-find');
  await find.fill('seed QUERY 3');
  await expect(view.getByTestId('tree-find-count')).toHaveText('9 matches');
  await expect(box.locator('.tree-node--match')).toHaveCount(9);
  for (const id of level2) await expect(box.getByTestId(`tree-node-${id}`)).toHaveClass(/tree-node--match/);
  const inspector = view.getByTestId('node-inspector');
  await find.press('Enter');
  await expect(view.getByTestId('tree-find-count')).toHaveText('1 of 9');
  await expect(inspector.getByRole('heading', { name: `Node ${level2[0]}` })).toBeVisible();
  await find.press('Enter');
  await find.press('Enter');
  await expect(view.getByTestId('tree-find-count')).toHaveText('3 of 9');
  await expect(inspector.getByRole('heading', { name: `Node ${level2[2]}` })).toBeVisible();
  await find.press('Shift+Enter');
  await expect(inspector.getByRole('heading', { name: `Node ${level2[1]}` })).toBeVisible();
  const found = box.getByTestId(`tree-node-${level2[1]}`);
  await expect(found).toHaveAttribute('aria-pressed', 'true');
  expect(await inside(found, box)).toBe(true);
  await page.screenshot({ path: `${SCREENSHOTS}/run-view-room.png` });
  // By id: exactly that node first.
  await find.fill('0.2.1');
  await find.press('Enter');
  await expect(inspector.getByRole('heading', { name: 'Node 0.2.1' })).toBeVisible();
  await expect(box.getByTestId('tree-node-0.2.1')).toHaveAttribute(
    'aria-label',
    /^Node 0\.2\.1, level 2, .*matches the search/,
  );
  await find.press('Escape');
  await expect(box.locator('.tree-node--match')).toHaveCount(0);

  // The keyboard: up to the parent, left along the level, down to the first child, right and left.
  const start = level2.find((id) => parentOf.get(id) === level1[1])!;
  const firstChild = level2.find((id) => parentOf.get(id) === level1[0])!;
  const next = level2[level2.indexOf(firstChild) + 1]!;
  // The last match was centred; fitting the tree again draws every card, the one to start from too.
  await view.getByTestId('tree-fit').click();
  await box.getByTestId(`tree-node-${start}`).focus();

  for (const [key, id] of [
    ['ArrowUp', level1[1]!],
    ['ArrowLeft', level1[0]!],
    ['ArrowDown', firstChild],
    ['ArrowRight', next],
    ['ArrowLeft', firstChild],
  ] as const) {
    await page.keyboard.press(key);
    await expect(box.getByTestId(`tree-node-${id}`)).toBeFocused();
    await expect(box.getByTestId(`tree-node-${id}`)).toHaveAttribute('aria-pressed', 'true');
    await expect(inspector.getByRole('heading', { name: `Node ${id}` })).toBeVisible();
  }
  await expect(box.locator('[aria-pressed="true"]')).toHaveCount(1);

  // Enter opens the inspector (shown again if hidden) with the focus in it; Escape returns it.
  await view.getByTestId('toggle-run-inspector').click();
  await box.getByTestId(`tree-node-${next}`).focus();
  await page.keyboard.press('Enter');
  await expect(inspector.getByRole('heading', { name: `Node ${next}` })).toBeVisible();
  await expect(view.locator('#run-inspector')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(box.getByTestId(`tree-node-${next}`)).toBeFocused();
  expect(errors).toEqual([]);
});

test('while a run runs, the tree follows it; a hand pan stops that, Follow takes it up again', async ({
  page,
  studioServer,
}) => {
  const errors = collectPageErrors(page);
  // A scripted model answering after 1.5 s: 20 levels of W = 2, M = 2 (three calls in a row each)
  // last far longer than the test, which cancels the run.
  const answers = (await scripted.create({ latencyMs: 1500 }, { baseDir: '.', log: () => {} })) as ModelClient;
  const server = await FakeOpenAIServer.start(answers);
  try {
    const { id } = await studioServer.studio.runs.start({
      stage: 'system-prompt',
      config: {
        backends: { main: { plugin: 'openai', settings: { baseURL: server.baseURL, model: 'stories260K' } } },
        search: { width: 2, samples: 2, depth: 20 },
        cacheDir: null,
      },
    });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(studioServer.url);
    await page.getByRole('button', { name: `Open run ${id}` }).click();
    const view = page.getByTestId('run-view');
    const box = view.getByTestId('beam-tree');
    const cards = box.locator('button.tree-node');
    await expect(view.getByTestId('run-view-status')).toHaveText('running');
    // Following: while the tree fits, all of it is in view, level after level.
    await expect(cards).toHaveCount(3, { timeout: 30_000 });
    await expect(view.getByTestId('tree-follow')).toHaveCount(0);
    // Only the cards in view are drawn: every node drawn, each inside the pane.
    const nodeCount = async () =>
      Number((await view.getByText('Nodes', { exact: true }).locator('..').textContent())!.replace('Nodes', ''));
    const allInView = async () =>
      (await cards.count()) === (await nodeCount()) &&
      (await Promise.all((await cards.all()).map((c) => inside(c, box)))).every(Boolean);
    await expect.poll(allInView).toBe(true);

    // A pan by hand: the root moves with the mouse, and the view stays where the user put it (the
    // layout may shift the cards as the tree grows; the viewport itself does not move).
    const rootId = (await studioServer.studio.runs.get(id)).tree.find((n) => n.parentId === null)!.id;
    const root = box.getByTestId(`tree-node-${rootId}`);
    const before = (await root.boundingBox())!;
    const pane = (await box.boundingBox())!;
    await page.mouse.move(pane.x + 30, pane.y + 30);
    await page.mouse.down();
    await page.mouse.move(pane.x + 330, pane.y + 230, { steps: 5 });
    await page.mouse.up();
    const follow = view.getByTestId('tree-follow');
    await expect(follow).toBeVisible();
    expect((await root.boundingBox())!.x - before.x).toBeCloseTo(300, -1);
    const viewport = box.getByTestId('tree-viewport');
    const placed = await viewport.getAttribute('style');
    const count = await nodeCount();
    await expect.poll(nodeCount, { timeout: 30_000 }).toBeGreaterThan(count);
    await expect.poll(async () => (await cards.count()) < (await nodeCount())).toBe(true);
    expect(await viewport.getAttribute('style')).toBe(placed);

    // Follow: the view takes up the growing tree again.
    await follow.click();
    await expect(follow).toHaveCount(0);
    await expect.poll(allInView).toBe(true);
    await studioServer.studio.runs.cancel(id);
    await expect(view.getByTestId('run-view-status')).toHaveText('cancelled', { timeout: 30_000 });
    expect(errors).toEqual([]);
  } finally {
    await server.close();
  }
});
