// The Chromium-family browser the browser tests (playwright.config.ts) and the UI benchmark
// drive, found without a build step (plain ESM, so configs and scripts import it as is). First
// found wins: DRPO_E2E_CHROMIUM; Playwright's own Chromium when it has been installed; a system
// Chromium or Chrome on PATH; the usual install folders on macOS and Windows. One found on PATH
// or in a folder counts only if it runs (`--version` names Chrome or Chromium).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The one line said when there is no browser (and none could be installed). */
export const missingBrowserMessage =
  'no Chromium or Chrome for the browser tests; install one (Debian/Ubuntu: sudo apt-get install chromium; Fedora: sudo dnf install chromium; anywhere: npx playwright install chromium) or set DRPO_E2E_CHROMIUM=/path/to/chrome';

const commandNames = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function isExecutableFile(file) {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a browser found on PATH or in an install folder runs: `--version` exits 0 naming
 * Chrome or Chromium. Not every such file is a browser: Ubuntu's `chromium-browser` is a stub
 * that asks for the snap and exits 1, which Playwright would only fail on, cryptically, minutes later.
 */
function runs(file) {
  const result = spawnSync(file, ['--version'], {
    encoding: 'utf8',
    timeout: 10_000,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return result.status === 0 && /chrom/i.test(result.stdout ?? '');
}

const usable = (file) => isExecutableFile(file) && runs(file);

/** Playwright's browser where `playwright install chromium` put it (PLAYWRIGHT_BROWSERS_PATH honoured). */
function playwrightChromium() {
  try {
    const file = require('@playwright/test').chromium.executablePath();
    return isExecutableFile(file) ? file : undefined;
  } catch {
    // Playwright is not installed, or knows no build for this platform.
    return undefined;
  }
}

function onPath() {
  const extensions = process.platform === 'win32' ? ['.exe', ''] : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of commandNames) {
      for (const extension of extensions) {
        const file = path.join(dir, name + extension);
        if (usable(file)) return file;
      }
    }
  }
  return undefined;
}

/** Where macOS and Windows installers put Chrome and Chromium (they are not on PATH there). */
function installFolders() {
  if (process.platform === 'darwin') {
    return [
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
    ];
  }
  if (process.platform === 'win32') {
    const env = process.env;
    return [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA]
      .filter(Boolean)
      .map((root) => path.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'));
  }
  return [];
}

/**
 * The browser to drive, and where it was found; undefined when there is none. DRPO_E2E_CHROMIUM
 * is taken as given (the caller says when it does not exist).
 * @returns {{ path: string, source: string } | undefined}
 */
export function findBrowser() {
  const override = process.env.DRPO_E2E_CHROMIUM;
  if (override) return { path: override, source: 'DRPO_E2E_CHROMIUM' };
  const playwright = playwrightChromium();
  if (playwright) return { path: playwright, source: "Playwright's Chromium" };
  const command = onPath();
  if (command) return { path: command, source: 'PATH' };
  const installed = installFolders().find(usable);
  return installed ? { path: installed, source: 'installed browser' } : undefined;
}
