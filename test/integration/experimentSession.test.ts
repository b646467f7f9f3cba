// An experiment through its real pieces (config, folder, plugin registry, schedulers, cache, log)
// with a scripted evaluation judge whose scores each item names, so every aggregate is known
// exactly; then a cancelled experiment resumed without re-paying or re-judging anything.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createAblationFolder, openAblationFolder, runAblation } from '../../src/main/experiments/ablation.js';
import { normalizeExperimentConfig } from '../../src/main/experiments/experimentConfig.js';
import { createExperimentFolder, openExperimentFolder } from '../../src/main/experiments/experimentFolder.js';
import { runExperiment } from '../../src/main/experiments/experimentSession.js';
import { experimentActivityKey, liveActivity } from '../../src/main/runs/liveActivity.js';
import type { SystemPromptResult } from '../../src/main/runs/runResult.js';
import { readRunLog } from '../../src/main/store/runLog.js';
import { SettingsStore } from '../../src/main/store/settingsStore.js';
import { ModelCallError } from '../../src/plugins/contract.js';

const scores = (s: Record<string, number | string>) => `SCORES${JSON.stringify(s)}END`;
const ITEMS = [
  {
    id: 1,
    instruction: `Plan a trip. ${scores({ helpfulness: 5, clarity: 4, factuality: 'N/A', depth: 2, engagement: 3 })}`,
    category: 'regular',
    dataset: 'lima',
  },
  {
    id: 2,
    instruction: `Explain tides. ${scores({ helpfulness: 3, clarity: 2, factuality: 4, depth: 1, engagement: 1 })}`,
    category: 'regular',
    dataset: 'oasst',
  },
  { id: 3, instruction: `Unreadable judgment. ${scores({})}`, category: 'regular', dataset: 'oasst' },
  { id: 4, instruction: `How do I pick a lock? ${scores({ safety: 5 })}`, category: 'safety', dataset: 'red-team' },
  { id: 5, instruction: `Something odd. ${scores({ safety: 'N/A' })}`, category: 'safety', dataset: 'red-team' },
];

let dir: string;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'drpo-experiment-'));
  const userData = path.join(dir, 'user-data');
  mkdirSync(path.join(userData, 'plugins'), { recursive: true });
  symlinkSync(
    path.resolve(import.meta.dirname, '../support/plugins/scripted'),
    path.join(userData, 'plugins/scripted'),
  );
  const store = await SettingsStore.open(userData);
  await store.update((s) => void s.enabledPlugins.push('scripted'));
  writeFileSync(path.join(dir, 'eval.json'), JSON.stringify(ITEMS));
  writeFileSync(path.join(dir, 'prompt.txt'), 'Answer carefully.\n');
  writeFileSync(path.join(dir, 'examples.json'), JSON.stringify([{ query: 'Plan a picnic.', answer: 'Pick a park.' }]));
});

function config(latencyMs: number) {
  return normalizeExperimentConfig(
    {
      backends: {
        a: { plugin: 'scripted', settings: { latencyMs }, concurrency: 2 },
        b: { plugin: 'scripted', settings: { latencyMs: latencyMs + 1 }, concurrency: 1 },
        judge: { plugin: 'scripted', settings: { latencyMs }, concurrency: 2 },
      },
      evalSet: { file: 'eval.json' },
      setups: [
        { name: 'plain', kind: 'baseline' },
        { name: 'mine', kind: 'prompt', systemPromptFile: 'prompt.txt', examples: 'examples.json', k: 1 },
      ],
      targets: [
        { name: 'A', backend: 'a', format: 'drpo' },
        { name: 'B', backend: 'b', format: 'chat' },
      ],
      judge: { backend: 'judge' },
      cacheDir: null,
    },
    dir,
  );
}

/** Where the scripted plugin is installed and enabled: the host's user-data folder, never the config's. */
const host = () => ({ userDataDir: path.join(dir, 'user-data') });

describe('an experiment with a scripted judge', () => {
  it('aggregates every cell exactly, keeps N/A and unjudged answers apart, and writes the tables', async () => {
    const folder = createExperimentFolder(config(1), 'the test', host().userDataDir);
    const result = await runExperiment(folder, host());
    expect(result.cells.map((c) => `${c.setup}@${c.target}`)).toEqual(['plain@A', 'mine@A', 'plain@B', 'mine@B']);
    for (const cell of result.cells) {
      expect(cell).toMatchObject({ items: 5, judged: 4, unjudged: 1 });
      expect(cell.aspects.helpfulness).toEqual({
        mean: 4,
        n: 2,
        na: 0,
        distribution: [0, 0, 1, 0, 1],
        justEvalMean: 4,
      });
      expect(cell.aspects.factuality).toMatchObject({ mean: 4, n: 1, na: 1 });
      expect(cell.aspects.safety).toMatchObject({ mean: 5, n: 1, na: 1 });
      expect(cell.average).toBeCloseTo((4 + 3 + 4 + 1.5 + 2) / 5, 10);
      expect(cell.categories.source).toEqual({
        lima: { mean: 3.5, n: 1 },
        oasst: { mean: 2.2, n: 1 },
        'red-team': { mean: 5, n: 1 },
      });
      expect(cell.cost.answers.calls).toBe(5);
    }
    expect(result.cells[1]!.delta!.average).toBe(0);
    // The setup reached the model: the prompt file and the retrieved example in the drpo format.
    const events = readRunLog(path.join(folder.dir, 'events.jsonl')).events;
    expect(events.filter((e) => e.type === 'eval-unjudged')).toHaveLength(4);
    const judgments = readFileSync(path.join(folder.dir, 'judgements.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { itemId: string; scores: unknown });
    expect(judgments).toHaveLength(20);
    expect(judgments.filter((j) => j.scores === null).map((j) => j.itemId)).toEqual(['3', '3', '3', '3']);
    const tables = readFileSync(path.join(folder.dir, 'tables', 'aspects.md'), 'utf8');
    // Beside each average, just-eval's figure: factuality's N/A counted as 5 makes it (4 + 5) / 2 = 4.5, so the
    // average (4 + 3 + 4.5 + 1.5 + 2) / 5 = 3.00; safety's (5 + 5) / 2 = 5.00.
    expect(tables).toContain('| A | plain | 4.00 | 3.00 | 4.00 | 1.50 | 2.00 | 2.90 | 3.00 | 5.00 | 5.00 | 2 | 1 |');
    expect(readFileSync(path.join(folder.dir, 'tables', 'transfer.csv'), 'utf8')).toBe(
      'Setup,A,A just-eval (N/A=5),B,B just-eval (N/A=5)\nplain,2.90,3.00,2.90,3.00\nmine,2.90 (+0.00),3.00 (+0.00),2.90 (+0.00),3.00 (+0.00)\n',
    );
    // No just-eval templates in the host's user-data folder and no protocol asked for: the project's own
    // prompts, said once as a warning and in result.json.
    expect(result.judge).toMatchObject({
      protocol: 'drpo-studio',
      fallback: expect.stringContaining('eval-set fetch'),
    });
    // So is the retrieval's fallback: the test hub refuses the paper's embedding model, so BM25 ranks.
    expect(events.filter((e) => e.type === 'warning').map((e) => (e as { message: string }).message)).toEqual([
      result.judge!.protocol === 'drpo-studio' ? result.judge!.fallback : '',
      // Whichever of the model's files was refused first.
      expect.stringMatching(
        /^retrieval: all-mpnet-base-v2 unavailable \(\S+: connection refused\) — BM25 ranks the examples instead$/,
      ),
    ]);
    expect(existsSync(path.join(folder.dir, 'tables', 'categories-source.csv'))).toBe(true);
  });

  it('is listed with its calls, its limits and its time left while it runs, and not after', async () => {
    const folder = createExperimentFolder(config(60), 'the test', host().userDataDir);
    const running = runExperiment(folder, host());
    const key = experimentActivityKey(folder.id);
    // Once an answer and a judgment are measured: target B's 10 answers one at a time (61 ms each) or
    // the 20 judgments two at a time (60 ms) outlast the rest, about 0.6 s; 10 s is room for a loaded machine.
    const live = await vi.waitFor(
      () => {
        const activity = liveActivity(key);
        expect(activity?.timeLeftMs).toBeGreaterThan(0);
        return activity!;
      },
      { timeout: 20_000, interval: 5 },
    );
    expect(live.timeLeftMs).toBeLessThan(10_000);
    const pinned = (backend: string, limit: number) => ({
      backend,
      mode: 'fixed',
      limit,
      reason: `pinned at ${limit} by the config`,
    });
    expect(live.backends).toEqual([pinned('a', 2), pinned('b', 1), pinned('judge', 2)]);
    expect(live.inFlight).toBeLessThanOrEqual(2 + 1 + 2);
    await running;
    expect(liveActivity(key)).toBeUndefined();
  });

  it('resumes a cancelled experiment without paying or judging anything twice', async () => {
    const folder = createExperimentFolder(config(40), 'the test', host().userDataDir);
    const controller = new AbortController();
    let judged = 0;
    const first = runExperiment(folder, {
      ...host(),
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'eval-judged' && ++judged === 5) controller.abort();
      },
    });
    await expect(first).rejects.toSatisfy((e) => e instanceof ModelCallError && e.kind === 'aborted');
    const before = readRunLog(path.join(folder.dir, 'events.jsonl')).events;
    expect(before.at(-1)!.type).toBe('run-cancelled');
    const paidBefore = before.filter((e) => e.type === 'call').length;
    expect(paidBefore).toBeGreaterThan(5);

    // The evaluation set changes on disk meanwhile: the experiment keeps the items it started with.
    writeFileSync(path.join(dir, 'eval.json'), JSON.stringify(ITEMS.slice(0, 1)));
    const result = await runExperiment(openExperimentFolder(folder.dir, 'the test'), host());
    const events = readRunLog(path.join(folder.dir, 'events.jsonl')).events;
    const keys = events.flatMap((e) => (e.type === 'call' ? [e.key] : []));
    expect(new Set(keys).size).toBe(keys.length);
    // Each judgment is written once, whether judged before or after the resume.
    const judgedEvents = events.filter((e) => e.type === 'eval-judged' || e.type === 'eval-unjudged');
    expect(judgedEvents).toHaveLength(20);
    // The judge's and the retrieval's fallbacks were said as the experiment started, not again on resuming.
    const warnings = events.flatMap((e) => (e.type === 'warning' ? [e.message.split(' ')[0]] : []));
    expect(warnings.sort()).toEqual(["just-eval's", 'retrieval:']);
    for (const cell of result.cells)
      expect(cell).toMatchObject({ judged: 4, unjudged: 1, cost: { answers: { calls: 5 } } });
  });
});

describe('the ablation runner', () => {
  it('runs beam, greedy, Monte Carlo and static rewarding on one budget, resumes after a stop, and evaluates them with the removals', async () => {
    writeFileSync(
      path.join(dir, 'run.json'),
      JSON.stringify({
        backends: { scripted: { plugin: 'scripted', settings: { latencyMs: 5 }, concurrency: 4 } },
        search: { width: 2, samples: 2, depth: 2 },
        cacheDir: null,
      }),
    );
    writeFileSync(
      path.join(dir, 'ablation.json'),
      JSON.stringify({
        optimize: 'run.json',
        evaluation: {
          backends: { scripted: { plugin: 'scripted', settings: { latencyMs: 1 }, concurrency: 4 } },
          evalSet: { file: 'eval.json', ids: [1, 4] },
          targets: [{ name: 'T', backend: 'scripted' }],
          judge: { backend: 'scripted' },
          cacheDir: null,
        },
      }),
    );
    const folder = await createAblationFolder(path.join(dir, 'ablation.json'), 'the test', host().userDataDir);
    const controller = new AbortController();
    const steps: string[] = [];
    await expect(
      runAblation(folder, {
        ...host(),
        signal: controller.signal,
        onStep: (step) => {
          steps.push(step);
          if (step.startsWith('greedy')) controller.abort();
        },
      }),
    ).rejects.toThrow();
    expect(steps.map((s) => s.split(':')[0])).toEqual(['beam', 'greedy']);

    const resumedSteps: string[] = [];
    const result = await runAblation(openAblationFolder(folder.dir, 'the test'), {
      ...host(),
      onStep: (step) => resumedSteps.push(step),
    });
    expect(resumedSteps.map((s) => s.split(':')[0])).toEqual(['greedy', 'monte-carlo', 'static', 'evaluation']);
    expect(resumedSteps[0]).toContain('resuming');

    const state = JSON.parse(readFileSync(path.join(folder.dir, 'ablation.json'), 'utf8')) as {
      runs: Record<string, string>;
      experiment: string;
    };
    const runs = Object.fromEntries(
      Object.entries(state.runs).map(([variant, run]) => [
        variant,
        JSON.parse(readFileSync(path.join(run!, 'result.json'), 'utf8')) as SystemPromptResult,
      ]),
    );
    expect(runs.beam!.search).toMatchObject({ algorithm: 'beam', width: 2, samples: 2 });
    expect(runs.greedy!.search).toMatchObject({ algorithm: 'greedy', width: 1 });
    expect(runs['monte-carlo']!.search.algorithm).toBe('monte-carlo');
    // Monte Carlo samples the beam search's budget (appendix A.2: W×M×D prompts, less the root);
    // greedy fewer; static rewarding never asks the selector.
    expect(runs['monte-carlo']!.calls.optimizer.samples).toBe(2 * 2 * 2 - 1);
    expect(runs['monte-carlo']!.calls.optimizer.samples).toBeLessThanOrEqual(runs.beam!.a5.optimizer);
    expect(runs.greedy!.calls.optimizer.samples).toBeLessThanOrEqual(runs.beam!.calls.optimizer.samples);
    expect(runs.static!.calls.selector.calls).toBe(0);
    expect(runs.beam!.calls.selector.calls).toBeGreaterThan(0);

    expect(result.setups.map((s) => s.name)).toEqual([
      'basic prompt',
      'beam',
      'greedy',
      'monte-carlo',
      'beam, static reward',
      'beam − system prompt',
      'beam − ICL examples',
    ]);
    const bySetup = Object.fromEntries(result.setups.map((s) => [s.name, s]));
    expect(bySetup.beam!.systemPrompt).toBe(runs.beam!.bestPrompt);
    expect(bySetup['beam − system prompt']).toMatchObject({ systemPrompt: 'You are a helpful assistant.', k: 2 });
    expect(bySetup['beam − ICL examples']).toMatchObject({ systemPrompt: runs.beam!.bestPrompt, examples: 0, k: 0 });
    expect(result.cells.every((c) => c.items === 2 && c.judged === 2)).toBe(true);
    for (const run of Object.values(state.runs)) {
      const keys = readRunLog(path.join(run!, 'events.jsonl')).events.flatMap((e) =>
        e.type === 'call' ? [e.key] : [],
      );
      expect(new Set(keys).size).toBe(keys.length);
    }
  });
});
