// Browser tests: the studio served by `drpo-studio serve`, driven in Chromium. They run the built
// CLI (dist/) and UI (out/renderer/), which `npm test` builds before it gets here.
//
// The browser is the one scripts/findBrowser.mjs finds (DRPO_E2E_CHROMIUM, Playwright's own,
// or a system Chromium or Chrome); `npm test` first runs scripts/ensureBrowser.mjs, which
// installs one where it can and otherwise stops with what to install.
import { defineConfig } from '@playwright/test';
import { findBrowser } from './scripts/findBrowser.mjs';

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results',
  // A real tiny model runs on 2 cores: one test at a time, and minutes, not seconds, per test.
  workers: 1,
  fullyParallel: false,
  timeout: 180_000,
  expect: { timeout: 10_000 },
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: 'list',
  use: {
    headless: true,
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      // None found: Playwright's own error says how to install its browser.
      executablePath: findBrowser()?.path,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
