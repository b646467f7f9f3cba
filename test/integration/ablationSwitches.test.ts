// The ablation runner with both switches on, through its real pieces and the scripted test model:
// Table 5's static-both-stages row (an ICL stage with static rewarding, then the static beam run
// on the examples it wrote) and Table 2's basic prompt with the beam run's examples, K = 2.
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAblationFolder, runAblation } from '../../src/main/experiments/ablation.js';
import type { IclResult, SystemPromptResult } from '../../src/main/runs/runResult.js';
import { readRunFolder } from '../../src/main/store/runFolder.js';
import { SettingsStore } from '../../src/main/store/settingsStore.js';

async function workspace() {
  const dir = mkdtempSync(path.join(tmpdir(), 'drpo-ablation-switches-'));
  const userData = path.join(dir, 'user-data');
  mkdirSync(path.join(userData, 'plugins'), { recursive: true });
  symlinkSync(
    path.resolve(import.meta.dirname, '../support/plugins/scripted'),
    path.join(userData, 'plugins/scripted'),
  );
  const store = await SettingsStore.open(userData);
  await store.update((s) => void s.enabledPlugins.push('scripted'));
  const examples = (tag: string) =>
    ['Plan a picnic.', 'Explain tides.', 'Sort a list.'].map((query) => ({ query, answer: `${tag} answer.` }));
  writeFileSync(path.join(dir, 'optimized.json'), JSON.stringify(examples('Optimized')));
  writeFileSync(path.join(dir, 'base.json'), JSON.stringify(examples('Draft')));
  writeFileSync(path.join(dir, 'seeds.json'), JSON.stringify([{ query: 'How do I boil an egg?' }]));
  writeFileSync(
    path.join(dir, 'eval.json'),
    JSON.stringify([{ id: 1, instruction: 'How do tides work?', category: 'regular' }]),
  );
  const scripted = { plugin: 'scripted', settings: { latencyMs: 0 }, concurrency: 2 };
  writeFileSync(
    path.join(dir, 'run.json'),
    JSON.stringify({
      backends: { scripted },
      search: { width: 1, samples: 1, depth: 1 },
      iclSearch: { depth: 2 },
      retrieval: { k: 1, embedder: 'lexical' },
      data: { seedQueries: 'seeds.json', iclExamples: 'optimized.json' },
      cacheDir: null,
    }),
  );
  const evaluation = {
    backends: { scripted },
    evalSet: { file: 'eval.json' },
    targets: [{ name: 'T', backend: 'scripted' }],
    judge: { backend: 'scripted' },
    cacheDir: null,
  };
  return { dir, userData, evaluation };
}

describe('the ablation switches, run', () => {
  it('static rewarding for both stages and the basic prompt with K = 2 examples, each its own setup', async () => {
    const { dir, userData, evaluation } = await workspace();
    writeFileSync(
      path.join(dir, 'ablation.json'),
      JSON.stringify({
        optimize: 'run.json',
        variants: ['beam', 'static'],
        removal: false,
        staticBothStages: true,
        baseIclExamples: 'base.json',
        basePromptWithExamples: true,
        evaluation,
      }),
    );
    const folder = await createAblationFolder(path.join(dir, 'ablation.json'), 'the test', userData);
    const steps: string[] = [];
    const result = await runAblation(folder, { userDataDir: userData, onStep: (s) => steps.push(s) });
    expect(steps.map((s) => s.split(':')[0])).toEqual(['beam', 'static', 'static-icl', 'static-both', 'evaluation']);

    const state = JSON.parse(readFileSync(path.join(folder.dir, 'ablation.json'), 'utf8')) as {
      runs: Record<string, string>;
    };
    const resultOf = <T>(step: string) =>
      JSON.parse(readFileSync(path.join(state.runs[step]!, 'result.json'), 'utf8')) as T;
    // The ICL stage: static rewarding (no selector) from I_base.
    const icl = readRunFolder(state.runs['static-icl']!);
    expect(icl.stage).toBe('icl');
    expect(icl.config.reward.mode).toBe('static');
    expect(icl.config.data.iclExamples).toBe(path.join(dir, 'base.json'));
    const iclResult = resultOf<IclResult>('static-icl');
    expect(iclResult.calls.selector.calls).toBe(0);
    expect(iclResult.examples.map((e) => e.before)).toEqual(['Draft answer.', 'Draft answer.', 'Draft answer.']);
    // The system-prompt run: beam, static rewarding, on the examples the ICL stage wrote.
    const both = readRunFolder(state.runs['static-both']!);
    expect(both.stage).toBe('system-prompt');
    expect(both.config.search.algorithm).toBe('beam');
    expect(both.config.reward.mode).toBe('static');
    expect(both.config.data.iclExamples).toBe(path.join(state.runs['static-icl']!, iclResult.iclExamplesFile));
    expect(resultOf<SystemPromptResult>('static-both').calls.selector.calls).toBe(0);

    expect(result.setups).toEqual([
      expect.objectContaining({ name: 'basic prompt', systemPrompt: 'You are a helpful assistant.', k: 0 }),
      expect.objectContaining({ name: 'beam', systemPrompt: resultOf<SystemPromptResult>('beam').bestPrompt, k: 1 }),
      expect.objectContaining({ name: 'beam, static reward', k: 1 }),
      expect.objectContaining({
        name: 'beam, static reward (both stages)',
        systemPrompt: resultOf<SystemPromptResult>('static-both').bestPrompt,
        examples: 3,
        k: 1,
      }),
      expect.objectContaining({
        name: 'basic prompt + ICL (K=2)',
        systemPrompt: 'You are a helpful assistant.',
        examples: 3,
        k: 2,
      }),
    ]);
    expect(result.cells.map((c) => c.setup)).toHaveLength(5);
  });

  it('refuses the basic prompt with examples without the beam run whose examples it takes', async () => {
    const { dir, userData, evaluation } = await workspace();
    writeFileSync(
      path.join(dir, 'ablation.json'),
      JSON.stringify({ optimize: 'run.json', variants: ['greedy'], basePromptWithExamples: true, evaluation }),
    );
    await expect(createAblationFolder(path.join(dir, 'ablation.json'), 'the test', userData)).rejects.toThrow(
      /basePromptWithExamples uses the beam run's examples; add "beam" to variants/,
    );
  });
});
