// npm run bench: the engine benchmarks (vitest, bench/**/*.perf.ts), the UI benchmark
// (Playwright in Chromium), then one table of every figure. A step that fails does not stop the
// others; the exit status says whether everything ran and every target held.
import { spawnSync } from 'node:child_process';

const steps = [
  ['engine and embedded-model benchmarks', 'npx', ['vitest', 'run', '--config', 'bench/vitest.bench.config.ts']],
  ['UI benchmark', 'npx', ['playwright', 'test', '--config', 'bench/playwright.bench.config.ts']],
  ['report', 'node', ['bench/report.mjs']],
];
let failed = [];
for (const [name, command, args] of steps) {
  process.stdout.write(`\n== ${name} ==\n`);
  const { status } = spawnSync(command, args, { stdio: 'inherit' });
  if (status !== 0) failed.push(name);
}
if (failed.length > 0) {
  process.stdout.write(`\nfailed: ${failed.join(', ')}\n`);
  process.exit(1);
}
