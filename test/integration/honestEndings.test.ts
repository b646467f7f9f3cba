// Honest endings over real HTTP: the openai plugin talks to an OpenAI-compatible test server
// (answers from the scripted test model) through a proxy that goes down for 20 s in the middle of
// two runs, one in the studio and one in the CLI; a CLI run whose optimizer's key is refused; a
// CLI run some of whose requests the server refuses for themselves; and an experiment with both.
// Needs `npm run build` (the CLI).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudioService, type StudioService } from '../../src/main/api/studioService.js';
import { normalizeExperimentConfig } from '../../src/main/experiments/experimentConfig.js';
import { createExperimentFolder, openExperimentFolder } from '../../src/main/experiments/experimentFolder.js';
import { runExperiment } from '../../src/main/experiments/experimentSession.js';
import { RunPausedError } from '../../src/main/runs/backendOutage.js';
import type { SystemPromptResult } from '../../src/main/runs/runResult.js';
import { type LoggedEvent, readRunLog } from '../../src/main/store/runLog.js';
import { ModelCallError, type ModelClient } from '../../src/plugins/contract.js';
import { purposeOf } from '../helpers/scriptedModel.js';
import { folderFrom, paidKeys, runCliAsync } from '../support/cliProcess.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';
import { OutageProxy } from '../support/outageProxy.js';
import scripted from '../support/plugins/scripted/index.js';

const OUTAGE_MS = 20_000;
const MODEL = 'stories260K';

/** An openai backend at `baseURL` that gives up on a dead server fast (2 attempts, 50 ms apart). */
const backend = (baseURL: string, apiKey?: string) => ({
  plugin: 'openai',
  settings: { baseURL, model: MODEL, ...(apiKey ? { apiKey } : {}) },
  concurrency: 2,
  maxRetries: 1,
  retryBaseDelayMs: 50,
  retryMaxDelayMs: 100,
});

const search = { width: 2, samples: 3, depth: 3 };

function writeConfig(dir: string, config: Record<string, unknown>): string {
  const file = path.join(dir, `run-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ search, cacheDir: null, runsDir: 'runs', ...config }));
  return file;
}

const logOf = (dir: string) => readRunLog(path.join(dir, 'events.jsonl')).events;

/** Every beam event ranks a level each of whose nodes was judged before it, or says what it lacked. */
function expectWholeLevels(events: readonly LoggedEvent[]) {
  const judged = new Set<string>();
  const levelOf = new Map<string, number>();
  for (const event of events) {
    if (event.type === 'node') levelOf.set(event.id, event.level);
    if (event.type === 'node-evaluated' && event.evaluation.ok) judged.add(event.id);
    if (event.type === 'beam') {
      const unjudged = [...levelOf].filter(([id, level]) => level === event.level && !judged.has(id)).map(([id]) => id);
      const declared = [...(event.partial?.failed ?? []), ...(event.partial?.unjudged ?? [])];
      expect(unjudged.sort(), `level ${event.level}`).toEqual(declared.sort());
    }
  }
}

async function until<T>(probe: () => T | undefined, what: string, ms: number): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('honest endings', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'drpo-honest-'));
  let backing: ModelClient;

  beforeAll(async () => {
    backing = await scripted.create({ latencyMs: 0 }, { baseDir: work, log: () => {} });
  });
  afterAll(() => backing.dispose());

  it('a 20 s outage in the middle of two runs pauses both with the reason; the studio resumes its own when the server is back, the CLI with --resume; nothing is paid twice, no level is ranked from part of it', {
    timeout: 90_000,
  }, async () => {
    // Which run a request belongs to shows in its prompt (the base model's answers and the rewrites
    // carry it). The CLI's run waits at its root's rewrite until the studio's reaches its own: the
    // server goes down then, with both in the middle.
    let studioRequests = 0;
    let cliRequests = 0;
    let outage: Promise<void> | undefined;
    let proxy: OutageProxy | undefined;
    let bothUnderWay = () => {};
    const studioUnderWay = new Promise<void>((resolve) => (bothUnderWay = resolve));
    const model: ModelClient = {
      capabilities: backing.capabilities,
      async generate(request, signal) {
        const text = JSON.stringify(request.input);
        if (text.includes('the CLI run') && ++cliRequests > 1) await studioUnderWay;
        if (text.includes('the studio run') && ++studioRequests === 2) {
          outage = proxy!.outage(OUTAGE_MS);
          bothUnderWay();
        }
        return backing.generate(request, signal);
      },
      dispose: async () => {},
    };
    const server = await FakeOpenAIServer.start(model, { latencyMs: 40 });
    proxy = await OutageProxy.start(Number(new URL(server.origin).port));
    const userData = path.join(work, 'studio');
    const service: StudioService = createStudioService({
      userDataDir: userData,
      probeTiming: { firstMs: 500, maxMs: 1_000 },
    });
    try {
      const baseURL = `${proxy.origin}/v1`;
      const cli = runCliAsync(
        [
          'optimize',
          '--config',
          writeConfig(work, { backends: { server: backend(baseURL) }, initialPrompt: 'You are the CLI run.' }),
          '--user-data',
          path.join(work, 'cli-user'),
        ],
        work,
      );
      // The studio's run starts once the CLI's is under way, so the outage finds both in the middle.
      await until(() => (cliRequests > 0 ? true : undefined), "the CLI run's first request", 30_000);
      const { id } = await service.api.runs.start({
        stage: 'system-prompt',
        config: {
          backends: { server: backend(baseURL) },
          search,
          cacheDir: null,
          initialPrompt: 'You are the studio run.',
        },
      });

      const stopped = await cli;
      expect(stopped.code, stopped.stderr).toBe(75);
      const cliDir = folderFrom(stopped.stderr);
      const [line] = stopped.stderr.split('\n').filter((l) => l.startsWith('drpo-studio:'));
      expect(line).toMatch(
        /^drpo-studio: paused: backend "server" unreachable since \d\d:\d\d \(.*cannot reach .*\) — resume when it is back \(continue with: drpo-studio optimize --resume .+\)$/,
      );
      const paused = await until(
        () => service.runs.list().find((r) => r.id === id && r.status === 'paused'),
        'the studio run to pause',
        10_000,
      );
      expect(paused.reason).toMatch(/^backend "server" unreachable since \d\d:\d\d \(.*\) — resume when it is back$/);
      expect(paused.resumesWhenBack).toBe(true);
      const [down] = proxy.outages;
      expect(down!.end).toBeUndefined(); // both paused while the server was still away

      await outage;
      const resumed = await runCliAsync(
        ['optimize', '--resume', cliDir, '--user-data', path.join(work, 'cli-user')],
        work,
      );
      expect(resumed.code, resumed.stderr).toBe(0);
      const finished = await until(
        () => service.runs.list().find((r) => r.id === id && r.status === 'finished'),
        'the studio run to resume by itself and finish',
        30_000,
      );
      expect(finished.reason).toBeUndefined();

      const studioDir = path.join(userData, 'runs', id);
      for (const dir of [cliDir, studioDir]) {
        const events = logOf(dir);
        const keys = paidKeys(events);
        expect(new Set(keys).size, dir).toBe(keys.length); // no finished call paid twice, across both sessions
        expect(events.filter((e) => e.type === 'run-paused')).toHaveLength(1);
        const resumedAt = events.find((e) => e.type === 'run-resumed')!.ts;
        expect(resumedAt).toBeGreaterThanOrEqual(down!.end!);
        expect(events.at(-1)).toMatchObject({ type: 'run-finished' });
        expect(events.filter((e) => e.type === 'beam').every((e) => e.type === 'beam' && !e.partial)).toBe(true);
        expectWholeLevels(events);
        const result = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as SystemPromptResult;
        expect(result).toMatchObject({ status: 'finished', failedNodes: [], failedRewrites: [], partialLevels: [] });
      }
      // The studio resumed within a probe or two of the server's return.
      const studioResumed = logOf(studioDir).find((e) => e.type === 'run-resumed')!.ts;
      expect(studioResumed - down!.end!).toBeLessThan(3_000);
    } finally {
      await service.close();
      await proxy.close();
      await server.close();
    }
  });

  it("a CLI run whose optimizer's key is refused on every call stops with the reason on one line and a non-zero status", {
    timeout: 60_000,
  }, async () => {
    const server = await FakeOpenAIServer.start(backing, { apiKey: 'sk-right-0c1d2e' });
    try {
      const config = writeConfig(work, {
        backends: {
          main: backend(server.baseURL, 'env:DRPO_TEST_KEY'),
          optimizer: backend(server.baseURL, 'env:DRPO_TEST_WRONG_KEY'),
        },
        roles: {
          base: { backend: 'main' },
          selector: { backend: 'main' },
          judge: { backend: 'main' },
          optimizer: { backend: 'optimizer' },
        },
      });
      const out = await runCliAsync(
        ['optimize', '--config', config, '--user-data', path.join(work, 'cli-user')],
        work,
        {
          DRPO_TEST_KEY: 'sk-right-0c1d2e',
          DRPO_TEST_WRONG_KEY: 'sk-wrong-9f8e7d',
        },
      );
      expect(out.code, out.stderr).toBe(75);
      const lines = out.stderr.split('\n').filter((l) => l.startsWith('drpo-studio:'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^drpo-studio: paused: backend "optimizer" refusing its credentials since \d\d:\d\d \(.*refused the API key \(HTTP 401\)\) — fix its key, then resume \(continue with: drpo-studio optimize --resume .+\)$/,
      );
      expect(out.stdout + out.stderr).not.toContain('sk-wrong-9f8e7d');
      const events = logOf(folderFrom(out.stderr));
      // The root was judged; its rewrite was asked twice (the level's retry), refused both times, and level 1 never ranked.
      expect(events.filter((e) => e.type === 'node-evaluated')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'proposal-failed')).toHaveLength(1); // the same line twice is logged once
      expect(events.filter((e) => e.type === 'call-failed' && e.backend === 'optimizer')).toHaveLength(2);
      expect(events.filter((e) => e.type === 'beam').map((e) => e.type === 'beam' && e.level)).toEqual([0]);
      expect(events.at(-1)).toMatchObject({ type: 'run-paused', outages: [{ backend: 'optimizer', kind: 'auth' }] });
    } finally {
      await server.close();
    }
  });

  it('a CLI run whose level-1 answers the server refuses for themselves finishes with failures: exit 3, the result and the studio say so', {
    timeout: 60_000,
  }, async () => {
    // Every answer to the second seed query is refused with a 400, as a context overflow would be.
    const queries = path.join(work, 'queries.json');
    writeFileSync(
      queries,
      JSON.stringify(['How do tides work?', 'Write a haiku about rain.', 'Sort a list in Python.']),
    );
    const refusing: ModelClient = {
      capabilities: backing.capabilities,
      generate: async (request, signal) => {
        if (purposeOf(request) === 'generation' && JSON.stringify(request.input).includes('haiku'))
          throw new ModelCallError('bad-request', "this model's maximum context length is 2048 tokens");
        return backing.generate(request, signal);
      },
      dispose: async () => {},
    };
    const server = await FakeOpenAIServer.start(refusing);
    const userData = path.join(work, 'refused');
    const service = createStudioService({ userDataDir: userData });
    try {
      const config = writeConfig(work, {
        backends: { server: backend(server.baseURL) },
        data: { seedQueries: queries },
        runsDir: path.join(userData, 'runs'),
      });
      const out = await runCliAsync(['optimize', '--config', config, '--user-data', path.join(work, 'cli-user')], work);
      expect(out.code, out.stderr).toBe(3);
      expect(out.stderr).toMatch(
        /^drpo-studio: finished with failures: 3 nodes left unjudged and 0 rewrites not made, their calls refused for good: .*the server says: this model's maximum context length is 2048 tokens; the server's context per slot is full: give it a larger context.* \(.+result\.json lists them\)$/m,
      );
      const dir = folderFrom(out.stderr);
      const result = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as SystemPromptResult;
      // Level 1's three rewrites were each refused once (a request refused for itself is not asked again) and
      // ranked without judgement, saying so; level 2 carries the unjudged two over to the third query and judges them.
      expect(result).toMatchObject({
        status: 'finished-with-failures',
        failedNodes: ['0.0', '0.1', '0.2'],
        failedRewrites: [],
        partialLevels: [{ level: 1, failed: ['0.0', '0.1', '0.2'], unjudged: [], unexpanded: [] }],
      });
      expect(result.score).not.toBeNull(); // the best prompt is one that was judged
      expect(result.calls.base.errors).toBe(3);
      const events = logOf(dir);
      expect(events.at(-1)).toEqual(expect.objectContaining({ type: 'run-finished', failed: 3 }));
      expectWholeLevels(events);
      expect(service.runs.list()).toEqual([
        expect.objectContaining({ id: path.basename(dir), status: 'finished-with-failures', failed: 3 }),
      ]);
    } finally {
      await service.close();
      await server.close();
    }
  });

  it('an experiment whose judge refuses its key pauses with the reason; resumed with the key fixed, it judges the rest, paying nothing twice, and finishes with the item the server refused for itself named', {
    timeout: 60_000,
  }, async () => {
    // The target model refuses one item's request for itself (a 400), whatever the key.
    const refusing: ModelClient = {
      capabilities: backing.capabilities,
      generate: async (request, signal) => {
        if (purposeOf(request) === 'generation' && JSON.stringify(request.input).includes('Refuse me'))
          throw new ModelCallError('bad-request', "this model's maximum context length is 2048 tokens");
        return backing.generate(request, signal);
      },
      dispose: async () => {},
    };
    const server = await FakeOpenAIServer.start(refusing, { apiKey: 'sk-right-5a6b7c' });
    const userData = path.join(work, 'experiments');
    const service = createStudioService({ userDataDir: userData });
    const evalSet = path.join(work, 'eval.json');
    writeFileSync(
      evalSet,
      JSON.stringify([
        { id: 1, instruction: 'Plan a trip.', category: 'regular' },
        { id: 2, instruction: 'Refuse me, please.', category: 'regular' },
        { id: 3, instruction: 'Explain tides.', category: 'regular' },
      ]),
    );
    const config = normalizeExperimentConfig(
      {
        backends: {
          target: backend(server.baseURL, 'env:DRPO_TEST_KEY'),
          judge: backend(server.baseURL, 'env:DRPO_TEST_JUDGE_KEY'),
        },
        evalSet: { file: evalSet },
        setups: [{ name: 'plain', kind: 'baseline' }],
        targets: [{ name: 'A', backend: 'target', format: 'chat' }],
        judge: { backend: 'judge' },
        cacheDir: null,
        experimentsDir: path.join(userData, 'experiments'),
      },
      work,
    );
    const host = { userDataDir: path.join(work, 'cli-user') };
    const env = { ...process.env };
    try {
      process.env.DRPO_TEST_KEY = 'sk-right-5a6b7c';
      process.env.DRPO_TEST_JUDGE_KEY = 'sk-wrong-1f2e3d';
      const folder = createExperimentFolder(config, 'a test', host.userDataDir);
      await expect(runExperiment(folder, host)).rejects.toBeInstanceOf(RunPausedError);
      const [paused] = service.experiments.list();
      expect(paused).toMatchObject({ id: folder.id, status: 'paused' });
      expect(paused!.reason).toMatch(
        /^backend "judge" refusing its credentials since \d\d:\d\d \(.*refused the API key \(HTTP 401\)\) — fix its key, then resume$/,
      );

      process.env.DRPO_TEST_JUDGE_KEY = 'sk-right-5a6b7c';
      const result = await runExperiment(openExperimentFolder(folder.dir, 'a test'), host);
      expect(result.status).toBe('finished-with-failures');
      expect(result.failures).toEqual([
        { setup: 'plain', target: 'A', itemId: '2', error: expect.stringContaining('maximum context length') },
      ]);
      expect(result.cells[0]).toMatchObject({ items: 2, judged: 2, failed: 1 });
      const events = logOf(folder.dir);
      const keys = paidKeys(events);
      expect(new Set(keys).size).toBe(keys.length); // nothing paid twice across both sessions
      expect(paidKeys(events, 'base')).toHaveLength(2); // items 1 and 3 answered once, in the first session
      // Each connection probed once and logged: the target in the first session (the judge's key was refused
      // there, so its probe failed), the judge in the second; the target's kept profile was not asked again.
      expect(events.flatMap((e) => (e.type === 'probe' ? [e.backend] : []))).toEqual(['target', 'judge']);
      expect(events.at(-1)).toEqual(expect.objectContaining({ type: 'run-finished', failed: 1 }));
      expect(service.experiments.list()).toEqual([
        expect.objectContaining({ id: folder.id, status: 'finished-with-failures', failed: 1 }),
      ]);
    } finally {
      process.env = env;
      await service.close();
      await server.close();
    }
  });
});
