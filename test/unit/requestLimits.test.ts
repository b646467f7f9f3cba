// Bounds on what a request may ask (issue 11, item 5): a huge search is refused where it enters,
// before any work, and the estimate's counts come in closed form, so one at the limits answers at
// once with the numbers the level-by-level loop gives.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStudioService } from '../../src/main/api/studioService.js';
import { normalizeConfig } from '../../src/main/config/runConfig.js';
import { a5SystemPromptCalls, plannedSearch } from '../../src/main/engine/costEstimate.js';
import { normalizeExperimentConfig } from '../../src/main/experiments/experimentConfig.js';
import { checkArguments } from '../../src/shared/apiSchemas.js';
import { LIMITS } from '../../src/shared/requestLimits.js';
import type { StartRunRequest } from '../../src/shared/studioApi.js';
import { StudioApiError } from '../../src/shared/studioApiError.js';

/** The loop plannedSearch replaced, level by level: the reference its closed form must match. */
function loopedSearch(width: number, samples: number, depth: number) {
  let beam = 1;
  let evaluations = 1;
  let sampled = 0;
  let optimizerRequests = 0;
  for (let level = 1; level < depth; level++) {
    optimizerRequests += beam;
    sampled += beam * samples;
    evaluations += beam * samples;
    beam = Math.min(width, beam * samples);
  }
  return { evaluations, samples: sampled, optimizerRequests, levels: depth };
}

const backends = { local: { plugin: 'openai', settings: { baseURL: 'http://127.0.0.1:9', model: 'm' } } };
const atLimits = {
  width: LIMITS.width,
  samples: LIMITS.samples,
  depth: LIMITS.depth,
  maxDepthIncrease: LIMITS.maxDepthIncrease,
  historySize: LIMITS.historySize,
};

function refusal(run: () => unknown): StudioApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof StudioApiError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('planned calls in closed form', () => {
  it('match the level-by-level loop for every small W, M, D', () => {
    for (let w = 1; w <= 6; w++)
      for (let m = 1; m <= 6; m++)
        for (let d = 1; d <= 25; d++)
          expect(plannedSearch({ width: w, samples: m, depth: d }), `W=${w} M=${m} D=${d}`).toEqual(
            loopedSearch(w, m, d),
          );
  });

  it('give the hand-counted values (appendix A.5; the root level holds one state)', () => {
    // Table 7: A.5 allows W·M·D = 120 of each and D = 20 selections; the plan makes 3 samples at
    // level 1 (one root state), then 2·3 at each of the 18 levels after: 111, and 112 evaluations.
    expect(a5SystemPromptCalls(2, 3, 20)).toEqual({ optimizer: 120, selector: 20, base: 120, judge: 120 });
    expect(plannedSearch({ width: 2, samples: 3, depth: 20 })).toEqual({
      evaluations: 112,
      samples: 111,
      optimizerRequests: 1 + 2 * 18,
      levels: 20,
    });
    // W=4, M=2, D=5: beams 1, 2, 4, 4 expand into 2 + 4 + 8 + 8 = 22 samples.
    expect(plannedSearch({ width: 4, samples: 2, depth: 5 })).toEqual({
      evaluations: 23,
      samples: 22,
      optimizerRequests: 11,
      levels: 5,
    });
    // W=8, M=10, D=200: 10 samples at level 1, then 8·10 at each of 198 levels; A.5 allows 16,000.
    expect(plannedSearch({ width: 8, samples: 10, depth: 200 })).toMatchObject({
      samples: 15_850,
      evaluations: 15_851,
    });
    expect(a5SystemPromptCalls(8, 10, 200)).toEqual({ optimizer: 16_000, selector: 200, base: 16_000, judge: 16_000 });
  });

  it('answer at the limits at once: 32 then 998 levels of 32·32', () => {
    const start = performance.now();
    const planned = plannedSearch({ width: LIMITS.width, samples: LIMITS.samples, depth: LIMITS.depth });
    expect(performance.now() - start).toBeLessThan(50);
    expect(planned).toEqual({
      evaluations: 1_021_985,
      samples: 1_021_984,
      optimizerRequests: 1 + 32 * 998,
      levels: 1000,
    });
    // Even a depth no schema allows costs the same few steps.
    expect(plannedSearch({ width: 2, samples: 3, depth: 1e12 }).samples).toBe(3 + 6 * (1e12 - 2));
  });
});

describe('limits where a request enters', () => {
  const estimate = (search: Record<string, unknown>): StartRunRequest => ({
    stage: 'system-prompt',
    config: { backends, search },
  });

  it('refuse a huge depth at once, naming the field and the limit, over the API boundary and in the config', () => {
    const start = performance.now();
    const error = refusal(() => checkArguments('runs.estimate', [estimate({ depth: 1e9 })]));
    expect(performance.now() - start).toBeLessThan(100);
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toBe('runs.estimate: config.search.depth: expected a whole number ≤ 1000');
    expect(refusal(() => normalizeConfig({ backends, search: { depth: 1e9 } }, '/tmp')).message).toMatch(
      /search\.depth: expected a whole number ≤ 1000/,
    );
  });

  it('refuse every other count above its limit', () => {
    const over: [Record<string, unknown>, string][] = [
      [{ search: { width: 33 } }, 'search.width'],
      [{ search: { samples: 33 } }, 'search.samples'],
      [{ search: { maxDepthIncrease: 1001 } }, 'search.maxDepthIncrease'],
      [{ search: { historySize: 101 } }, 'search.historySize'],
      [{ search: { monteCarloSamples: 2_000_000 } }, 'search.monteCarloSamples'],
      [{ iclSearch: { depth: 5000 } }, 'iclSearch.depth'],
      [{ retrieval: { k: 65 } }, 'retrieval.k'],
      [{ roles: { base: { maxTokens: 2 ** 21 } } }, 'roles.base.maxTokens'],
      [{ roles: { judge: { seed: 2 ** 40 } } }, 'roles.judge.seed'],
      [{ data: { limit: 1e9 } }, 'data.limit'],
      [{ data: { shuffleSeed: -(2 ** 40) } }, 'data.shuffleSeed'],
      [{ reward: { maxAspects: 5000 } }, 'reward.maxAspects'],
      [{ backends: { local: { ...backends.local, concurrency: 10_000 } } }, 'backends.local.concurrency'],
      [{ backends: { local: { ...backends.local, maxRetries: 1000 } } }, 'backends.local.maxRetries'],
      [{ backends: { local: { ...backends.local, retryMaxDelayMs: 1e9 } } }, 'backends.local.retryMaxDelayMs'],
    ];
    for (const [fields, field] of over) {
      const config = { backends, ...fields };
      const error = refusal(() => checkArguments('runs.start', [{ stage: 'system-prompt', config }]));
      expect(
        error.details?.issues?.map((i) => i.path),
        field,
      ).toEqual([`config.${field}`]);
    }
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`b${i}`, backends.local]));
    expect(refusal(() => normalizeConfig({ backends: many }, '/tmp')).message).toMatch(/at most 64 backends/);
    // The API's own counts.
    expect(refusal(() => checkArguments('retrieval.preview', ['set', 'query', 1000])).message).toMatch(/k: .*≤ 64/);
    const items = Array.from({ length: LIMITS.datasetItems + 1 }, () => ({ query: 'q' }));
    expect(
      refusal(() => checkArguments('datasets.save', [{ name: 'big', kind: 'seed-queries', items }])).message,
    ).toMatch(/dataset\.items: expected at most 1000000 items/);
  });

  it('refuse the same in experiment configs', () => {
    const valid = {
      backends,
      evalSet: { file: 'eval.json', sample: { size: 10, seed: 1 } },
      setups: [{ kind: 'baseline', name: 'base' }],
      targets: [{ name: 't', backend: 'local' }],
      judge: { backend: 'local' },
    };
    expect(() => normalizeExperimentConfig(valid, '/tmp')).not.toThrow();
    const over: [Record<string, unknown>, RegExp][] = [
      [{ evalSet: { file: 'eval.json', sample: { size: 1e9, seed: 1 } } }, /evalSet\.sample\.size/],
      [{ targets: [{ name: 't', backend: 'local', maxTokens: 2 ** 30 }] }, /targets\[0\]\.maxTokens/],
      [{ judge: { backend: 'local', reasonMaxChars: 1e6 } }, /judge\.reasonMaxChars/],
      [{ setups: [{ kind: 'baseline', name: 'base', k: 100 }] }, /setups\[0\]\.k/],
      [{ setups: Array.from({ length: 101 }, (_, i) => ({ kind: 'baseline', name: `s${i}` })) }, /setups/],
    ];
    for (const [fields, where] of over)
      expect(() => normalizeExperimentConfig({ ...valid, ...fields }, '/tmp'), String(where)).toThrow(where);
  });
});

describe('runs.estimate at the limits', () => {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'drpo-limits-'));
  afterAll(() => rmSync(userDataDir, { recursive: true, force: true }));

  it('answers in milliseconds with the closed-form counts', async () => {
    const service = createStudioService({ userDataDir });
    const request: StartRunRequest = { stage: 'system-prompt', config: { backends, search: atLimits } };
    checkArguments('runs.estimate', [request]);
    const start = performance.now();
    const { a5, planned } = await service.api.runs.estimate(request);
    const elapsed = performance.now() - start;
    console.info(`runs.estimate at W=32, M=32, D=1000: ${elapsed.toFixed(1)} ms`);
    expect(elapsed).toBeLessThan(1000);
    expect(a5).toEqual({ optimizer: 1_024_000, selector: 1000, base: 1_024_000, judge: 1_024_000 });
    expect(planned).toEqual({ optimizer: 1_021_984, selector: 1000, base: 1_021_985, judge: 1_021_985 });
    await service.close();
  });
});
