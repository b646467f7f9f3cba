import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests run a real model on 2 cores; keep files sequential so they don't fight for them.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests never reach the internet: the model hub is a closed local port (4: unassigned, and below 1024 no test can take it), so
    // runs on the default retriever (the paper's embedding model) fall back to BM25 at once. Tests
    // of the download serve a model themselves and set their own URL.
    env: { DRPO_STUDIO_HUB_URL: 'http://127.0.0.1:4' },
  },
});
