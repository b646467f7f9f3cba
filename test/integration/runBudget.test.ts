// A budget over real HTTP: the built CLI runs the openai plugin against a local OpenAI-compatible
// server (answers from the scripted test model, each answer reported as 90 prompt + 10 output
// tokens, at a backend price of $1 / $2 per million; a request for two samples, 90 + 20), under a budget of 500 tokens. It pauses with
// the budget's reason (exit 75) having logged every request the server answered, then resumes with
// a higher budget to the end, and the result counts each request once. Needs `npm run build`.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopFromLog } from '../../src/main/api/liveSessions.js';
import type { SystemPromptResult } from '../../src/main/runs/runResult.js';
import { readRunLog } from '../../src/main/store/runLog.js';
import type { ModelClient } from '../../src/plugins/contract.js';
import { folderFrom, runCliAsync } from '../support/cliProcess.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';
import scripted from '../support/plugins/scripted/index.js';

/** Every answer's usage as the model reports it (the server adds a request's answers' output tokens up). */
const USAGE = { promptTokens: 90, completionTokens: 10 };
/** $1 per million prompt tokens, $2 per million output tokens. */
const usd = (prompt: number, output: number) => (prompt * 1 + output * 2) / 1e6;

describe('a run with a budget', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'drpo-budget-'));
  const userData = path.join(work, 'user');
  let backing: ModelClient;
  let server: FakeOpenAIServer;
  /** Completion requests the server answered, from `from` on. */
  const served = (from: number) => server.requests.slice(from).filter((r) => r.path.endsWith('/completions'));

  beforeAll(async () => {
    backing = await scripted.create({ latencyMs: 0 }, { baseDir: work, log: () => {} });
    const model: ModelClient = {
      capabilities: backing.capabilities,
      async generate(request, signal) {
        return { ...(await backing.generate(request, signal)), usage: USAGE };
      },
      dispose: async () => {},
    };
    server = await FakeOpenAIServer.start(model, { latencyMs: 5 });
  });
  afterAll(async () => {
    await server.close();
    await backing.dispose();
  });

  it('pauses at 500 tokens with every answered call logged, resumes with a higher budget, and counts each call once', {
    timeout: 120_000,
  }, async () => {
    const config = path.join(work, 'run.json');
    writeFileSync(
      config,
      JSON.stringify({
        backends: {
          server: {
            plugin: 'openai',
            settings: { baseURL: `${server.origin}/v1`, model: 'stories260K' },
            price: { input: 1, output: 2 },
            concurrency: 1,
            maxRetries: 0,
          },
        },
        search: { width: 2, samples: 2, depth: 3 },
        retrieval: { embedder: 'lexical' },
        cacheDir: null,
        runsDir: 'runs',
      }),
    );
    // The server's profile is kept first, so the run's own requests are all the server sees from here.
    const checked = await runCliAsync(['test-connections', '-c', config, '--user-data', userData], work);
    expect(checked.code, checked.stderr).toBe(0);
    const before = server.requests.length;

    const first = await runCliAsync(
      ['optimize', '-c', config, '--user-data', userData, '--budget-tokens', '500'],
      work,
    );
    expect(first.code, first.stderr).toBe(75);
    const dir = folderFrom(first.stderr);
    const log = () => readRunLog(path.join(dir, 'events.jsonl')).events;
    const paused = log();
    const calls = (events: typeof paused) => events.flatMap((e) => (e.type === 'call' ? [e] : []));
    const tokens = (events: typeof paused) =>
      calls(events).reduce((n, e) => n + e.usage.promptTokens + e.usage.completionTokens, 0);
    // No call lost: every request the server answered is in the log, before the pause.
    const requests = calls(paused).reduce((n, e) => n + e.requests, 0);
    expect(requests).toBe(served(before).length);
    const spent = tokens(paused);
    expect(spent).toBe(served(before).reduce((n, r) => n + 90 + 10 * Number(r.body?.n ?? 1), 0));
    expect(spent).toBeGreaterThanOrEqual(500);
    const reason = `budget of 500 tokens reached (${spent.toLocaleString('en-US')} tokens spent)`;
    expect(first.stderr).toContain(`paused: ${reason}`);
    const stop = stopFromLog(paused);
    expect(stop.status).toBe('paused');
    expect(stop.pause!.reason).toContain(reason);
    expect(paused.at(-1)!.type).toBe('run-paused');

    // Resumed with a raised budget: nothing finished is asked again, and it goes on to the end.
    const second = await runCliAsync(
      ['optimize', '--resume', dir, '--user-data', userData, '--budget-tokens', '1000000'],
      work,
    );
    expect(second.code, second.stderr).toBe(0);
    const events = log();
    expect(events.find((e) => e.type === 'run-resumed')).toMatchObject({ budget: { tokens: 1_000_000 } });
    const all = calls(events);
    expect(all.reduce((n, e) => n + e.requests, 0)).toBe(served(before).length);
    expect(all.length).toBeGreaterThan(calls(paused).length);
    const result = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as SystemPromptResult;
    expect(result.status).toBe('finished');
    // The first session's calls are counted once, as they were paid: not again when the resume replays them.
    const tally = result.backends.server!;
    expect(tally.calls).toBe(served(before).length);
    expect(tally.promptTokens + tally.completionTokens).toBe(tokens(events));
    const prompt = all.reduce((n, e) => n + e.usage.promptTokens, 0);
    expect(tally.costUsd).toBeCloseTo(usd(prompt, tokens(events) - prompt), 10);
  });
});
