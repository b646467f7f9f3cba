// A whole optimization over HTTP: the base model behind an Ollama server, the selector, judge
// and optimizer behind an OpenAI-compatible one — both wire protocols spoken by real clients to
// local servers whose text comes from the embedded model — with a 429, 500s and a cut stream on
// the way. The run must finish, keep to each server's limit, report calls per backend, and never
// write the API key anywhere.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SystemPromptResult } from '../../src/main/runs/runResult.js';
import type { ModelClient } from '../../src/plugins/contract.js';
import llamaCpp from '../../src/plugins/llama-cpp/index.js';
import { runCliAsync } from '../support/cliProcess.js';
import { FakeOllamaServer } from '../support/fakeOllamaServer.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';

const root = path.resolve(import.meta.dirname, '../..');
const model = path.resolve(root, '../shared/models/stories260K/stories260K.gguf');
const API_KEY = 'sk-test-4f2a9c0d7e1b';

describe('an optimization with the base model on Ollama and the other roles on an OpenAI-compatible server', () => {
  let backing: ModelClient;
  let ollama: FakeOllamaServer;
  let openai: FakeOpenAIServer;

  beforeAll(async () => {
    backing = await llamaCpp.create(
      { modelPath: model, threads: 1, contextSize: 6144, parallel: 2 },
      { baseDir: root, log: () => {} },
    );
    ollama = await FakeOllamaServer.start(backing, { models: [{ name: 'stories260k:latest', contextLength: 6144 }] });
    openai = await FakeOpenAIServer.start(backing, { apiKey: API_KEY, modelId: 'stories260K', maxModelLen: 6144 });
  });

  afterAll(async () => {
    await ollama?.close();
    await openai?.close();
    await backing?.dispose();
  });

  it("finishes through failures, keeps to the servers' limits and reports calls per backend (W=2, M=3, D=2)", {
    timeout: 600_000,
  }, async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'drpo-http-run-'));
    const config = {
      backends: {
        ollama: {
          plugin: 'ollama',
          settings: { host: ollama.url, model: 'stories260k', numParallel: 1 },
          concurrency: 2,
          retryBaseDelayMs: 20,
        },
        cloud: {
          plugin: 'openai',
          settings: { baseURL: openai.baseURL, model: 'stories260K', apiKey: 'env:DRPO_TEST_OPENAI_KEY' },
          concurrency: 2,
          retryBaseDelayMs: 20,
          price: { input: 1, output: 2 },
        },
      },
      roles: {
        base: { backend: 'ollama', maxTokens: 48 },
        selector: { backend: 'cloud', maxTokens: 1200 },
        judge: { backend: 'cloud', maxTokens: 1400 },
        optimizer: { backend: 'cloud', maxTokens: 1400 },
      },
      search: { width: 2, samples: 3, depth: 2 },
      retrieval: { k: 1, embedder: { kind: 'backend', backend: 'ollama' } },
      // The toy model under a JSON grammar never ends a string by itself: a cap lets it close the object.
      jsonTextMaxChars: 100,
      runsDir: 'runs',
      cacheDir: null,
    };
    writeFileSync(path.join(work, 'run.json'), JSON.stringify(config));
    // Probe the cloud server first (test-connections keeps its profile), so the faults below meet the run's own calls.
    const checked = await runCliAsync(['test-connections', '--config', 'run.json', '--user-data', 'user-data'], work, {
      DRPO_TEST_OPENAI_KEY: API_KEY,
    });
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    openai.fail({ status: 429, retryAfter: 1 }, { status: 500 }, { cutAfterChunks: 2 });
    ollama.fail({ status: 503, path: '/api/embed' }, { status: 500, path: '/api/generate' });
    // The CLI runs in a child process; the servers answer from this one, so wait without blocking.
    const cli = spawn(
      process.execPath,
      [path.join(root, 'bin/drpo-studio.js'), 'optimize', '--config', 'run.json', '--user-data', 'user-data'],
      {
        cwd: work,
        env: { ...process.env, DRPO_TEST_OPENAI_KEY: API_KEY },
      },
    );
    let stdout = '';
    let stderr = '';
    cli.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    cli.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => cli.on('exit', resolve));
    expect(code, stderr).toBe(0);
    const dir = /^run (.+)$/m.exec(stderr)![1]!;
    const result = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as SystemPromptResult;

    expect(result.status).toBe('finished');
    expect(result.backends.cloud!.probeRequests).toBeUndefined(); // the kept profile: not probed again
    expect(stdout).toMatch(/backend ollama: \d+ calls/);
    expect(stdout).toMatch(/backend cloud: \d+ calls, .*\$/m);
    expect(result.backends.ollama!.calls).toBe(result.calls.base.calls);
    expect(result.backends.cloud!.calls).toBe(
      result.calls.selector.calls +
        result.calls.judge.calls +
        result.calls.optimizer.calls +
        result.calls.judge.repairs +
        result.calls.selector.repairs +
        result.calls.optimizer.repairs,
    );
    expect(result.calls.base.calls).toBeGreaterThan(0);
    expect(result.calls.judge.calls).toBeGreaterThan(0);
    // The 500s and the cut stream used retries; the 429 and the 503 were waits on a full server, not retries.
    expect(result.retries).toBeGreaterThanOrEqual(3);
    expect(result.calls.base.retries).toBeGreaterThanOrEqual(1);
    const waits = readFileSync(path.join(dir, 'events.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; overload?: boolean; kind?: string })
      .filter((e) => e.type === 'retry' && e.overload);
    // (The 503 hit the embedder, whose waits the run does not log: only model calls are in the log.)
    expect(waits.map((e) => e.kind)).toEqual(['rate-limit']);
    expect(result.calls.optimizer.samples).toBeGreaterThan(0);
    expect(result.search.nodes).toBeGreaterThan(1);
    expect(result.backends.cloud!.costUsd).toBeGreaterThan(0);
    expect(result.backends.ollama!.costUsd).toBe(0);
    // a default Ollama serves one request at a time: the run asked for 2 and was held to 1
    expect(stderr).toContain('serves 1 at a time');
    expect(ollama.maxInFlight).toBe(1);
    // ICL examples were retrieved with Ollama's embeddings
    expect(ollama.requests.some((r) => r.path === '/api/embed')).toBe(true);
    expect(openai.maxInFlight).toBeLessThanOrEqual(2);
    // the key went over the wire as a bearer token, and nowhere else
    expect(openai.requests.some((r) => r.headers.authorization === `Bearer ${API_KEY}`)).toBe(true);
    for (const file of readdirSync(dir))
      expect(readFileSync(path.join(dir, file), 'utf8'), file).not.toContain(API_KEY);
    expect(readFileSync(path.join(dir, 'config.json'), 'utf8')).toContain('env:DRPO_TEST_OPENAI_KEY');
    expect(stdout + stderr).not.toContain(API_KEY);
  });
});
