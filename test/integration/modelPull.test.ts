// Pulling a GGUF (src/main/models) from a local server in the hub's layout: progress, the checks
// that keep a bad file from being taken for a model, resuming, and the connection saved for it.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DownloadCancelledError, downloadGguf, type PullProgress } from '../../src/main/models/ggufDownload.js';
import { pullModel } from '../../src/main/models/modelPulls.js';
import { parseModelSource } from '../../src/main/models/modelSource.js';
import { SettingsStore } from '../../src/main/store/settingsStore.js';
import { FakeGgufServer } from '../support/fakeGgufServer.js';
import { ggufFile } from '../support/ggufFile.js';

const STORIES = readFileSync(path.resolve(import.meta.dirname, '../../../shared/models/stories260K/stories260K.gguf'));
const hubPath = (file: string) => FakeGgufServer.hubPath('ggml-org', 'models', file);
/** ipull's chunk: what a partial download keeps, in whole pieces of 5 MiB. */
const CHUNK = 5 * 1024 * 1024;

describe('models pull', () => {
  let hub: FakeGgufServer;
  let userData: string;
  const previousHub = process.env.DRPO_STUDIO_HUB_URL;

  beforeAll(async () => {
    hub = await FakeGgufServer.start();
    process.env.DRPO_STUDIO_HUB_URL = hub.baseURL;
    hub.files.set(hubPath('stories260K.gguf'), STORIES);
  });
  afterAll(async () => {
    process.env.DRPO_STUDIO_HUB_URL = previousHub;
    await hub.close();
  });
  beforeEach(() => {
    userData = mkdtempSync(path.join(tmpdir(), 'drpo-pull-'));
    hub.requests.length = 0;
    hub.cuts = [];
  });
  afterEach(() => rmSync(userData, { recursive: true, force: true }));

  const pull = (source: string, options: { connection?: string; signal?: AbortSignal } = {}) => {
    const progress: PullProgress[] = [];
    const done = pullModel({
      source,
      connection: options.connection,
      userDataDir: userData,
      signal: options.signal ?? new AbortController().signal,
      onProgress: (p) => progress.push(p),
    });
    return { done, progress };
  };
  const gguf = () => path.join(userData, 'models/gguf');
  const models = () => readdirSync(gguf()).filter((f) => f.endsWith('.gguf'));
  const connections = async () => (await SettingsStore.open(userData)).data.connections;

  it('takes a catalog id for its source: qwen2.5-0.5b-instruct is bartowski/Qwen2.5-0.5B-Instruct-GGUF on the hub', async () => {
    // The catalog's entry (resources/models.json) names this hub path; the fake hub serves the tiny model under it.
    const served = FakeGgufServer.hubPath(
      'bartowski',
      'Qwen2.5-0.5B-Instruct-GGUF',
      'Qwen2.5-0.5B-Instruct-Q4_K_M.gguf',
    );
    hub.files.set(served, STORIES);
    const result = await pull('qwen2.5-0.5b-instruct').done;
    expect(result.path).toBe(path.join(gguf(), 'Qwen2.5-0.5B-Instruct-Q4_K_M.gguf'));
    expect(hub.requests.map((r) => r.path)).toContain(served);
    expect(models()).toEqual(['Qwen2.5-0.5B-Instruct-Q4_K_M.gguf']);
  });

  it('downloads the file whole, reports progress to the last byte, and saves a connection', async () => {
    const { done, progress } = pull('hf:ggml-org/models/stories260K.gguf');
    const result = await done;
    const file = path.join(gguf(), 'stories260K.gguf');
    expect(result).toEqual({ path: file, sizeBytes: 1185376, connection: 'stories260k' });
    expect(readFileSync(file).equals(STORIES)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ downloadedBytes: 1185376, totalBytes: 1185376 });
    // The first request reads the magic (bytes 0-3) before the downloader starts.
    expect(hub.requests[0]).toEqual({ path: hubPath('stories260K.gguf'), range: 'bytes=0-3' });
    expect((await connections()).stories260k).toEqual({
      plugin: 'llama-cpp',
      settings: expect.objectContaining({ modelPath: file, contextSize: 4096, parallel: 1, gpu: false }),
    });
    // Pulling again fetches only the magic, keeps the connection and takes no second name.
    hub.requests.length = 0;
    expect((await pull('hf:ggml-org/models/stories260K.gguf').done).connection).toBe('stories260k');
    expect(hub.requests).toEqual([{ path: hubPath('stories260K.gguf'), range: 'bytes=0-3' }]);
    expect(Object.keys(await connections())).toEqual(['stories260k']);
  });

  it('names the connection as asked, never over another model, and moves a derived name on', async () => {
    const store = await SettingsStore.open(userData);
    await store.update((s) => {
      s.connections.mine = { plugin: 'openai', settings: { baseURL: 'http://127.0.0.1:1/v1', model: 'x' } };
      s.connections.stories260k = { plugin: 'llama-cpp', settings: { modelPath: '/elsewhere/other.gguf' } };
    });
    await expect(pull('hf:ggml-org/models/stories260K.gguf', { connection: 'mine' }).done).rejects.toThrow(
      'a connection named "mine" already exists for another model',
    );
    expect((await pull('hf:ggml-org/models/stories260K.gguf').done).connection).toBe('stories260k-2');
    expect((await connections()).mine?.plugin).toBe('openai');
  });

  it('survives a connection cut midway: the retry completes the same bytes', async () => {
    hub.cuts = [{ path: hubPath('stories260K.gguf'), start: 0, after: 400_000, times: 1 }];
    const file = (await pull('hf:ggml-org/models/stories260K.gguf').done).path;
    expect(readFileSync(file).equals(STORIES)).toBe(true);
    // One chunk (the file is under 5 MiB), asked for twice: cut, then whole.
    expect(hub.requests.filter((r) => r.range === 'bytes=0-1185375')).toHaveLength(2);
  });

  it('gives up when nothing new arrives: a server that cuts every connection at the same place', async () => {
    hub.cuts = [{ path: hubPath('stories260K.gguf'), start: 0, after: 400_000, times: Number.POSITIVE_INFINITY }];
    const download = downloadGguf({
      userDataDir: userData,
      source: parseModelSource('hf:ggml-org/models/stories260K.gguf'),
      signal: new AbortController().signal,
      onProgress: () => {},
      stallMs: 1500,
    });
    await expect(download).rejects.toThrow(
      'ggml-org/models/stories260K.gguf: no progress for 2 s (the server stopped sending or keeps failing); the partial download is kept: pull the same source again to resume',
    );
    expect(models()).toEqual([]);
  });

  it('resumes a cancelled download from the chunks it kept', { timeout: 60_000 }, async () => {
    // 3 chunks: one F32 tensor of 3,000,000 values, 12,000,000 bytes, after a header of 24 + 45
    // (metadata) + 33 (tensor info: 8 + 1 name, 4, 8, 4, 8) = 102 bytes padded to 128: 12,000,128.
    const big = ggufFile([{ name: 'w', dims: [3_000_000], type: 0, bytes: 12_000_000 }]);
    expect(big.length).toBe(12_000_128);
    hub.files.set(hubPath('big.gguf'), big);
    // ipull fetches chunk 0 (from byte 0) on one connection and the later chunks on others:
    // the server keeps cutting chunk 0, so only chunks 1 and 2 arrive.
    hub.cuts = [{ path: hubPath('big.gguf'), start: 0, after: 1_000_000, times: Number.POSITIVE_INFINITY }];
    const controller = new AbortController();
    const first = pull('hf:ggml-org/models/big.gguf', { signal: controller.signal });
    const partial = path.join(gguf(), '.partial/big.gguf.ipull');
    // ipull appends its record of the chunks after the file's bytes; cancel once chunks 1 and 2 are done.
    await until(() => /^[01],2,2$/.test(keptChunks(partial, big.length)));
    controller.abort();
    await expect(first.done).rejects.toBeInstanceOf(DownloadCancelledError);
    expect(existsSync(path.join(gguf(), 'big.gguf'))).toBe(false);

    hub.cuts = [];
    hub.requests.length = 0;
    const second = await pull('hf:ggml-org/models/big.gguf').done;
    // Only chunk 0 is asked for again: bytes 0 to 5 MiB - 1.
    expect(hub.requests.filter((r) => r.range && r.range !== 'bytes=0-3').map((r) => r.range)).toEqual([
      `bytes=0-${CHUNK - 1}`,
    ]);
    expect(readFileSync(second.path).equals(big)).toBe(true);
  });

  it('refuses a truncated file served with a matching length, and keeps nothing of it', async () => {
    hub.files.set(hubPath('short.gguf'), STORIES.subarray(0, 1_000_000));
    await expect(pull('hf:ggml-org/models/short.gguf').done).rejects.toThrow(
      'ggml-org/models/short.gguf is cut short: 1000000 bytes, where its tensors need 1185376 (an incomplete download)',
    );
    expect(readdirSync(gguf())).toEqual(['.partial']);
    expect(readdirSync(path.join(gguf(), '.partial'))).toEqual([]);
    expect(await connections()).toEqual({});
  });

  it('refuses what is not a GGUF, a missing file, a failing server and a file larger than the disk', async () => {
    hub.files.set(hubPath('page.gguf'), Buffer.from('<!DOCTYPE html><html>Sign in</html>'));
    await expect(pull('hf:ggml-org/models/page.gguf').done).rejects.toThrow(
      'ggml-org/models/page.gguf is not a GGUF file (it starts with "<!DO")',
    );
    await expect(pull('hf:ggml-org/nothing/here.gguf').done).rejects.toThrow(
      'the hub has no ggml-org/nothing/here.gguf (404)',
    );
    hub.statuses.set(hubPath('down.gguf'), 503);
    await expect(pull('hf:ggml-org/models/down.gguf').done).rejects.toThrow(
      'ggml-org/models/down.gguf: the server failed (503 Service Unavailable); try again later',
    );
    hub.files.set(hubPath('huge.gguf'), STORIES);
    hub.claimedLength.set(hubPath('huge.gguf'), 2 ** 52);
    await expect(pull('hf:ggml-org/models/huge.gguf').done).rejects.toThrow(
      /^not enough disk space: huge\.gguf needs 4503599627\.4 MB, [\d.]+ MB free in /,
    );
    expect(models()).toEqual([]);
    expect(await connections()).toEqual({});
  });
});

/** ipull's chunk states (0 not started, 1 in progress, 2 done) from the record after the data, or '' while none. */
function keptChunks(file: string, size: number): string {
  if (!existsSync(file)) return '';
  const tail = readFileSync(file).subarray(size).toString('utf8');
  try {
    return (JSON.parse(tail) as { chunks: number[] }).chunks.join(',');
  } catch {
    return '';
  }
}

async function until(condition: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
