// The two ablation switches produce the runs and setups of the paper's rows: Table 5's "static
// rewarding for both stages" (no dynamic reward in the ICL stage nor in the system-prompt search)
// and Table 2's "Base Prompt" (the basic prompt with K = 2 retrieved examples of the beam run).
import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/main/config/runConfig.js';
import {
  ablationConfigSchema,
  ablationSetups,
  ablationSteps,
  stepConfig,
} from '../../src/main/experiments/ablation.js';

const base = normalizeConfig(
  {
    backends: { local: { plugin: 'llama-cpp', settings: { modelPath: 'm.gguf' } } },
    search: { width: 2, samples: 3, depth: 20 },
    data: { iclExamples: 'optimized.json' },
    cacheDir: null,
  },
  '/work',
);

const switches = (patch: Record<string, unknown>) =>
  ablationConfigSchema.parse({
    optimize: 'run.json',
    evaluation: {
      backends: {},
      evalSet: { file: 'e' },
      targets: [{ name: 't', backend: 'b' }],
      judge: { backend: 'b' },
    },
    ...patch,
  });

describe('the ablation switches', () => {
  it('are off by default: the four variants, nothing more', () => {
    const config = switches({});
    expect(config).toMatchObject({ staticBothStages: false, basePromptWithExamples: false, removal: true });
    expect(ablationSteps(config)).toEqual(['beam', 'greedy', 'monte-carlo', 'static']);
  });

  it('static rewarding for both stages: an ICL stage with static rewarding from I_base, then the static beam run on its examples', () => {
    const config = switches({ variants: ['beam', 'static'], staticBothStages: true });
    expect(ablationSteps(config)).toEqual(['beam', 'static', 'static-icl', 'static-both']);

    const icl = stepConfig(base, 'static-icl', { baseIclExamples: '/work/base.json' });
    expect(icl.stage).toBe('icl');
    expect(icl.config.reward.mode).toBe('static');
    expect(icl.config.data.iclExamples).toBe('/work/base.json');
    expect(icl.config.iclSearch).toEqual(base.iclSearch);
    // Without baseIclExamples the ICL stage starts from the run config's own examples.
    expect(stepConfig(base, 'static-icl').config.data.iclExamples).toBe('/work/optimized.json');

    const both = stepConfig(base, 'static-both', { iclExamples: '/runs/icl-1/icl-examples.json' });
    expect(both.stage).toBe('system-prompt');
    expect(both.config.search).toEqual({ ...base.search, algorithm: 'beam' });
    expect(both.config.reward).toEqual({ ...base.reward, mode: 'static' });
    expect(both.config.data).toEqual({ ...base.data, iclExamples: '/runs/icl-1/icl-examples.json' });
    expect(() => stepConfig(base, 'static-both')).toThrow(/static ICL stage/);

    // Table 5's three rows: dynamic both (beam), static prompt with the dynamic examples, static both with its own.
    expect(
      ablationSetups(
        { beam: '/r/beam', static: '/r/static', 'static-icl': '/r/icl', 'static-both': '/r/both' },
        { ...config, removal: false },
      ),
    ).toEqual([
      { kind: 'baseline', name: 'basic prompt', systemPrompt: 'You are a helpful assistant.' },
      { kind: 'run', name: 'beam', run: '/r/beam' },
      { kind: 'run', name: 'beam, static reward', run: '/r/static' },
      { kind: 'run', name: 'beam, static reward (both stages)', run: '/r/both', examples: '/r/icl' },
    ]);
  });

  it("Table 2's Base Prompt: the basic prompt with the beam run's examples, K = 2", () => {
    const config = switches({ variants: ['beam'], removal: false, basePromptWithExamples: true });
    expect(ablationSteps(config)).toEqual(['beam']);
    expect(ablationSetups({ beam: '/r/beam' }, config)).toEqual([
      { kind: 'baseline', name: 'basic prompt', systemPrompt: 'You are a helpful assistant.' },
      { kind: 'run', name: 'beam', run: '/r/beam' },
      { kind: 'run', name: 'basic prompt + ICL (K=2)', run: '/r/beam', withoutSystemPrompt: true, k: 2 },
    ]);
    // Before the runs exist (the config check at creation), only the basic prompt.
    expect(ablationSetups({}, config)).toEqual([
      { kind: 'baseline', name: 'basic prompt', systemPrompt: 'You are a helpful assistant.' },
    ]);
  });
});
