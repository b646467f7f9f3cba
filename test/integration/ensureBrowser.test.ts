// `npm test`'s first step (scripts/ensureBrowser.mjs), run with the machine's browsers hidden: a
// PATH holding only `node` and fake package managers, Playwright's browser folder empty, and its
// installer pointed at a closed local port (so it fails at once, as it does offline).
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const script = path.resolve('scripts/ensureBrowser.mjs');
const missingLine =
  'npm test: no Chromium or Chrome for the browser tests; install one (Debian/Ubuntu: sudo apt-get install chromium; Fedora: sudo dnf install chromium; anywhere: npx playwright install chromium) or set DRPO_E2E_CHROMIUM=/path/to/chrome\n';

let dir: string;
let bin: string;

function writeExecutable(file: string, text: string): void {
  writeFileSync(file, text);
  chmodSync(file, 0o755);
}

/** A fake apt-get that logs each call; `install` either fails or puts a `chromium` on PATH. */
function fakeAptGet(install: 'fails' | 'installs'): void {
  const onInstall =
    install === 'fails'
      ? 'echo "E: Unable to locate package chromium" >&2; exit 100'
      : `printf '#!/bin/sh\\necho Chromium 1.0\\n' > "${bin}/chromium"; /bin/chmod 755 "${bin}/chromium"`;
  writeExecutable(
    path.join(bin, 'apt-get'),
    `#!/bin/sh\necho "$*" >> "${dir}/apt.log"\nif [ "$1" = install ]; then ${onInstall}; fi\nexit 0\n`,
  );
}

function ensureBrowser(extraEnv: Record<string, string> = {}) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [script], {
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: bin,
      HOME: dir,
      PLAYWRIGHT_BROWSERS_PATH: path.join(dir, 'playwright'),
      PLAYWRIGHT_DOWNLOAD_HOST: 'http://127.0.0.1:4',
      ...extraEnv,
    },
  });
  return { ...result, seconds: (Date.now() - started) / 1000 };
}

const aptCalls = () => (existsSync(path.join(dir, 'apt.log')) ? readFileSync(path.join(dir, 'apt.log'), 'utf8') : '');

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'drpo-browser-'));
  bin = path.join(dir, 'bin');
  mkdirSync(bin);
  mkdirSync(path.join(dir, 'playwright'));
  symlinkSync(process.execPath, path.join(bin, 'node'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('npm test finds a browser before anything else runs', () => {
  it('uses a browser already on PATH without installing anything', () => {
    writeExecutable(path.join(bin, 'google-chrome'), '#!/bin/sh\necho "Google Chrome 131.0.6778.85"\n');
    fakeAptGet('installs');
    const result = ensureBrowser();
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`npm test: browser tests use ${bin}/google-chrome (PATH)\n`);
    expect(aptCalls()).toBe('');
  });

  // Ubuntu's chromium-browser without the snap: on PATH and executable, but no browser.
  const SNAP_STUB =
    '#!/bin/sh\necho "Command \'/usr/bin/chromium-browser\' requires the chromium snap to be installed." >&2\nexit 1\n';

  it('passes over a chromium-browser that does not run (a snap stub) for the next one on PATH, or says what to install', () => {
    writeExecutable(path.join(bin, 'chromium-browser'), SNAP_STUB);
    const none = ensureBrowser({ DRPO_NO_BROWSER_INSTALL: '1' });
    expect(none.status).toBe(1);
    expect(none.stderr).toBe(missingLine);

    writeExecutable(path.join(bin, 'google-chrome-stable'), '#!/bin/sh\necho "Google Chrome 131.0.6778.85"\n');
    const next = ensureBrowser({ DRPO_NO_BROWSER_INSTALL: '1' });
    expect(next.status).toBe(0);
    expect(next.stdout).toBe(`npm test: browser tests use ${bin}/google-chrome-stable (PATH)\n`);
  });

  it('takes DRPO_E2E_CHROMIUM as given, and stops at once when it names no file', () => {
    const chrome = path.join(dir, 'my-chrome');
    writeExecutable(chrome, '#!/bin/sh\n');
    const given = ensureBrowser({ DRPO_E2E_CHROMIUM: chrome });
    expect(given.status).toBe(0);
    expect(given.stdout).toBe(`npm test: browser tests use ${chrome} (DRPO_E2E_CHROMIUM)\n`);

    const missing = ensureBrowser({ DRPO_E2E_CHROMIUM: path.join(dir, 'nothing') });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`npm test: DRPO_E2E_CHROMIUM=${dir}/nothing does not exist\n`);
  });

  it('with installs forbidden, stops at once with the one line saying what to install', () => {
    fakeAptGet('installs');
    const result = ensureBrowser({ DRPO_NO_BROWSER_INSTALL: '1' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(missingLine);
    expect(result.stdout).toBe('');
    expect(aptCalls()).toBe('');
  });

  // The package manager is used as root (here and in CI) or through passwordless sudo.
  it.skipIf(process.getuid?.() !== 0)(
    "when Playwright's installer and apt-get both fail, stops with the one line, quickly",
    () => {
      fakeAptGet('fails');
      const result = ensureBrowser();
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(missingLine);
      expect(result.stdout).toContain('E: Unable to locate package chromium\n');
      expect(result.stdout).toContain(
        'npm test: playwright install chromium failed: Error: connect ECONNREFUSED 127.0.0.1:4\n',
      );
      expect(aptCalls()).toBe('--version\nupdate -q\ninstall -y -q --no-install-recommends chromium\n');
      expect(result.seconds).toBeLessThan(30);
    },
  );

  it.skipIf(process.getuid?.() !== 0)('installs Chromium with apt-get when it may, then uses it', () => {
    fakeAptGet('installs');
    const result = ensureBrowser();
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      'npm test: trying apt-get update -q && apt-get install -y -q --no-install-recommends chromium\n',
    );
    expect(result.stdout.endsWith(`npm test: browser tests use ${bin}/chromium (PATH)\n`)).toBe(true);
    expect(aptCalls()).toBe('--version\nupdate -q\ninstall -y -q --no-install-recommends chromium\n');
  });
});
