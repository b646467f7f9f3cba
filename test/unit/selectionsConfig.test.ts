// A run config's `reward.selections` (a path relative to the config's folder) and the ICL critic's
// aspect range. (The New run form's field: test/e2e/importedSelections.spec.ts.)
import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/main/config/runConfig.js';

const minimal = { backends: { local: { plugin: 'llama-cpp', settings: { modelPath: 'm.gguf' } } } };

describe('reward.selections in a run config', () => {
  it("is resolved against the config's folder; absent, nothing is imported", () => {
    const c = normalizeConfig({ ...minimal, reward: { selections: 'reference/metrics_cache.json' } }, '/work/configs');
    expect(c.reward.selections).toBe('/work/configs/reference/metrics_cache.json');
    expect(normalizeConfig(minimal, '/work/configs').reward.selections).toBeUndefined();
  });

  it('defaults to the ICL critic with 3–6 aspects, and refuses a range that cannot be met', () => {
    expect(normalizeConfig(minimal, '/w').reward).toMatchObject({
      iclJudge: 'critic',
      iclMinAspects: 3,
      iclMaxAspects: 6,
    });
    expect(() => normalizeConfig({ ...minimal, reward: { iclMinAspects: 5, iclMaxAspects: 4 } }, '/w')).toThrow(
      'invalid config: reward.iclMinAspects exceeds reward.iclMaxAspects',
    );
  });
});
