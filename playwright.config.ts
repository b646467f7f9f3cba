// Browser tests: the studio served by `drpo-studio serve`, driven in Chromium. They run the built
// CLI (dist/) and UI (out/renderer/), which `npm test` builds before it gets here.
//
// Playwright cannot download its own browser on these machines: the system Chromium is used
// (Debian: `apt-get install -y chromium`; .ci/run installs it). DRPO_E2E_CHROMIUM overrides the path.
import { defineConfig } from '@playwright/test';

const chromium = process.env.DRPO_E2E_CHROMIUM ?? '/usr/bin/chromium';

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
