// UI benchmarks (`npm run bench:ui`): the built studio served by `drpo-studio serve`, measured in
// the system Chromium, as the browser tests run it (playwright.config.ts). Not part of `npm test`.
// Needs `npm run build && npm run build:electron` first. Results: bench/results/.
import { defineConfig } from '@playwright/test';

const chromium = process.env.DRPO_E2E_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.bench\.ts$/,
  outputDir: '../test-results/bench',
  workers: 1,
  fullyParallel: false,
  timeout: 300_000,
  expect: { timeout: 30_000 },
  retries: 0,
  reporter: 'list',
  use: {
    headless: true,
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      executablePath: chromium,
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
