// The npm package as a user gets it: `npm pack`, installed into an empty folder, and the CLI run
// from there through npx (--version, estimate, serve with the page and its script loading).
//
// The tarball is packed with --ignore-scripts: its prepack build (npm run build && npm run
// build:electron) has already run in `npm test` before vitest, so the test packs those builds
// instead of building again. The install takes about half a minute here: npm's cache holds every
// dependency after `npm ci`; ONNXRUNTIME_NODE_INSTALL=skip keeps onnxruntime-node's postinstall
// from fetching CUDA files (offline it fails the whole install), as the README tells users.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve('.');
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
let dir: string;
let app: string;
let packed: string[];
let server: ChildProcess | undefined;

const npx = (args: string[]) =>
  execFileSync('npx', ['--no', '--', 'drpo-studio', ...args], { cwd: app, encoding: 'utf8', timeout: 60_000 });

beforeAll(() => {
  for (const built of ['dist/main/cli/program.js', 'out/renderer/index.html']) {
    if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build && npm run build:electron first`);
  }
  dir = mkdtempSync(path.join(tmpdir(), 'drpo-pack-'));
  app = path.join(dir, 'app');
  const [pack] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
      cwd: repo,
      encoding: 'utf8',
    }),
  ) as [{ filename: string; files: { path: string }[] }];
  packed = pack.files.map((f) => f.path);
  mkdirSync(app);
  writeFileSync(path.join(app, 'package.json'), '{ "private": true }\n');
  execFileSync(
    'npm',
    ['install', path.join(dir, pack.filename), '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
    { cwd: app, env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' }, timeout: 240_000, stdio: 'ignore' },
  );
}, 300_000);

afterAll(() => {
  // serve was started in its own process group: npx and the node under it go together.
  if (server?.pid) process.kill(-server.pid, 'SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('holds the built CLI, the built UI and the resources, and nothing of the tests, sources or docs', () => {
    for (const file of [
      'package.json',
      'README.md',
      'bin/drpo-studio.js',
      'dist/main/cli/program.js',
      'dist/plugins/llama-cpp/manifest.json',
      'out/renderer/index.html',
      'resources/aspects.json',
      'resources/prompts/reward.txt',
    ]) {
      expect(packed).toContain(file);
    }
    const unwanted = packed.filter((f) =>
      /^(test|src|docs|bench|examples|scripts|\.ci)\/|\.map$|^(tsconfig|vitest|playwright|electron)/.test(f),
    );
    expect(unwanted).toEqual([]);
  });

  it('runs from an empty folder it was installed into: --version and estimate', () => {
    expect(npx(['--version'])).toBe(`${version}\n`);
    // A.5 for W=2, M=2, D=2: W·M·D = 8 optimizer samples, generations and judgements, D = 2
    // selections. Planned: the root level holds one state (1 generation, judgement and
    // selection), its M = 2 rewrites make level 2 (2 more of each but one selection).
    writeFileSync(
      path.join(app, 'run.json'),
      JSON.stringify({
        backends: { local: { plugin: 'llama-cpp', settings: { modelPath: 'model.gguf', threads: 1 } } },
        search: { width: 2, samples: 2, depth: 2 },
      }),
    );
    const estimate = JSON.parse(npx(['estimate', '--config', 'run.json', '--json'])) as Record<string, unknown>;
    expect(estimate.a5).toEqual({ optimizer: 8, selector: 2, base: 8, judge: 8 });
    expect(estimate.planned).toEqual({ optimizer: 2, selector: 2, base: 3, judge: 3 });
  });

  it('serves the studio: the page loads, and so does the script it references', async () => {
    const child = spawn('npx', ['--no', '--', 'drpo-studio', 'serve', '--user-data', path.join(dir, 'user-data')], {
      cwd: app,
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    server = child;
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
        if (match) resolve(match[0]);
      });
      child.once('exit', (code) => reject(new Error(`serve exited (${code}) before it printed its address: ${out}`)));
    });
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<title>DRPO Studio</title>');
    const script = /<script type="module" crossorigin src="\.\/(assets\/index-[\w-]+\.js)">/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${url}/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await asset.text()).length).toBeGreaterThan(1000);
  });
});
