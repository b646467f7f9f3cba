// The first step of `npm test`: make sure the browser tests will have a browser before minutes
// of lint, builds and unit tests go by. When findBrowser.mjs finds none it tries, in turn,
// Playwright's installer and the system package manager (only as root or with passwordless
// sudo; DRPO_NO_BROWSER_INSTALL=1 forbids both), then looks again. Still none: one line on
// stderr says what to install, and the exit status is 1.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { findBrowser, missingBrowserMessage } from './findBrowser.mjs';

const require = createRequire(import.meta.url);
const note = (line) => process.stdout.write(`npm test: ${line}\n`);

function report(found) {
  note(`browser tests use ${found.path} (${found.source})`);
  process.exit(0);
}

/**
 * Runs a command with no input, all its output on our stdout (stderr keeps the one line that
 * says what failed); true when it exits 0 in time.
 */
function run(command, args, { timeoutMs, env = process.env }) {
  const result = spawnSync(command, args, { stdio: ['ignore', 1, 1], env, timeout: timeoutMs });
  if (result.error) note(`${command} ${args.join(' ')}: ${result.error.message}`);
  return result.status === 0;
}

/** Whether a command exits 0, quietly (to probe for apt-get, dnf, passwordless sudo). */
const succeeds = (command, args) => spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 }).status === 0;

/**
 * Playwright's own installer. Offline it must fail rather than hang: a socket silent for 10 s
 * fails an attempt (Playwright makes 5), and the whole install gets 10 minutes.
 */
function playwrightInstall() {
  let cli;
  try {
    cli = require.resolve('@playwright/test/cli');
  } catch {
    return;
  }
  note('no browser found; trying `playwright install chromium`');
  // Its five failed attempts print a stack each: kept out of the way, the last line shown.
  const result = spawnSync(process.execPath, [cli, 'install', 'chromium'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: 600_000,
    env: { PLAYWRIGHT_DOWNLOAD_CONNECTION_TIMEOUT: '10000', ...process.env },
  });
  if (result.status !== 0) {
    const lines = `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').filter((l) => l.trim());
    const why = result.error?.message ?? lines.find((l) => /ENOTFOUND|ECONNREFUSED|ETIMEDOUT/.test(l)) ?? lines.at(-1);
    note(`playwright install chromium failed: ${why ?? `exit ${result.status}`}`);
  }
}

/** `sudo -n` where we are not root and sudo needs no password; null where installing is not ours to do. */
function privilegePrefix() {
  if (process.getuid?.() === 0) return [];
  return succeeds('sudo', ['-n', 'true']) ? ['sudo', '-n'] : null;
}

/** Debian's (and Fedora's) chromium package, non-interactively. */
function systemInstall() {
  if (process.platform !== 'linux') return;
  const prefix = privilegePrefix();
  if (prefix === null) {
    note('not root and no passwordless sudo: not trying the system package manager');
    return;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const sudo = (args) => [...prefix, ...args];
  const managers = [
    [
      ['apt-get', 'update', '-q'],
      ['apt-get', 'install', '-y', '-q', '--no-install-recommends', 'chromium'],
    ],
    [['dnf', 'install', '-y', '-q', 'chromium']],
  ];
  for (const steps of managers) {
    if (!succeeds(steps[0][0], ['--version'])) continue;
    note(`trying ${steps.map((s) => sudo(s).join(' ')).join(' && ')}`);
    for (const step of steps) {
      const [command, ...args] = sudo(step);
      if (!run(command, args, { timeoutMs: 600_000, env })) break;
    }
    return;
  }
}

const found = findBrowser();
if (found?.source === 'DRPO_E2E_CHROMIUM' && !existsSync(found.path)) {
  process.stderr.write(`npm test: DRPO_E2E_CHROMIUM=${found.path} does not exist\n`);
  process.exit(1);
}
if (found) report(found);
if (process.env.DRPO_NO_BROWSER_INSTALL !== '1') {
  for (const install of [playwrightInstall, systemInstall]) {
    install();
    const now = findBrowser();
    if (now) report(now);
  }
}
process.stderr.write(`npm test: ${missingBrowserMessage}\n`);
process.exit(1);
