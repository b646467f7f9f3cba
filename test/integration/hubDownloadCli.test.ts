// `drpo-studio optimize` on the default retriever, the paper's embedding model, with the model hub
// at a local server ($DRPO_STUDIO_HUB_URL) serving ../shared/models/tiny-random-bert under every
// model id: the first run downloads it into <user-data>/models/<owner>/<name> with its progress on
// standard error and in the log, the second run asks the hub nothing; a hub that cuts the
// connection leaves a run that ranks with BM25, says why once, and records it in result.json.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SystemPromptResult } from '../../src/main/runs/runResult.js';
import { readRunLog } from '../../src/main/store/runLog.js';
import type { ModelClient } from '../../src/plugins/contract.js';
import { CLI, folderFrom, runCliAsync } from '../support/cliProcess.js';
import { FakeHubServer } from '../support/fakeHubServer.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';
import scripted from '../support/plugins/scripted/index.js';

const modelDir = path.resolve(import.meta.dirname, '../../../shared/models/tiny-random-bert');
const MODEL = 'sentence-transformers/all-mpnet-base-v2';
const FILES = ['config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json'];
const TOTAL = 357 + 254 + 6741 + 39714; // ../shared/models/README.md

describe('drpo-studio optimize on the default retriever', () => {
  let server: FakeOpenAIServer;
  let hub: FakeHubServer;
  let work: string;

  beforeAll(async () => {
    const model = (await scripted.create({ latencyMs: 0 }, { baseDir: '.', log: () => {} })) as ModelClient;
    server = await FakeOpenAIServer.start(model);
    hub = await FakeHubServer.start(modelDir);
    work = mkdtempSync(path.join(tmpdir(), 'drpo-hub-cli-'));
    writeFileSync(
      path.join(work, 'run.json'),
      JSON.stringify({
        backends: { fake: { plugin: 'openai', settings: { baseURL: server.baseURL, model: 'stories260K' } } },
        search: { width: 1, samples: 1, depth: 2 },
        runsDir: 'runs',
        cacheDir: null,
      }),
    );
  });

  afterAll(async () => {
    await server.close();
    await hub.close();
    rmSync(work, { recursive: true, force: true });
  });

  const optimize = (userData: string) =>
    runCliAsync(['optimize', '--config', 'run.json', '--user-data', userData], work, {
      DRPO_STUDIO_HUB_URL: hub.baseURL,
    });
  const resultOf = (stderr: string) =>
    JSON.parse(readFileSync(path.join(folderFrom(stderr), 'result.json'), 'utf8')) as SystemPromptResult;

  it('downloads the model once, with its progress, ranks with it, and reuses it with no request', {
    timeout: 120_000,
  }, async () => {
    const first = await optimize('user-data');
    expect(first.code, first.stderr).toBe(0);
    expect(hub.requests.sort()).toEqual(FILES.map((f) => `/${MODEL}/resolve/main/${f}`));
    const dir = path.join(work, 'user-data/models', MODEL);
    for (const file of [...FILES, '.complete.json']) expect(existsSync(path.join(dir, file)), file).toBe(true);

    // A line as each file is done (the files come in parallel), the last one at the whole: 47066 bytes.
    const lines = first.stderr.split('\n').filter((l) => l.startsWith('optimize: downloading '));
    for (const done of [
      '(config.json 0.4 of 0.4 kB)',
      '(tokenizer_config.json 0.3 of 0.3 kB)',
      '(tokenizer.json 6.7 of 6.7 kB)',
      '(onnx/model.onnx 39.7 of 39.7 kB)',
    ])
      expect(
        lines.filter((l) => l.endsWith(done)),
        done,
      ).toHaveLength(1);
    expect(lines.at(-1)).toMatch(new RegExp(`^optimize: downloading ${MODEL}: 47\\.1 of 47\\.1 kB \\(`));
    expect(first.stderr).not.toContain('warning: retrieval');

    const events = readRunLog(path.join(folderFrom(first.stderr), 'events.jsonl')).events;
    const downloads = events.filter((e) => e.type === 'download');
    expect(downloads.at(-1)).toMatchObject({ model: MODEL, bytes: TOTAL, total: TOTAL });
    for (const file of FILES) expect(downloads.some((e) => e.file === file && e.fileBytes === e.fileTotal)).toBe(true);
    expect(resultOf(first.stderr).retrieval).toEqual({ requested: `hub:${MODEL}`, used: `embeddings:hub:${MODEL}` });

    hub.requests.length = 0;
    const second = await optimize('user-data');
    expect(second.code, second.stderr).toBe(0);
    expect(hub.requests).toEqual([]);
    expect(second.stderr).not.toContain('downloading');
    expect(resultOf(second.stderr).retrieval?.used).toBe(`embeddings:hub:${MODEL}`);
  });

  it('a hub that cuts the connection: BM25 ranks, one warning, result.json says why, nothing marked complete', {
    timeout: 120_000,
  }, async () => {
    hub.fault = { file: 'onnx/model.onnx', kind: 'cut' };
    const run = await optimize('cut-user-data');
    expect(run.code, run.stderr).toBe(0);
    const warnings = run.stderr.split('\n').filter((l) => l.startsWith('warning: retrieval'));
    expect(warnings).toHaveLength(1);
    const { retrieval } = resultOf(run.stderr);
    expect(retrieval).toMatchObject({ requested: `hub:${MODEL}`, used: 'bm25' });
    expect(retrieval?.reason).toMatch(/^onnx\/model\.onnx: .+ after \d+ bytes$/);
    expect(warnings[0]).toBe(
      `warning: retrieval: all-mpnet-base-v2 unavailable (${retrieval?.reason}) — BM25 ranks the examples instead`,
    );
    const logged = readRunLog(path.join(folderFrom(run.stderr), 'events.jsonl')).events;
    expect(logged.filter((e) => e.type === 'warning' && e.message.startsWith('retrieval:'))).toHaveLength(1);
    expect(existsSync(path.join(work, 'cut-user-data/models', MODEL, '.complete.json'))).toBe(false);
    expect(existsSync(path.join(work, 'cut-user-data/models', MODEL, 'onnx/model.onnx'))).toBe(false);
  });

  it('a process killed mid-download leaves no model that looks complete; the next run downloads it whole', {
    timeout: 120_000,
  }, async () => {
    hub.fault = { file: 'onnx/model.onnx', kind: 'stall' };
    const onnxDir = path.join(work, 'killed-user-data/models', MODEL, 'onnx');
    const partial = () => (existsSync(onnxDir) ? readdirSync(onnxDir).filter((f) => f.includes('.part-')) : []);
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [CLI, 'optimize', '--config', 'run.json', '--user-data', 'killed-user-data'],
        {
          cwd: work,
          env: { ...process.env, DRPO_STUDIO_HUB_URL: hub.baseURL },
        },
      );
      // Killed once half of model.onnx has reached its temporary file.
      const poll = setInterval(() => {
        if (partial().length > 0) child.kill('SIGKILL');
      }, 20);
      child.on('exit', (_code, signal) => {
        clearInterval(poll);
        if (signal === 'SIGKILL') resolve();
        else reject(new Error('the run ended before it could be killed'));
      });
    });
    expect(existsSync(path.join(onnxDir, '..', '.complete.json'))).toBe(false);
    expect(existsSync(path.join(onnxDir, 'model.onnx'))).toBe(false);
    expect(partial()).toHaveLength(1);

    hub.fault = undefined;
    const run = await optimize('killed-user-data');
    expect(run.code, run.stderr).toBe(0);
    expect(resultOf(run.stderr).retrieval?.used).toBe(`embeddings:hub:${MODEL}`);
    // The dead process's temporary file is gone; the model is whole and marked.
    expect(partial()).toEqual([]);
    expect(readFileSync(path.join(onnxDir, 'model.onnx')).length).toBe(39714);
    expect(existsSync(path.join(onnxDir, '..', '.complete.json'))).toBe(true);
  });
});
