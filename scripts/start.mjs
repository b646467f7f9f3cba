// `npm start`: the desktop app where Electron's binary is installed, else the same studio in
// the browser (`drpo-studio serve`), saying why. Both expect `npm run build` and
// `npm run build:electron` to have run (the npm script does that first).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** The Electron binary if it is on disk. Never `require('electron')`: that downloads it on first use. */
function electronBinary() {
  try {
    const dir = path.dirname(require.resolve('electron/package.json'));
    const relative = readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
    const binary = path.join(dir, 'dist', relative);
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

function startBrowserMode() {
  console.log(
    "Electron's binary is not installed here (it downloads on first use, and this machine cannot); opening browser mode instead.",
  );
  return spawn(process.execPath, [path.join(root, 'bin/drpo-studio.js'), 'serve', ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
}

const binary = electronBinary();
const child = binary ? spawn(binary, [root], { stdio: 'inherit' }) : startBrowserMode();
child.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
