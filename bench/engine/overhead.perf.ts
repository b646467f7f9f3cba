// Issue 6, item 4: the engine's own cost. A W=2, M=3 system-prompt run of about 2,000 calls with
// large prompts (2 KB seed queries, ICL examples with 2 KB answers, rewritten system prompts and
// answers of 3 KB, so that the optimizer's prompt with five former versions reaches ~25 KB),
// answered at once by the benchmark model in this process (a user plugin, no server), so that
// all the CPU time is the engine's: prompts, cache keys, scheduling, reply parsing, accounting,
// writing events.jsonl, and afterwards reading that log back and rebuilding the tree as the
// studio does when it opens a run (src/main/api/runManager.ts). The model's own work (a hash of
// each prompt, a padded reply) is included too, and small. Memory is sampled every 20 ms.
import { mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/main/config/runConfig.js';
import { plannedSystemPromptCalls } from '../../src/main/engine/costEstimate.js';
import { systemPromptPlan } from '../../src/main/engine/search/searchPlan.js';
import type { SystemPromptResult } from '../../src/main/runs/runResult.js';
import { runStage } from '../../src/main/runs/runSession.js';
import { createRunFolder } from '../../src/main/store/runFolder.js';
import { readRunLog } from '../../src/main/store/runLog.js';
import { SettingsStore } from '../../src/main/store/settingsStore.js';
import { RunTree } from '../../src/shared/runTree.js';
import type { RunEventMessage } from '../../src/shared/studioApi.js';
import { writeBenchResult } from '../support/benchResults.js';
import { round } from '../support/rounding.js';

const W = 2;
const M = 3;
/** Levels for ~2,000 requests: 3 + 10 + 19 per further level (the optimizer's M samples are M requests here). */
const D = 107;
const TEXT_CHARS = 3000;
const QUERY_CHARS = 2000;
const MB = 2 ** 20;

const TOPICS = [
  'photosynthesis',
  'compound interest',
  'recursion',
  'the seasons',
  'vaccines',
  'tides',
  'inflation',
  'plate tectonics',
  'sourdough',
  'version control',
];

/** A long, distinct text: a seed query or an example answer of about `chars` characters. */
function longText(i: number, kind: string, chars: number): string {
  const topic = TOPICS[i % TOPICS.length]!;
  const sentence = `(${kind} ${i}) Explain ${topic} step by step, with an example a newcomer can follow, the usual mistakes, and how to check the result. `;
  return sentence.repeat(Math.ceil(chars / sentence.length)).slice(0, chars);
}

async function largeRunWorkDir(): Promise<string> {
  const work = mkdtempSync(path.join(tmpdir(), 'drpo-bench-overhead-'));
  const userData = path.join(work, 'user-data');
  mkdirSync(path.join(userData, 'plugins'), { recursive: true });
  symlinkSync(
    path.resolve(import.meta.dirname, '../support/plugins/bench-model'),
    path.join(userData, 'plugins/bench-model'),
  );
  const store = await SettingsStore.open(userData);
  await store.update((s) => void s.enabledPlugins.push('bench-model'));
  writeFileSync(
    path.join(work, 'seeds.json'),
    JSON.stringify(Array.from({ length: D }, (_, i) => ({ query: longText(i, 'query', QUERY_CHARS) }))),
  );
  writeFileSync(
    path.join(work, 'icl.json'),
    JSON.stringify(
      Array.from({ length: 24 }, (_, i) => ({
        query: longText(i, 'example', 300),
        answer: longText(i, 'answer', TEXT_CHARS - 1000),
      })),
    ),
  );
  return work;
}

describe(`engine overhead: a run of about 2,000 calls with large prompts`, () => {
  it('reports CPU time per call and peak memory, the event log and the tree included', async () => {
    const work = await largeRunWorkDir();
    const config = normalizeConfig(
      {
        backends: { bench: { plugin: 'bench-model', settings: { textChars: TEXT_CHARS }, concurrency: 32 } },
        search: { width: W, samples: M, depth: D },
        data: { seedQueries: 'seeds.json', iclExamples: 'icl.json' },
        runsDir: 'runs',
        cacheDir: null,
      },
      work,
    );
    const folder = createRunFolder(config, 'system-prompt', 'the benchmark');

    const baseline = process.memoryUsage();
    const peak = { rss: baseline.rss, heapUsed: baseline.heapUsed };
    const sample = () => {
      const now = process.memoryUsage();
      peak.rss = Math.max(peak.rss, now.rss);
      peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed);
    };
    const sampler = setInterval(sample, 20);
    let result: SystemPromptResult;
    let runCpu: NodeJS.CpuUsage;
    let treeCpu: NodeJS.CpuUsage;
    let nodes: number;
    let events: number;
    const started = performance.now();
    let runMs: number;
    try {
      const cpu = process.cpuUsage();
      result = (await runStage(folder, { userDataDir: path.join(work, 'user-data') })) as SystemPromptResult;
      runCpu = process.cpuUsage(cpu);
      runMs = performance.now() - started;
      sample();
      // What the studio does to open a run: read the whole log back, rebuild the tree.
      const cpuTree = process.cpuUsage();
      const logged = readRunLog(path.join(folder.dir, 'events.jsonl')).events;
      const tree = new RunTree();
      for (const event of logged) tree.apply(event as unknown as RunEventMessage);
      treeCpu = process.cpuUsage(cpuTree);
      nodes = tree.nodes.size;
      events = logged.length;
      sample();
    } finally {
      clearInterval(sampler);
    }

    const requests = Object.values(result.calls).reduce((s, t) => s + t.calls, 0);
    const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
    const logBytes = statSync(path.join(folder.dir, 'events.jsonl')).size;
    writeBenchResult(
      'engine-overhead',
      `Engine overhead: W=${W}, M=${M}, D=${D}, ${requests} calls with large prompts, model in-process`,
      [
        {
          measure: 'engine CPU time per call',
          value: round(cpuMs(runCpu) / requests, 3),
          unit: 'ms',
          note: `${round(cpuMs(runCpu) / 1000, 2)} s CPU for ${requests} calls in ${round(runMs / 1000, 2)} s, events.jsonl written`,
        },
        {
          measure: 'rebuilding the tree from the log',
          value: round(cpuMs(treeCpu), 0),
          unit: 'ms',
          note: `${events} events, ${round(logBytes / MB, 1)} MB, ${nodes} nodes`,
        },
        {
          measure: 'peak memory (RSS)',
          value: round(peak.rss / MB, 0),
          unit: 'MB',
          note: `${round((peak.rss - baseline.rss) / MB, 0)} MB over the ${round(baseline.rss / MB, 0)} MB before the run`,
        },
        {
          measure: 'peak JS heap',
          value: round(peak.heapUsed / MB, 0),
          unit: 'MB',
          note: `${round((peak.heapUsed - baseline.heapUsed) / MB, 0)} MB over the heap before the run`,
        },
      ],
      {
        width: W,
        samples: M,
        depth: D,
        textChars: TEXT_CHARS,
        queryChars: QUERY_CHARS,
        requests,
        runMs,
        runCpuMs: cpuMs(runCpu),
        treeCpuMs: cpuMs(treeCpu),
        events,
        logBytes,
        nodes,
        promptTokens: Object.values(result.calls).reduce((s, t) => s + t.promptTokens, 0),
        baseline: { rss: baseline.rss, heapUsed: baseline.heapUsed },
        peak,
      },
    );

    expect(result.search.finalDepth).toBe(D);
    expect(result.parseFailures + result.errors).toBe(0);
    const planned = plannedSystemPromptCalls(systemPromptPlan(config.search), true);
    expect(result.calls.base.calls).toBe(planned.base);
    expect(requests).toBeGreaterThanOrEqual(2000);
  });
});
