// An experiment's budget: with a limit of one token it pauses once the first calls have answered,
// every answered call logged and none asked after the pause; resumed with a higher budget it
// finishes, paying for nothing twice, and its spend counts each call once. Scripted plugin, real
// folder, log, schedulers and cache.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stopFromLog } from '../../src/main/api/liveSessions.js';
import { normalizeExperimentConfig } from '../../src/main/experiments/experimentConfig.js';
import { createExperimentFolder, openExperimentFolder } from '../../src/main/experiments/experimentFolder.js';
import { runExperiment } from '../../src/main/experiments/experimentSession.js';
import { RunPausedError } from '../../src/main/runs/backendOutage.js';
import { type LoggedEvent, readRunLog } from '../../src/main/store/runLog.js';
import { scriptedUserData } from '../support/scriptedUserData.js';

const ITEMS = ['Plan a trip.', 'Explain tides.', 'Name a colour.'].map((instruction, i) => ({
  id: i + 1,
  instruction,
  category: 'regular',
  dataset: 'test',
}));

const calls = (events: readonly LoggedEvent[]) => events.flatMap((e) => (e.type === 'call' ? [e] : []));
const tokens = (events: readonly LoggedEvent[]) =>
  calls(events).reduce((n, e) => n + e.usage.promptTokens + e.usage.completionTokens, 0);

describe('an experiment with a budget', () => {
  it('pauses at its token budget with every answered call logged, and finishes once resumed with a higher one', async () => {
    const userDataDir = await scriptedUserData('drpo-experiment-budget-');
    writeFileSync(path.join(userDataDir, 'eval.json'), JSON.stringify(ITEMS));
    const config = normalizeExperimentConfig(
      {
        backends: { s: { plugin: 'scripted', settings: { latencyMs: 5 }, concurrency: 2 } },
        evalSet: { file: 'eval.json' },
        setups: [{ name: 'plain', kind: 'baseline' }],
        targets: [{ name: 'T', backend: 's', format: 'chat' }],
        judge: { backend: 's' },
        retrieval: { embedder: 'lexical' },
        budget: { tokens: 1 },
        cacheDir: null,
      },
      userDataDir,
    );
    const folder = createExperimentFolder(config, 'the test', userDataDir);
    const log = () => readRunLog(path.join(folder.dir, 'events.jsonl')).events;
    await expect(runExperiment(folder, { userDataDir })).rejects.toBeInstanceOf(RunPausedError);
    const paused = log();
    const spent = tokens(paused);
    expect(spent).toBeGreaterThanOrEqual(1);
    // The calls under way when the budget was reached finished and were logged before the pause; none came after it.
    expect(paused.at(-1)!.type).toBe('run-paused');
    expect(stopFromLog(paused).pause!.reason).toBe(
      `budget of 1 token reached (${spent.toLocaleString('en-US')} tokens spent) — resume with a higher budget, or cancel`,
    );
    expect(calls(paused).length).toBeLessThan(ITEMS.length * 2);

    const result = await runExperiment(openExperimentFolder(folder.dir, 'the test'), {
      userDataDir,
      budget: { tokens: 1_000_000 },
    });
    const events = log();
    expect(events.find((e) => e.type === 'run-resumed')).toMatchObject({ budget: { tokens: 1_000_000 } });
    const keys = calls(events).map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
    // 3 answers and 3 judgments in all: each paid once, across both sessions.
    expect(keys).toHaveLength(ITEMS.length * 2);
    expect(result.cells[0]).toMatchObject({ items: 3, cost: { answers: { calls: 3 }, judge: { calls: 3 } } });
  });
});
