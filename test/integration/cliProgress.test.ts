// The built CLI's progress where standard error is a log, not a terminal: a line with each
// connection's limit and why (at the start and at each change), and one per finished level with
// the calls in flight and the time left. Against an OpenAI-compatible server on 127.0.0.1 whose
// every answer (from the scripted test model) takes 150 ms.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelClient } from '../../src/plugins/contract.js';
import { runCliAsync } from '../support/cliProcess.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';
import scripted from '../support/plugins/scripted/index.js';

describe('drpo-studio optimize, its progress on a log', () => {
  let server: FakeOpenAIServer;
  let work: string;

  beforeAll(async () => {
    const model = (await scripted.create({ latencyMs: 0 }, { baseDir: '.', log: () => {} })) as ModelClient;
    server = await FakeOpenAIServer.start(model, { latencyMs: 150 });
    work = mkdtempSync(path.join(tmpdir(), 'drpo-progress-'));
  });

  afterAll(async () => {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('names the limit and why, then each level with its calls in flight and its time left, down to 0 s', {
    timeout: 120_000,
  }, async () => {
    writeFileSync(
      path.join(work, 'run.json'),
      JSON.stringify({
        // No concurrency given: 'auto', the default.
        backends: { fake: { plugin: 'openai', settings: { baseURL: server.baseURL, model: 'stories260K' } } },
        search: { width: 2, samples: 2, depth: 3 },
        runsDir: 'runs',
        cacheDir: null,
      }),
    );
    const { code, stderr } = await runCliAsync(['optimize', '--config', 'run.json', '--user-data', 'user-data'], work);
    expect(code, stderr).toBe(0);
    const lines = stderr.split('\n');

    // The openai plugin declares no capacity for a server it was not told about: 'auto' probes from 2.
    expect(lines[1]).toBe('optimize: fake: limit 1 auto: the server declares no capacity: probing from 1');
    const levels = lines
      .filter((line) => line.startsWith('optimize: level '))
      .map((line) => {
        const parsed =
          /^optimize: level (\d) done, (\d+) nodes, best \d\.\d\d, \d+ calls, (\d+) in flight(?:, \d+ queued)?, (\d+) s left, spent \$0\.00, [\d,]+ tokens$/.exec(
            line,
          );
        expect(parsed, line).not.toBeNull();
        const [, level, nodes, inFlight, secondsLeft] = parsed!.map(Number);
        return { level, nodes, inFlight, secondsLeft };
      });
    // W=2, M=2, D=3: the root, then 2 rewrites, then 4: 1, 3 and 7 nodes after each level.
    expect(levels.map((l) => [l.level, l.nodes])).toEqual([
      [0, 1],
      [1, 3],
      [2, 7],
    ]);
    // Before the last level ends something is left: a level's chain (rewrite, answer, judgment: 3 × 150 ms
    // and more) and its samples over 2 slots or more take about a second; a loaded machine may make it a few.
    for (const { secondsLeft } of levels.slice(0, 2)) {
      expect(secondsLeft).toBeGreaterThanOrEqual(1);
      expect(secondsLeft).toBeLessThanOrEqual(10);
    }
    // The last level's beam: every planned call is done, none in flight.
    expect(levels[2]).toMatchObject({ inFlight: 0, secondsLeft: 0 });
  });
});
