// The engine's benchmarks (`npm run bench`): vitest runs bench/**/*.perf.ts one file at a time
// (they measure wall time on a small machine); each writes bench/results/<name>.json.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['bench/**/*.perf.ts'],
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 120_000,
  },
});
