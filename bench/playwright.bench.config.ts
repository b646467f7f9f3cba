// UI benchmarks (`npm run bench:ui`): the built studio served by `drpo-studio serve`, measured in
// the system Chromium exactly as the browser tests run it (playwright.config.ts). Not part of
// `npm test`. Needs `npm run build && npm run build:electron` first. Results: bench/results/.
import { defineConfig } from '@playwright/test';
import browserTests from '../playwright.config.js';

export default defineConfig({
  ...browserTests,
  testDir: '.',
  testMatch: /.*\.bench\.ts$/,
  outputDir: '../test-results/bench',
  timeout: 300_000,
  expect: { timeout: 30_000 },
  forbidOnly: false,
});
