// `drpo-studio models pull` as a user runs it (the built CLI), against a local server in the hub's
// layout ($DRPO_STUDIO_HUB_URL) serving ../shared/models/stories260K/stories260K.gguf with byte
// ranges: progress on standard error, the connection saved, the model answering through it;
// Ctrl-C keeping the partial file and the same command resuming it; a truncated file refused.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCliAsync } from '../support/cliProcess.js';
import { FakeGgufServer } from '../support/fakeGgufServer.js';
import { FakeHubServer } from '../support/fakeHubServer.js';
import { ggufFile } from '../support/ggufFile.js';

const STORIES = readFileSync(path.resolve(import.meta.dirname, '../../../shared/models/stories260K/stories260K.gguf'));
const hubPath = (file: string) => FakeGgufServer.hubPath('ggml-org', 'models', file);

describe('drpo-studio models pull', () => {
  let hub: FakeGgufServer;
  let work: string;
  beforeAll(async () => {
    hub = await FakeGgufServer.start();
    hub.files.set(hubPath('stories260K.gguf'), STORIES);
    work = mkdtempSync(path.join(tmpdir(), 'drpo-pull-cli-'));
  });
  afterAll(async () => {
    await hub.close();
    rmSync(work, { recursive: true, force: true });
  });
  const env = () => ({ DRPO_STUDIO_HUB_URL: hub.baseURL });
  const cli = (args: string[]) => runCliAsync(args, work, env());

  it('downloads with progress, saves a connection, and the model answers through it', {
    timeout: 120_000,
  }, async () => {
    const pulled = await cli(['models', 'pull', 'hf:ggml-org/models/stories260K.gguf', '--user-data', 'ud']);
    expect(pulled.code, pulled.stderr).toBe(0);
    const file = path.join(work, 'ud/models/gguf/stories260K.gguf');
    expect(pulled.stdout).toBe(`saved ${file} (1.2 MB) and connection "stories260k"\n`);
    // Not a terminal: lines, the last at the whole file (1,185,376 bytes).
    const lines = pulled.stderr.split('\n').filter((l) => l.startsWith('downloading '));
    expect(lines.at(-1)).toMatch(/^downloading hf:ggml-org\/models\/stories260K\.gguf: 1\.2 of 1\.2 MB, /);
    const settings = JSON.parse(readFileSync(path.join(work, 'ud/settings.json'), 'utf8'));
    expect(settings.connections.stories260k).toMatchObject({ plugin: 'llama-cpp', settings: { modelPath: file } });

    const listed = await cli(['models', 'list', '--user-data', 'ud']);
    expect(listed.stdout).toBe(`stories260K.gguf  1.2 MB  ${file}\n`);

    writeFileSync(path.join(work, 'run.json'), JSON.stringify({ backends: { main: { connection: 'stories260k' } } }));
    const tested = await cli(['test-connections', '--config', 'run.json', '--user-data', 'ud']);
    expect(tested.code, tested.stdout + tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/^ok main: /);
  });

  it('Ctrl-C keeps what arrived; the same command resumes it', { timeout: 120_000 }, async () => {
    const big = ggufFile([{ name: 'w', dims: [3_000_000], type: 0, bytes: 12_000_000 }]);
    hub.files.set(hubPath('big.gguf'), big);
    // Chunk 0 (from byte 0) never arrives whole; chunks 1 and 2 do (5 MiB chunks, ipull's).
    hub.cuts = [{ path: hubPath('big.gguf'), start: 0, after: 1_000_000, times: Number.POSITIVE_INFINITY }];
    const args = ['models', 'pull', 'hf:ggml-org/models/big.gguf', '--user-data', 'ud2'];
    const child = spawn(process.execPath, [CLI, ...args], { cwd: work, env: { ...process.env, ...env() } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const record = path.join(work, 'ud2/models/gguf/.partial/big.gguf.ipull');
    const deadline = Date.now() + 60_000;
    while (
      !/"chunks":\[[01],2,2\]/.test(existsSync(record) ? readFileSync(record).subarray(big.length).toString() : '')
    ) {
      if (Date.now() > deadline) throw new Error(`no chunks kept:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain(
      'drpo-studio: cancelled; the partial download is kept: pull the same source again to resume',
    );

    hub.cuts = [];
    hub.requests.length = 0;
    const resumed = await cli(args);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(hub.requests.filter((r) => r.range && r.range !== 'bytes=0-3').map((r) => r.range)).toEqual([
      `bytes=0-${5 * 1024 * 1024 - 1}`,
    ]);
    expect(readFileSync(path.join(work, 'ud2/models/gguf/big.gguf')).equals(big)).toBe(true);
  });

  it('refuses a truncated file and a missing one, exit 1, and keeps no model', { timeout: 60_000 }, async () => {
    hub.files.set(hubPath('short.gguf'), STORIES.subarray(0, 600_000));
    const short = await cli(['models', 'pull', 'hf:ggml-org/models/short.gguf', '--user-data', 'ud3']);
    expect(short.code).toBe(1);
    expect(short.stderr).toContain(
      'drpo-studio: ggml-org/models/short.gguf is cut short: 600000 bytes, where its tensors need 1185376',
    );
    const missing = await cli(['models', 'pull', 'hf:ggml-org/models/none.gguf', '--user-data', 'ud3']);
    expect(missing.stderr).toContain('drpo-studio: the hub has no ggml-org/models/none.gguf (404)\n');
    expect((await cli(['models', 'list', '--user-data', 'ud3'])).stdout).toBe(
      'no models downloaded yet (drpo-studio models catalog)\n',
    );
  });

  it('"embedder" downloads the retrieval embedding model into its own folder', { timeout: 60_000 }, async () => {
    const embedderHub = await FakeHubServer.start(
      path.resolve(import.meta.dirname, '../../../shared/models/tiny-random-bert'),
    );
    try {
      const out = await runCliAsync(['models', 'pull', 'embedder', '--user-data', 'ud4'], work, {
        DRPO_STUDIO_HUB_URL: embedderHub.baseURL,
      });
      expect(out.code, out.stderr).toBe(0);
      const dir = path.join(work, 'ud4/models/sentence-transformers/all-mpnet-base-v2');
      expect(out.stdout).toBe(`sentence-transformers/all-mpnet-base-v2 is ready in ${dir}\n`);
      // The four files, 357 + 254 + 6741 + 39714 = 47066 bytes (../shared/models/README.md).
      expect(out.stderr.trim().split('\n').at(-1)).toMatch(
        /^models pull: downloading sentence-transformers\/all-mpnet-base-v2: 47\.1 of 47\.1 kB/,
      );
      expect(existsSync(path.join(dir, '.complete.json'))).toBe(true);
    } finally {
      await embedderHub.close();
    }
  });
});
