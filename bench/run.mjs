// npm run bench: the engine, embedded-model and renderer-bundle benchmarks (vitest,
// bench/<part>/*.perf.ts), the UI benchmark (Playwright in Chromium), then one table of every
// figure (bench/report.mjs). A step that fails does not stop the others; the exit status says
// whether everything ran and every target held.
//
//   node bench/run.mjs                  # everything
//   node bench/run.mjs --only model,ui  # some parts: a folder of bench/ with *.perf.ts files, or ui
//   node bench/run.mjs --only bundle    # the renderer's bundle sizes alone (after npm run build:electron)
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { findBrowser, missingBrowserMessage } from '../scripts/findBrowser.mjs';

const benchDir = import.meta.dirname;
const perfParts = readdirSync(benchDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && readdirSync(path.join(benchDir, d.name)).some((f) => f.endsWith('.perf.ts')))
  .map((d) => d.name)
  .sort();
const parts = [...perfParts, 'ui'];

const onlyAt = process.argv.indexOf('--only');
const only =
  onlyAt >= 0
    ? (process.argv[onlyAt + 1] ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : parts;
const unknown = only.filter((p) => !parts.includes(p));
if (only.length === 0 || unknown.length > 0) {
  process.stderr.write(
    `bench: --only takes a comma-separated list of: ${parts.join(', ')}${unknown.length > 0 ? ` (not: ${unknown.join(', ')})` : ''}\n`,
  );
  process.exit(2);
}

// The browser the UI benchmark drives: the same as playwright.config.ts's.
const browser = findBrowser();
const startedAt = new Date().toISOString();
const steps = [];
const selectedPerf = perfParts.filter((p) => only.includes(p));
if (selectedPerf.length > 0) {
  const filters = selectedPerf.length === perfParts.length ? [] : selectedPerf.map((p) => `bench/${p}/`);
  steps.push([
    `benchmarks: ${selectedPerf.join(', ')}`,
    'npx',
    ['vitest', 'run', '--config', 'bench/vitest.bench.config.ts', ...filters],
  ]);
}
if (only.includes('ui')) {
  steps.push(
    browser
      ? ['UI benchmark', 'npx', ['playwright', 'test', '--config', 'bench/playwright.bench.config.ts']]
      : ['UI benchmark', null, missingBrowserMessage],
  );
}

const failed = [];
for (const [name, command, args] of steps) {
  process.stdout.write(`\n== ${name} ==\n`);
  if (command === null) {
    process.stdout.write(`skipped: ${args}\n`);
    failed.push(`${name} (skipped)`);
    continue;
  }
  const { status } = spawnSync(command, args, { stdio: 'inherit' });
  if (status !== 0) failed.push(name);
}
process.stdout.write('\n== report ==\n');
const { status: reportStatus } = spawnSync('node', [path.join(benchDir, 'report.mjs'), '--since', startedAt], {
  stdio: 'inherit',
});
if (reportStatus !== 0) failed.push('report');
if (failed.length > 0) {
  process.stdout.write(`\nfailed: ${failed.join(', ')}\n`);
  process.exit(1);
}
