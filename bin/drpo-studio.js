#!/usr/bin/env node
// The compiled CLI lives in dist/ (`npm run build`).
import('../dist/main/cli/program.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/main/cli')) {
    console.error('drpo-studio is not built yet: run `npm run build` first.');
  } else {
    console.error(error);
  }
  process.exit(1);
});
