// What the browser specs share: the tiny model, the screenshots folder, a page's errors, and a
// screenshot of everything a page shows.
import path from 'node:path';
import type { Page } from '@playwright/test';
import { repoRoot } from './studioServer.js';

/** stories260K: a 260K-parameter model that answers (nonsense) in seconds on one core. */
export const TINY_MODEL = path.resolve(repoRoot, '../shared/models/stories260K/stories260K.gguf');

// The README's screenshots are refreshed on demand (DRPO_SCREENSHOTS=1 npm run test:e2e);
// ordinary runs keep theirs out of the tree.
export const SCREENSHOTS = process.env.DRPO_SCREENSHOTS
  ? path.join(repoRoot, 'docs/screenshots')
  : path.join(repoRoot, 'test-results/screenshots');

/** Console errors and uncaught exceptions of a page, from now on. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}

/** Whether a response answers the StudioApi call `domain/method` (e.g. 'runs/list'). */
export function isCall(url: string, call: string): boolean {
  return new URL(url).pathname === `/api/call/${call}`;
}

/**
 * A screenshot of everything on the page. The shell scrolls inside its panes (the document itself
 * does not), where `fullPage` would stop at the viewport: grow the viewport by the most any pane
 * overflows, shoot, and restore it.
 */
export async function shootWholePage(page: Page, file: string): Promise<void> {
  const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
  const overflow = await page.evaluate(() =>
    Math.max(
      0,
      ...Array.from(document.querySelectorAll('*'), (element) => element.scrollHeight - element.clientHeight),
    ),
  );
  await page.setViewportSize({ width: viewport.width, height: Math.min(viewport.height + overflow, 6000) });
  await page.screenshot({ path: path.join(SCREENSHOTS, file), fullPage: true });
  await page.setViewportSize(viewport);
}
